# SPDX-License-Identifier: Apache-2.0
"""Summary of anchors.sh's JSON lines (standard library only):

    anchors_report.py FILE

Per task and side (framework plus format), the median over the rounds of each round's time, the
spread (min-max over rounds), the load range, and the ratio side / moegnn (> 1: moegnn faster).
Times: seconds per epoch (gcn, cora-*), milliseconds per call (spmm-F) or per batch (sampling).
"""
import collections
import json
import statistics
import sys


def side(r):
    if "run_name" in r:  # a Google Benchmark record: moegnn's kernel
        return "moegnn"
    name = r.get("framework", "?")
    return name + (f" ({r['format']})" if r.get("format") else "")


def value(r):
    if "run_name" in r:
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[r.get("time_unit", "ns")]
        return r["real_time"] * scale
    for key in ("median_ms", "batch_ms_median", "median"):
        if key in r:
            return r[key]
    raise SystemExit(f"error: record without a time: {r}")


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) == 2 else 1)
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    by_task = collections.OrderedDict()
    for r in rows:
        by_task.setdefault(r["task"], collections.OrderedDict()).setdefault(side(r), []).append(r)
    print(f"{'task':<10}{'side':<42}{'median':>11}{'min-max':>20}{'load':>12}{'ratio':>8}")
    for task, sides in by_task.items():
        unit = "s" if task in ("gcn", "cora-gcn", "cora-gat") else "ms"
        ours = statistics.median(value(r) for r in sides.get("moegnn", [])) if "moegnn" in sides else None
        for name, rs in sides.items():
            values = [value(r) for r in rs]
            med = statistics.median(values)
            loads = [r["load"] for r in rs]
            ratio = f"{med / ours:.2f}x" if ours else "-"
            print(f"{task:<10}{name:<42}{med:>9.4g}{unit:<2}{min(values):>9.4g}-{max(values):<9.4g}"
                  f"{min(loads):>5.1f}-{max(loads):<5.1f}{ratio:>8}")


if __name__ == "__main__":
    main()
