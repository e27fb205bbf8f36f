#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown rows of the GMoPE transfer results written by bench/gmope/transfer.sh.

usage: bench/gmope/table.py RESULTS_DIR
"""
import glob
import json
import os
import sys


def pm(d, scale=100.0):
    return f"{d['mean'] * scale:.2f} ± {d['std'] * scale:.2f}"


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    root = sys.argv[1]
    for path in sorted(glob.glob(os.path.join(root, "ft_*.json"))):
        r = json.load(open(path))
        o = r["options"]
        setting = f"{o['target']}, {o['task']}, " + (f"{o['shots']}-shot" if o["shots"] else "standard split")
        full = {a["arm"]: a for a in r["arms"]}
        print(f"\n{setting} ({r['metric']}, {o['runs']} seeds): `{os.path.basename(path)}`\n")
        print("| arm | val | test | trainable params | s/epoch (median) | time vs gmope-full | usage entropy |")
        print("|---|---|---|---|---|---|---|")
        ref = full.get("gmope-full", {}).get("median_epoch_seconds")
        for a in r["arms"]:
            ratio = f"{a['median_epoch_seconds'] / ref:.2f}x" if ref else "-"
            print(f"| {a['arm']} | {pm(a['val'])} | {pm(a['test'])} | {a['trainable_parameters']} | "
                  f"{a['median_epoch_seconds']:.4f} | {ratio} | {a['usage_entropy']['mean']:.3f} |")
    for path in sorted(glob.glob(os.path.join(root, "pretrain_*.json"))):
        r = json.load(open(path))
        ent = ", ".join(f"{s} {e:.3f}" for s, e in zip(r["options"]["sources"], r["pretrain_usage_entropy"]))
        print(f"- `{os.path.basename(path)}`: loss {r['pretrain_loss'][0]:.3f} -> {r['pretrain_loss'][-1]:.3f}, "
              f"{r['pretrain_seconds']:.0f} s; usage entropy per source: {ent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
