#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scaling model of full-graph distributed GCN training (issue 22), from measurements.

Inputs (JSON lines of build*/bench/moegnn_partition_bench; bench/compare/dist_scaling.sh runs both):
  --step FILE    `step` mode: per METIS part (P = 1, 2, 4, 8), the median time of one training
                 step (forward + backward) of the 3-layer GCN (hidden 256) on the part's local graph,
                 1 thread, with its owned / halo rows and local edges;
  --volume FILE  `volume` mode, METIS, P = 1 .. 64: per part nodes, halo (rows received), send
                 (rows sent) and in-edges.
Model, per epoch (every rank in step, one rank per machine):
  epoch(P) = max over ranks of compute + halo exchange + allreduce of the parameters
  compute  = a * local_edges + b * owned_rows + c * halo_rows: a from the step's sparse share
             (each step is also timed on a block without edges), b and c fitted to the edgeless
             steps (1 core per rank measured; --cores C divides the compute by C for the projection);
  exchange = per layer l, forward (features) and backward (gradients):
             max over ranks of max(rows received, rows sent) * width_l * 4 B / bandwidth
             + (P - 1) messages * latency   (full-duplex links; widths 128, 256, 256)
  allreduce = ring: 2 (P - 1) / P * parameter bytes / bandwidth + 2 (P - 1) * latency.
