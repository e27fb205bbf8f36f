# SPDX-License-Identifier: Apache-2.0
"""Side-by-side table for the bench/compare/*_vs_pyg.sh scripts (standard library only).

    report.py --out FILE --title TEXT --cpu TEXT RUN_JSON...

Each RUN_JSON is one line printed by moegnn_models_bench or a *_pyg.py script (fields framework,
model, median, epoch_seconds, final_loss, threads, epochs; optional format, test_acc). Runs are
grouped by model; per model the speed-up is median(fastest PyG variant) / median(moegnn), in wall
time and in process CPU time (cpu_median: all threads; on a shared machine wall time includes
waiting for a core). Prints a table and writes {"date", "cpu", "title", "runs",
"speedup_vs_best_pyg": {model: ratio}, "cpu_speedup_vs_best_pyg": {model: ratio}} to FILE
atomically.
"""
import argparse
import datetime
import json
import os
import sys
import tempfile


def name_of(run):
    return run["framework"] + (f" ({run['format']})" if run.get("format") else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--cpu", default="")
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    runs = [json.loads(r) for r in args.runs]
    date = datetime.date.today().isoformat()
    models = []
    for r in runs:
        if r.get("model", "gcn") not in models:
            models.append(r.get("model", "gcn"))
    speedup = {}
    cpu_speedup = {}
    print(f"{args.title}, {date}, {args.cpu}, {runs[0]['threads']} threads, "
          f"median of {runs[0]['epochs']} timed epochs")
    print(f"{'model':<6}{'framework':<26}{'median s/epoch':>16}{'CPU s/epoch':>13}"
          f"{'final loss':>12}{'test acc':>10}{'speed-up wall':>15}{'speed-up CPU':>14}"
          f"{'peak RSS MiB':>14}")
    for model in models:
        group = [r for r in runs if r.get("model", "gcn") == model]
        ours = [r for r in group if r["framework"] == "moegnn"]
        pyg = [r for r in group if r["framework"] == "pyg"]
        if not ours or not pyg:
            sys.exit(f"error: model {model}: need one moegnn run and at least one PyG run")
        best = min(pyg, key=lambda r: r["median"])
        speedup[model] = best["median"] / ours[0]["median"]
        cpu_speedup[model] = best["cpu_median"] / ours[0]["cpu_median"]
        for r in group:
            acc = f"{r['test_acc']:.3f}" if "test_acc" in r else "-"
            ratio = r["median"] / ours[0]["median"]
            cpu_ratio = r["cpu_median"] / ours[0]["cpu_median"]
            rss = f"{r['peak_rss_mb']:.0f}" if "peak_rss_mb" in r else "-"
            print(f"{model:<6}{name_of(r):<26}{r['median']:>16.5f}{r['cpu_median']:>13.5f}"
                  f"{r['final_loss']:>12.4f}{acc:>10}{ratio:>14.2f}x{cpu_ratio:>13.2f}x{rss:>14}")
    pyg_versions = next((r for r in runs if "torch" in r), None)
    if pyg_versions:
        print(f"torch {pyg_versions['torch']}, torch_geometric {pyg_versions['torch_geometric']}")
    report = {"date": date, "cpu": args.cpu, "title": args.title, "runs": runs,
              "speedup_vs_best_pyg": speedup, "cpu_speedup_vs_best_pyg": cpu_speedup}
    directory = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(directory, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, suffix=".tmp") as f:
        json.dump(report, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(f.name, args.out)
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
