# SPDX-License-Identifier: Apache-2.0
"""The competitors' side of anchors.sh: SpMM out = A · X (sum, unweighted) on the arxiv-scale
graph file, timed in the frameworks users would call.

  --backend torch-csr     torch.sparse.mm on a torch.sparse_csr_tensor (PyG's `adj_t` path);
  --backend torch-sparse  torch_sparse.matmul on a SparseTensor (PyG's fast path with torch-sparse);
  --backend dgl           dgl.ops.copy_u_sum on a DGLGraph (what GraphConv runs; .venv-dgl).

Reads the graph written by `moegnn_models_bench --write-graph` (row i = the sources of the edges
into i, so A's row i sums X over those sources, as moegnn's spmm_sum does). X is n × F uniform in
[-1, 1). Each width: one untimed call, then --repeats timed calls; prints one JSON line per width
{"framework", "format", "F", "median_ms", "ms": [...], "threads", versions}.
"""
import argparse
import json
import statistics
import time
import warnings

import numpy as np
import torch

from pyg_common import read_graph

warnings.filterwarnings("ignore")


def operator(backend, n, row_ptr, col_idx):
    """(versions, fn(x) -> A·x) for the backend, built outside the timing."""
    rows = torch.from_numpy(row_ptr)
    cols = torch.from_numpy(col_idx.astype(np.int64))
    ones = torch.ones(cols.numel())
    if backend == "torch-csr":
        a = torch.sparse_csr_tensor(rows, cols, ones, size=(n, n))
        return {}, lambda x: torch.sparse.mm(a, x)
    if backend == "torch-sparse":
        import torch_sparse
        a = torch_sparse.SparseTensor(rowptr=rows, col=cols, sparse_sizes=(n, n))
        return {"torch_sparse": torch_sparse.__version__}, lambda x: torch_sparse.matmul(a, x)
    import dgl
    import dgl.ops
    dst = torch.repeat_interleave(torch.arange(n), torch.from_numpy(np.diff(row_ptr)))
    g = dgl.graph((cols, dst), num_nodes=n).formats(["csc"])
    return {"dgl": dgl.__version__}, lambda x: dgl.ops.copy_u_sum(g, x)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--backend", choices=["torch-csr", "torch-sparse", "dgl"], required=True)
    parser.add_argument("--widths", default="16,64,128,256")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    n, row_ptr, col_idx, _, _, _ = read_graph(args.graph)
    versions, spmm = operator(args.backend, n, row_ptr, col_idx)
    generator = torch.Generator().manual_seed(7)
    for width in (int(w) for w in args.widths.split(",")):
        x = torch.rand(n, width, generator=generator) * 2 - 1
        with torch.no_grad():
            spmm(x)
            ms = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                spmm(x)
                ms.append((time.perf_counter() - start) * 1e3)
        print(json.dumps({
            "framework": "dgl" if args.backend == "dgl" else "pyg", "format": args.backend,
            "F": width, "median_ms": statistics.median(ms), "ms": [round(v, 3) for v in ms],
            "threads": torch.get_num_threads(), "torch": torch.__version__, **versions}),
            flush=True)


if __name__ == "__main__":
    main()