arxiv-scale rows use the measured METIS parts of that P. papers100M rows scale: N = 111,059,956
nodes, E = 3,342,431,700 stored entries (1,615,685,872 edges symmetrised + a self-loop per node),
edge-balanced parts (max / mean 1.05 assumed, as DistDGL's balance_edges gives), owned = 1.03 N / P,
and halo rows of the busiest rank = r * owned for each assumed r of --halo-ratios (default 0.25 and
1.0: real citation graphs measure 0.12-0.43 on Cora at P = 2-8, the R-MAT arxiv-scale graph, which
has no locality, 0.5-3.7; see docs/benchmarks.md).
Prints markdown tables.
"""
import argparse
import json
import sys

PAPERS_NODES = 111_059_956
PAPERS_EDGES = 2 * 1_615_685_872 + PAPERS_NODES
WIDTHS = [128, 256, 256]  # the layers' input widths (features 128, hidden 256)


def params(features=128, hidden=256, classes=40):
    dims = [features, hidden, hidden, classes]
    return sum(dims[i] * dims[i + 1] + dims[i + 1] for i in range(3))


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def solve(m, v):
    """Solves the small dense system m x = v (Gaussian elimination, partial pivoting)."""
    n = len(v)
    a = [row[:] + [v[i]] for i, row in enumerate(m)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[piv] = a[piv], a[col]
        for r in range(n):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def fit(steps):
    """Costs of t = a E + b owned + c halo. a: the sparse part, sum over parts of (step - the same
    step without edges) / sum of local edges; b, c: non-negative least squares on the edgeless steps
    (a cost that comes out negative, from noise, is dropped and the other refitted)."""
    a = sum(s["step_seconds"] - s["dense_seconds"] for s in steps) / sum(s["local_edges"] for s in steps)
    xs = [(s["owned"], s["halo"]) for s in steps]
    ys = [s["dense_seconds"] for s in steps]
    active = [0, 1]
    while True:
        m = [[sum(x[i] * x[j] for x in xs) for j in active] for i in active]
        v = [sum(x[i] * y for x, y in zip(xs, ys)) for i in active]
        sol = solve(m, v)
        if min(sol) >= 0 or len(active) == 1:
            coef = [0.0, 0.0]
            for i, c in zip(active, sol):
                coef[i] = max(c, 0.0)
            break
        active.pop(min(range(len(sol)), key=lambda k: sol[k]))
    full = [(s["local_edges"], s["owned"], s["halo"]) for s in steps]
    return [max(a, 0.0)] + coef, full, [s["step_seconds"] for s in steps]


def comm_seconds(rows_max, parts, gbit, latency):
    if parts == 1:
        return 0.0
    bw = gbit * 1e9 / 8
    return sum(2 * rows_max * w * 4 / bw + 2 * (parts - 1) * latency for w in WIDTHS)


def allreduce_seconds(parts, gbit, latency, nbytes):
    if parts == 1:
        return 0.0
    return 2 * (parts - 1) / parts * nbytes / (gbit * 1e9 / 8) + 2 * (parts - 1) * latency


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--step", required=True)
    ap.add_argument("--volume", required=True)
    ap.add_argument("--links", default="10:25e-6,100:2e-6",
                    help="bandwidth_gbit:latency_s pairs (default 10 Gbit/s with 25 us, 100 Gbit/s with 2 us)")
    ap.add_argument("--cores", type=float, default=16.0,
                    help="the projected ranks' compute speed-up over the measured single core (default 16)")
    ap.add_argument("--halo-ratios", type=lambda t: [float(x) for x in t.split(",")],
                    default=[0.25, 1.0],
                    help="papers100M: assumed halo rows of the busiest rank per owned row "
                         "(default 0.25,1.0)")
    a = ap.parse_args()
    links = [tuple(float(x) for x in pair.split(":")) for pair in a.links.split(",")]
    steps = load(a.step)
    vols = sorted((r for r in load(a.volume) if r["method"] == "metis"), key=lambda r: r["parts"])
    (ce, cn, ch), xs, ys = fit(steps)
    print(f"Fit over {len(steps)} part steps (1 thread): t = {ce * 1e9:.2f} ns x local edges "
          f"+ {cn * 1e9:.1f} ns x owned rows + {ch * 1e9:.1f} ns x halo rows")
    worst = max(abs(ce * x[0] + cn * x[1] + ch * x[2] - y) / y for x, y in zip(xs, ys))
    print(f"largest relative residual {100 * worst:.1f} %\n")
    print("| P | measured max-rank step (s) | fitted (s) |")
    print("|---|---|---|")
    for p in sorted({s["parts"] for s in steps}):
        rows = [s for s in steps if s["parts"] == p]
        meas = max(s["step_seconds"] for s in rows)
        fitted = max(ce * s["local_edges"] + cn * s["owned"] + ch * s["halo"] for s in rows)
        print(f"| {p} | {meas:.3f} | {fitted:.3f} |")
    nparam = params()
    pbytes = 4 * nparam
    print(f"\nParameters: {nparam} floats ({pbytes / 1e3:.0f} kB) allreduced per step.\n")

    def row(name, p, compute, rows_max):
        cells = [name, str(p), f"{compute:.3f}", f"{compute / a.cores:.4f}"]
        for gbit, lat in links:
            c = comm_seconds(rows_max, p, gbit, lat)
            r = allreduce_seconds(p, gbit, lat, pbytes)
            cells.append(f"{c:.4f} + {r:.5f}")
            cells.append(f"{compute / a.cores + c + r:.4f}")
        print("| " + " | ".join(cells) + " |")

    head = ["graph", "P", "compute, 1 core (s)", f"compute, {a.cores:g}x (s)"]
    for gbit, lat in links:
        head += [f"exchange + allreduce @ {gbit:g} Gbit/s, {lat * 1e6:g} us (s)",
                 f"epoch @ {gbit:g} Gbit/s (s)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    ratio = {}
    for v in vols:
        p = v["parts"]
        per = [ce * e + cn * n + ch * h for e, n, h in zip(v["part_edges"], v["part_nodes"], v["part_halo"])]
        rows_max = max(max(h, s) for h, s in zip(v["part_halo"], v["part_send"]))
        ratio[p] = rows_max / (v["nodes"] / p)
        row("arxiv-scale (measured parts)", p, max(per), rows_max)
    for r in a.halo_ratios:
        for p in sorted(ratio):
            owned = 1.03 * PAPERS_NODES / p if p > 1 else PAPERS_NODES
            edges = 1.05 * PAPERS_EDGES / p if p > 1 else PAPERS_EDGES
            halo = r * owned if p > 1 else 0.0
            row(f"papers100M, halo = {r:g} x owned", p, ce * edges + cn * owned + ch * halo, halo)
    print("\nMeasured arxiv-scale METIS halo rows of the busiest rank per owned row (max(received, "
          "sent) / (N / P)): " + ", ".join(f"P {p}: {ratio[p]:.2f}" for p in sorted(ratio)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
