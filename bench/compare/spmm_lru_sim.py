# SPDX-License-Identifier: Apache-2.0
"""LRU simulation of SpMM-sum's x traffic: the roofline of docs/benchmarks.md (issue 16).

Reads the graph file of moegnn_models_bench --write-graph (row i lists the sources of its edges)
and replays the kernel's gathers through one LRU cache of `--cache-mb` MiB shared by `--threads`
threads, each walking its contiguous share of the rows, interleaved edge by edge. With column
blocks of B floats (spmm_sum_kernel's feature-dimension blocking) the graph is walked F / B times
and each pass gathers B-float slices (whole 64-byte lines). Prints, per (F, B): x lines missed per
output row, the traffic that follows (misses + indices + output) against the compulsory model
nnz·4 + 2·n·F·4, and the bound that puts on the kernel: compulsory / simulated bytes = the
largest "% triad" (compulsory model) reachable at full triad bandwidth.

    python bench/compare/spmm_lru_sim.py --graph G --cache-mb 32 --widths 128,256 --blocks 0,32,64
"""
import argparse
from collections import OrderedDict

import numpy as np


def read_graph(path):
    with open(path, "rb") as f:
        if f.read(8) != b"MOEGCNB1":
            raise SystemExit(f"error: {path}: bad magic vs MOEGCNB1")
        n, nnz, _, _ = (int(v) for v in np.frombuffer(f.read(32), dtype="<u8"))
        row_ptr = np.frombuffer(f.read(8 * (n + 1)), dtype="<i8")
        col_idx = np.frombuffer(f.read(4 * nnz), dtype="<i4")
    return n, row_ptr, col_idx


def misses(row_ptr, col_idx, n, capacity_rows, threads):
    """x-row misses of one pass: `threads` row ranges interleaved edge by edge, one shared LRU."""
    bounds = [n * t // threads for t in range(threads + 1)]
    streams = [col_idx[row_ptr[bounds[t]]:row_ptr[bounds[t + 1]]].tolist() for t in range(threads)]
    cache = OrderedDict()
    missed = 0
    longest = max(len(s) for s in streams)
    for k in range(longest):
        for s in streams:
            if k >= len(s):
                continue
            c = s[k]
            if c in cache:
                cache.move_to_end(c)
            else:
                missed += 1
                cache[c] = None
                if len(cache) > capacity_rows:
                    cache.popitem(last=False)
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--cache-mb", type=float, default=32.0)
    parser.add_argument("--widths", default="128,256")
    parser.add_argument("--blocks", default="0,32,64,128", help="0: one pass over all F columns")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    n, row_ptr, col_idx = read_graph(args.graph)
    nnz = len(col_idx)
    cache = args.cache_mb * 2**20
    print(f"n {n}, nnz {nnz}, LRU {args.cache_mb:g} MiB shared by {args.threads} threads")
    print(f"{'F':>4} {'block':>5} {'passes':>6} {'misses/row':>10} {'sim MB':>8} {'model MB':>9} "
          f"{'bound % triad':>13}")
    per_pass = {}
    for width in (int(w) for w in args.widths.split(",")):
        model = nnz * 4 + 2 * n * width * 4
        for block in (int(b) for b in args.blocks.split(",")):
            b = width if block == 0 or block > width else block
            passes = (width + b - 1) // b
            slice_bytes = -(-b * 4 // 64) * 64
            capacity = int(cache // slice_bytes)
            if capacity not in per_pass:
                per_pass[capacity] = misses(row_ptr, col_idx, n, capacity, args.threads)
            m = per_pass[capacity]
            traffic = passes * (m * slice_bytes + nnz * 4) + n * width * 4
            print(f"{width:>4} {b:>5} {passes:>6} {m / n:>10.2f} {traffic / 1e6:>8.0f} "
                  f"{model / 1e6:>9.0f} {100.0 * model / traffic:>13.1f}")


if __name__ == "__main__":
    main()
