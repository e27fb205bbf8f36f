#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown of the GMoPE transfer results written by bench/gmope/transfer.sh.

usage: bench/gmope/table.py RESULTS_DIR [--summary | --details]

--summary (default): one row per setting with every arm's test metric, the mean over settings,
the claims' differences and ratios, and the orthogonality ablation. --details: per setting, every
arm's validation and test metric, trainable parameters, time per epoch, chosen lr and expert-usage
entropy, then every pretraining run.
"""
import glob
import json
import os
import statistics
import sys

ARMS = ["scratch", "full", "gpf", "gpf-plus", "prompt-only", "prompt-router", "gmope-full"]
TASK_ORDER = {"node_5": 0, "node_0": 1, "link": 2, "graph": 3}


def pm(d, scale=100.0):
    return f"{d['mean'] * scale:.2f} ± {d['std'] * scale:.2f}"


def setting_name(r):
    o = r["options"]
    kind = {"link": "link AUC", "graph": "graph acc, 10 folds"}.get(o["task"])
    if kind is None:
        kind = f"node acc, {o['shots']}-shot" if o["shots"] else "node acc, standard split"
    return f"{o['target']}, {kind}"


def results(root):
    """(key, json) per fine-tuning file, ordered by task, then target."""
    out = []
    for path in glob.glob(os.path.join(root, "ft_*.json")):
        key = os.path.basename(path)[3:-5]
        task = next((t for t in TASK_ORDER if key.endswith("_" + t)), "graph")
        out.append(((TASK_ORDER[task], key), key, json.load(open(path))))
    return [(k, r) for _, k, r in sorted(out, key=lambda x: x[0])]


def summary(root):
    rs = results(root)
    print("| setting | " + " | ".join(ARMS) + " |")
    print("|---|" + "---:|" * len(ARMS))
    for _, r in rs:
        arms = {a["arm"]: a for a in r["arms"]}
        cells = [pm(arms[a]["test"]) if a in arms else "–" for a in ARMS]
        best = max((arms[a]["test"]["mean"], a) for a in ARMS if a in arms)[1]
        cells = [f"**{c}**" if a == best else c for a, c in zip(ARMS, cells)]
        print(f"| {setting_name(r)} | " + " | ".join(cells) + " |")
    means = []
    for a in ARMS:
        v = [100.0 * x["test"]["mean"] for _, r in rs for x in r["arms"] if x["arm"] == a]
        means.append(f"{statistics.mean(v):.2f}" if v else "–")
    print(f"| **mean over {len(rs)} settings** | " + " | ".join(means) + " |")
    print()
    # Claim 1: prompt-only against full fine-tuning and the GPF baselines, test, per setting.
    for other in ["gmope-full", "full", "gpf", "gpf-plus"]:
        d = []
        for key, r in rs:
            t = {a["arm"]: a["test"]["mean"] for a in r["arms"]}
            if "prompt-only" in t and other in t:
                d.append((key, 100.0 * (t["prompt-only"] - t[other])))
        if d:
            print(f"- prompt-only minus {other}, test, mean over {len(d)} settings: "
                  f"{statistics.mean(x for _, x in d):+.2f} points ("
                  + ", ".join(f"{k} {x:+.2f}" for k, x in d) + ")")
    # Claim 2: time per epoch of prompt-only against GMoPE's full fine-tuning.
    ratios = []
    for key, r in rs:
        t = {a["arm"]: a["median_epoch_seconds"] for a in r["arms"]}
        if "prompt-only" in t and t.get("gmope-full", 0) > 0:
            ratios.append((key, t["prompt-only"] / t["gmope-full"]))
    if ratios:
        print(f"- prompt-only / gmope-full time per epoch (median over runs and grid points of each "
              f"setting), median over {len(ratios)} settings: "
              f"{statistics.median(x for _, x in ratios):.2f}x ("
              + ", ".join(f"{k} {x:.2f}" for k, x in ratios) + ")")
    print()
    # Claim 3: expert-usage entropy after pretraining, with and without the orthogonality term.
    print("| target (left out) | λ_orth = 0.1: mean (min) over sources | λ_orth = 0: mean (min) |")
    print("|---|---|---|")
    for path in sorted(glob.glob(os.path.join(root, "pretrain_gm_*.json"))):
        tag = os.path.basename(path)[len("pretrain_gm_"):-5]
        e = json.load(open(path))["pretrain_usage_entropy"]
        ablation = os.path.join(root, f"pretrain_gm0_{tag}.json")
        e0 = json.load(open(ablation))["pretrain_usage_entropy"] if os.path.exists(ablation) else None
        cell = f"{statistics.mean(e0):.3f} ({min(e0):.3f})" if e0 else "not run"
        print(f"| {tag} | {statistics.mean(e):.3f} ({min(e):.3f}) | {cell} |")


def details(root):
    for key, r in results(root):
        o = r["options"]
        print(f"\n{setting_name(r)} ({o['runs']} seeds, `ft_{key}.json`)\n")
        print("| arm | val | **test** | trainable params | s/epoch | chosen lr | usage entropy |")
        print("|---|---|---|---|---|---|---|")
        for a in r["arms"]:
            lr = f"{a['lr']:.3g}" if "lr" in a else "-"
            print(f"| {a['arm']} | {pm(a['val'])} | **{pm(a['test'])}** | {a['trainable_parameters']} | "
                  f"{a['median_epoch_seconds']:.4f} | {lr} | {a['usage_entropy']['mean']:.3f} |")
    print("\nPretraining runs (loss first -> last epoch, wall time, expert-usage entropy per source):\n")
    for path in sorted(glob.glob(os.path.join(root, "pretrain_*.json"))):
        r = json.load(open(path))
        ent = ", ".join(f"{s} {e:.3f}" for s, e in zip(r["options"]["sources"], r["pretrain_usage_entropy"]))
        print(f"- `{os.path.basename(path)}`: loss {r['pretrain_loss'][0]:.3f} -> {r['pretrain_loss'][-1]:.3f}, "
              f"{r['pretrain_seconds']:.0f} s; {ent}")


def main():
    args = sys.argv[1:]
    if len(args) not in (1, 2) or args[0] in ("-h", "--help") or (
            len(args) == 2 and args[1] not in ("--summary", "--details")):
        print(__doc__.strip())
        return 0 if args and args[0] in ("-h", "--help") else 2
    if not os.path.isdir(args[0]):
        print(f"table.py: no results folder '{args[0]}'", file=sys.stderr)
        return 2
    (details if args[1:] == ["--details"] else summary)(args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
