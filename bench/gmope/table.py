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
        split = "85/5/10 edge split" if o["task"] == "link" else (
            "10 stratified folds, run r = fold r" if o["task"] == "graph" else "standard split")
        setting = f"{o['target']}, {o['task']}, " + (f"{o['shots']}-shot" if o["shots"] else split)
        print(f"\n{setting} ({r['metric']}, {o['runs']} seeds): `{os.path.basename(path)}`\n")
        print("| arm | val | **test** | trainable params | usage entropy |")
        print("|---|---|---|---|---|")
        for a in r["arms"]:
            print(f"| {a['arm']} | {pm(a['val'])} | **{pm(a['test'])}** | {a['trainable_parameters']} | "
                  f"{a['usage_entropy']['mean']:.3f} |")
    # Claim 1: prompt-only vs full fine-tuning and vs GPF, test metric, averaged over settings.
    diffs = {"gmope-full": [], "full": [], "gpf": [], "gpf-plus": []}
    for path in sorted(glob.glob(os.path.join(root, "ft_*.json"))):
        arms = {a["arm"]: a["test"]["mean"] for a in json.load(open(path))["arms"]}
        if "prompt-only" not in arms:
            continue
        for k in diffs:
            if k in arms:
                diffs[k].append(100.0 * (arms["prompt-only"] - arms[k]))
    print()
    for k, v in diffs.items():
        if v:
            print(f"- prompt-only minus {k}, test, mean over {len(v)} settings: {sum(v) / len(v):+.2f} points "
                  f"({', '.join(f'{x:+.2f}' for x in v)})")
    print()
    for path in sorted(glob.glob(os.path.join(root, "pretrain_*.json"))):
        r = json.load(open(path))
        ent = ", ".join(f"{s} {e:.3f}" for s, e in zip(r["options"]["sources"], r["pretrain_usage_entropy"]))
        print(f"- `{os.path.basename(path)}`: loss {r['pretrain_loss'][0]:.3f} -> {r['pretrain_loss'][-1]:.3f}, "
              f"{r['pretrain_seconds']:.0f} s; usage entropy per source: {ent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
