# SPDX-License-Identifier: Apache-2.0
"""The competitors' side of anchors.sh: time per mini-batch of multi-hop uniform neighbour
sampling on the arxiv-scale graph file, without feature gathering.

  --backend pyg  torch_geometric.loader.NeighborLoader (needs torch-sparse or pyg-lib; refuses to
                 run without them instead of timing a stand-in), num_neighbors = --fanouts;
  --backend dgl  dgl.dataloading.NeighborSampler(fanouts reversed: DGL lists the input layer
                 first) and sample_blocks, which also builds the blocks (relabelled ids), as
                 NeighborLoader does (.venv-dgl).

--fanouts lists neighbours per hop from the seeds outward (PyG's order), default 15,10,5. Seeds
are nodes 0 .. --train-nodes - 1, shuffled with --seed, in batches of --batch-size; the graph has
no features attached, so both sides do sampling and relabelling only. Prints one JSON line
{"framework", "format", "batch_ms_median", "batch_ms": [...], "edges_per_batch", "nodes_per_batch"}.
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


def pyg_batches(n, row_ptr, col_idx, seeds, fanouts, batch_size):
    import torch_geometric
    import torch_geometric.typing
    from torch_geometric.data import Data
    from torch_geometric.loader import NeighborLoader
    if not (torch_geometric.typing.WITH_PYG_LIB or torch_geometric.typing.WITH_TORCH_SPARSE):
        raise SystemExit("error: NeighborLoader needs torch-sparse or pyg-lib; neither imports")
    dst = torch.repeat_interleave(torch.arange(n), torch.from_numpy(np.diff(row_ptr)))
    src = torch.from_numpy(col_idx.astype(np.int64))
    data = Data(edge_index=torch.stack([src, dst]), num_nodes=n)
    loader = NeighborLoader(data, num_neighbors=fanouts, batch_size=batch_size, input_nodes=seeds,
                            shuffle=False)
    for batch in loader:
        yield batch.num_nodes, batch.edge_index.size(1)
    return {"torch_geometric": torch_geometric.__version__}


def dgl_batches(n, row_ptr, col_idx, seeds, fanouts, batch_size):
    import dgl
    dst = torch.repeat_interleave(torch.arange(n), torch.from_numpy(np.diff(row_ptr)))
    src = torch.from_numpy(col_idx.astype(np.int64))
    g = dgl.graph((src, dst), num_nodes=n).formats(["csc"])
    sampler = dgl.dataloading.NeighborSampler(list(reversed(fanouts)))
    for start in range(0, seeds.numel(), batch_size):
        input_nodes, _, blocks = sampler.sample_blocks(g, seeds[start:start + batch_size])
        yield input_nodes.numel(), sum(b.num_edges() for b in blocks)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--backend", choices=["pyg", "dgl"], required=True)
    parser.add_argument("--fanouts", default="15,10,5")
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--train-nodes", type=int, default=90941)
    parser.add_argument("--batches", type=int, default=40, help="timed batches")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    n, row_ptr, col_idx, _, _, _ = read_graph(args.graph)
    fanouts = [int(f) for f in args.fanouts.split(",")]
    seeds = torch.randperm(args.train_nodes)[: (args.batches + 1) * args.batch_size]
    make = pyg_batches if args.backend == "pyg" else dgl_batches
    batches = make(n, row_ptr, col_idx, seeds, fanouts, args.batch_size)
    next(batches)  # one untimed batch (lazy format construction, first allocations)
    ms, nodes, edges = [], [], []
    for _ in range(args.batches):
        start = time.perf_counter()
        num_nodes, num_edges = next(batches)
        ms.append((time.perf_counter() - start) * 1e3)
        nodes.append(num_nodes)
        edges.append(num_edges)
    import importlib.metadata as md
    versions = {k: md.version(k) for k in ("torch", "torch_geometric", "torch_sparse", "dgl")
                if importlib_has(md, k)}
    print(json.dumps({
        "framework": args.backend, "format": "NeighborLoader" if args.backend == "pyg"
        else "NeighborSampler.sample_blocks", "fanouts": fanouts, "batch_size": args.batch_size,
        "batch_ms_median": statistics.median(ms), "batch_ms": [round(v, 3) for v in ms],
        "edges_per_batch": statistics.mean(edges), "nodes_per_batch": statistics.mean(nodes),
        "threads": torch.get_num_threads(), **versions}))


def importlib_has(md, name):
    try:
        md.version(name)
        return True
    except md.PackageNotFoundError:
        return False


if __name__ == "__main__":
    main()
