#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown rows of the GMoPE transfer results written by bench/gmope/transfer.sh.

usage: bench/gmope/table.py RESULTS_DIR
"""
import glob
import json
import os
import statistics
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
        print("| arm | val | **test** | trainable params | s/epoch | chosen lr | usage entropy |")
        print("|---|---|---|---|---|---|---|")
        for a in r["arms"]:
            lr = f"{a['lr']:.3g}" if "lr" in a else "-"
            print(f"| {a['arm']} | {pm(a['val'])} | **{pm(a['test'])}** | {a['trainable_parameters']} | "
                  f"{a['median_epoch_seconds']:.4f} | {lr} | {a['usage_entropy']['mean']:.3f} |")
    # Claim 1: prompt-only vs full fine-tuning and vs GPF, test metric, averaged over settings.
    diffs = {"gmope-full": [], "full": [], "gpf": [], "gpf-plus": []}
    for path in sorted(glob.glob(os.path.join(root, "ft_*.json"))):
        arms = {a["arm"]: a["test"]["mean"] for a in json.load(open(path))["arms"]}
        if "prompt-only" not in arms:
            continue
        for k in diffs:
            if k in arms:
                diffs[k].append(100.0 * (arms["prompt-only"] - arms[k]))
    # Claim 2: prompt-only's time per epoch against GMoPE's full fine-tuning, per setting.
    ratios = []
    for path in sorted(glob.glob(os.path.join(root, "ft_*.json"))):
        t = {a["arm"]: a["median_epoch_seconds"] for a in json.load(open(path))["arms"]}
        if "prompt-only" in t and t.get("gmope-full", 0) > 0:
            ratios.append((os.path.basename(path)[3:-5], t["prompt-only"] / t["gmope-full"]))
    print()
    if ratios:
        rs = sorted(x for _, x in ratios)
        print(f"- prompt-only / gmope-full time per epoch, median over {len(rs)} settings: "
              f"{rs[len(rs) // 2]:.2f}x ({', '.join(f'{n} {x:.2f}' for n, x in ratios)})")
    for k, v in diffs.items():
        if v:
            print(f"- prompt-only minus {k}, test, mean over {len(v)} settings: {sum(v) / len(v):+.2f} points "
                  f"({', '.join(f'{x:+.2f}' for x in v)})")
    print()
    # Expert-usage entropy after pretraining, with and without the orthogonality term.
    print("| target (left out) | λ_orth = 0.1: mean (min) over sources | λ_orth = 0: mean (min) |")
    print("|---|---|---|")
    for path in sorted(glob.glob(os.path.join(root, "pretrain_gm_*.json"))):
        tag = os.path.basename(path)[len("pretrain_gm_"):-5]
        e = json.load(open(path))["pretrain_usage_entropy"]
        ablation = os.path.join(root, f"pretrain_gm0_{tag}.json")
        e0 = json.load(open(ablation))["pretrain_usage_entropy"] if os.path.exists(ablation) else None
        cell = f"{statistics.mean(e0):.3f} ({min(e0):.3f})" if e0 else "not run"
        print(f"| {tag} | {statistics.mean(e):.3f} ({min(e):.3f}) | {cell} |")
    print()
    for path in sorted(glob.glob(os.path.join(root, "pretrain_*.json"))):
        r = json.load(open(path))
        ent = ", ".join(f"{s} {e:.3f}" for s, e in zip(r["options"]["sources"], r["pretrain_usage_entropy"]))
        print(f"- `{os.path.basename(path)}`: loss {r['pretrain_loss'][0]:.3f} -> {r['pretrain_loss'][-1]:.3f}, "
              f"{r['pretrain_seconds']:.0f} s; usage entropy per source: {ent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
