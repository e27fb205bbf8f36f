#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summarise bench/compare/ooc_epoch.sh results: median epoch seconds per run kind (median over
epochs and rounds), bytes read per epoch (reader and /proc/self/io), read amplification, hit rate,
stage stalls, peak RSS, and the packing comparison. Usage: ooc_summary.py WORK_DIR"""
import glob
import json
import os
import statistics
import sys


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    work = sys.argv[1]
    for path in sorted(glob.glob(os.path.join(work, "prepare-*.json"))):
        j = json.load(open(path))
        print(f"{os.path.basename(path)}: {j['method']} sample {j['sample_seconds']:.2f} s, pack "
              f"{j['pack_seconds']:.2f} s, read {j['bytes_read'] / 2**20:.0f} MiB, cache rows "
              f"{j['cache_rows']}, cold rows {j['cold_rows']}, footprint "
              f"{j['footprint_bytes'] / 2**20:.0f} MiB, peak RSS {j['peak_rss_kib'] / 1024:.0f} MiB")
    kinds = {}
    for path in glob.glob(os.path.join(work, "train-*-r*.json")):
        name = os.path.basename(path)[len("train-"):].rsplit("-r", 1)[0]
        kinds.setdefault(name, []).append(json.load(open(path)))
    print(f"{'run':<18} {'epoch s':>8} {'per batch ms':>12} {'MiB read':>9} {'/proc MiB':>9} "
          f"{'ampl':>6} {'hit %':>6} {'train wait s':>12} {'RSS MiB':>8} {'test acc':>8}")
    for name, runs in sorted(kinds.items()):
        secs = [e["seconds"] for r in runs for e in r["epochs"]]
        med = statistics.median(secs)
        r0 = runs[0]  # batches per epoch (0 in the JSON means the whole pool: count them)
        nb = r0.get("batches_per_epoch") or (r0.get("stages", {}).get("batches", 0)
                                             / max(1, len(r0["epochs"]))) or 1
        last = [r["epochs"][-1] for r in runs]
        io = [e.get("io", {}) for e in last]
        mib = statistics.median([i.get("bytes_read", 0) for i in io]) / 2**20
        proc = statistics.median([e.get("proc_read_bytes", 0) for e in last]) / 2**20
        amp = statistics.median([i.get("read_amplification", 0) for i in io])
        hit = 100 * statistics.median([i.get("hit_rate", 0) for i in io])
        wait = statistics.median([r.get("stages", {}).get("train_wait", 0) / max(1, len(r["epochs"]))
                                  for r in runs])
        rss = max(r["peak_rss_kib"] for r in runs) / 1024
        acc = statistics.median([r["test_acc"] for r in runs])
        print(f"{name:<18} {med:8.3f} {1000 * med / nb:12.1f} {mib:9.1f} {proc:9.1f} {amp:6.3f} "
              f"{hit:6.1f} {wait:12.2f} {rss:8.0f} {acc:8.4f}   (n={len(secs)} epochs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
