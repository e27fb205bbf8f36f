# SPDX-License-Identifier: Apache-2.0
"""torch.sparse.mm on the benchmark graph file: the torch side of bench/compare/spmm_vs_torch.sh.

Reads the graph file of moegnn_models_bench --write-graph (layout in bench/models/gcn_epoch.cpp;
row i lists the sources of the edges into i, so out = A @ X is moegnn's SpMM-sum), builds a
torch.sparse_csr_tensor with unit values (torch's CSR needs them), and times torch.sparse.mm(A, X)
for each width: one untimed call, then --reps timed calls, median. Prints one JSON line:
{"framework": "torch", "op": "torch.sparse.mm", "threads", "ms": {F: median ms}, "runs_ms": {F: [...]},
 "torch": version}.
"""
import argparse
import json
import statistics
import time

import numpy as np
import torch


def read_graph(path):
    with open(path, "rb") as f:
        if f.read(8) != b"MOEGCNB1":
            raise SystemExit(f"error: {path}: bad magic vs MOEGCNB1")
        n, nnz, _, _ = np.frombuffer(f.read(32), dtype="<u8")
        row_ptr = np.frombuffer(f.read(8 * (int(n) + 1)), dtype="<i8")
        col_idx = np.frombuffer(f.read(4 * int(nnz)), dtype="<i4")
    return int(n), row_ptr, col_idx


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--widths", default="64,128,256")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    n, row_ptr, col_idx = read_graph(args.graph)
    a = torch.sparse_csr_tensor(torch.from_numpy(row_ptr.copy()),
                                torch.from_numpy(col_idx.astype(np.int64)),
                                torch.ones(len(col_idx), dtype=torch.float32), size=(n, n),
                                check_invariants=False)
    result = {"framework": "torch", "op": "torch.sparse.mm", "threads": args.threads, "ms": {},
              "runs_ms": {}, "torch": torch.__version__}
    gen = torch.Generator().manual_seed(7)
    for width in (int(w) for w in args.widths.split(",")):
        x = torch.rand(n, width, generator=gen) * 2 - 1
        torch.sparse.mm(a, x)
        runs = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            torch.sparse.mm(a, x)
            runs.append((time.perf_counter() - t0) * 1e3)
        result["ms"][width] = statistics.median(runs)
        result["runs_ms"][width] = runs
    print(json.dumps(result))


if __name__ == "__main__":
    main()
