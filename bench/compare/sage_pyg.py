# SPDX-License-Identifier: Apache-2.0
"""The PyTorch Geometric side of sage_vs_pyg.sh: neighbour-sampled GraphSAGE training epochs.

Reads the graph file written by `moegnn_models_bench --write-graph` (layout in
bench/models/gcn_epoch.cpp); the seeds are nodes 0 .. train_nodes-1, shuffled per epoch, in
batches of --batch-size; --fanouts are PyG's num_neighbors (seeds outward). Model:
torch_geometric.nn.GraphSAGE (len(fanouts) SAGEConv layers, mean aggregation, ReLU, dropout 0.5,
hidden 256), run layer-trimmed on the sampled subgraph (num_sampled_nodes/edges_per_hop, PyG's
trim_to_layer), cross-entropy on the seeds, Adam lr 0.01. One timed epoch = every batch: sample,
gather features, forward, loss, backward, step (moegnn's side: bench/models/sage_epoch.cpp).

Sampler: torch_geometric.loader.NeighborLoader when pyg-lib or torch-sparse is installed. Neither
is on PyPI as a wheel (pyg-lib lives on data.pyg.org; torch-sparse is a source package), so
without them the script samples the same way in vectorised torch (uniform without replacement,
hop by hop, only newly reached nodes expanded, as NeighborLoader does) and says so in the JSON
("format": "torch-sampler" instead of "NeighborLoader").
Prints {"framework": "pyg", "model": "sage", "epoch_seconds": [...], "median": ...}.
"""
import argparse
import warnings

import numpy as np
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=FutureWarning)  # torch.jit deprecation notes
warnings.filterwarnings("ignore", category=DeprecationWarning)
import torch_geometric  # noqa: E402
import torch_geometric.typing  # noqa: E402
from torch_geometric.nn.models import GraphSAGE  # noqa: E402

from pyg_common import print_record, read_graph, time_epochs  # noqa: E402

class TorchSampler:
    """Uniform neighbour sampling without replacement over a CSR of in-neighbours (row i lists
    the sources of the edges into i), with NeighborLoader's output layout: nodes = seeds, then the
    nodes first reached at hop 1, 2, ...; edges grouped by hop; local ids."""

    def __init__(self, row_ptr, col_idx, num_nodes):
        self.row_ptr = row_ptr
        self.col = col_idx
        self.local = torch.full((num_nodes,), -1, dtype=torch.long)

    def sample(self, seeds, fanouts):
        local = self.local
        nodes = [seeds]
        local[seeds] = torch.arange(seeds.numel())
        count = seeds.numel()
        frontier = seeds
        src_parts, dst_parts = [], []
        num_nodes, num_edges = [seeds.numel()], []
        for k in fanouts:
            start = self.row_ptr[frontier]
            deg = self.row_ptr[frontier + 1] - start
            total = int(deg.sum())
            first = torch.cumsum(deg, 0) - deg
            seg = torch.repeat_interleave(torch.arange(frontier.numel()), deg)
            offset = torch.arange(total) - first[seg]
            # k smallest random keys per segment: sort by (segment, key), keep ranks < k.
            order = torch.argsort(seg.double() + torch.rand(total, dtype=torch.double))
            keep = order[offset < k]
            src = self.col[start[seg[keep]] + offset[keep]]
            dst = local[frontier[seg[keep]]]
            fresh = torch.unique(src[local[src] < 0])
            local[fresh] = torch.arange(count, count + fresh.numel())
            count += fresh.numel()
            nodes.append(fresh)
            src_parts.append(local[src])
            dst_parts.append(dst)
            num_nodes.append(fresh.numel())
            num_edges.append(keep.numel())
            frontier = fresh
        node = torch.cat(nodes)
        local[node] = -1
        edge_index = torch.stack([torch.cat(src_parts), torch.cat(dst_parts)])
        return node, edge_index, num_nodes, num_edges


def batches_torch(sampler, train, batch_size, fanouts, x, y):
    perm = train[torch.randperm(train.numel())]
    for lo in range(0, perm.numel(), batch_size):
        seeds = perm[lo:lo + batch_size]
        node, edge_index, num_nodes, num_edges = sampler.sample(seeds, fanouts)
        yield x[node], edge_index, y[seeds], num_nodes, num_edges, seeds.numel()


def batches_loader(loader):
    # NeighborLoader fills num_sampled_nodes / num_sampled_edges (hop sizes, which let the model
    # trim each layer's work) only with pyg-lib; with torch-sparse alone they are absent and the
    # model runs untrimmed, as PyG's own examples do there.
    for b in loader:
        yield (b.x, b.edge_index, b.y[:b.batch_size], getattr(b, "num_sampled_nodes", None),
               getattr(b, "num_sampled_edges", None), b.batch_size)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--fanouts", default="15,10,5")
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--train-nodes", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    fanouts = [int(f) for f in args.fanouts.split(",")]
    n, row_ptr, col_idx, features, labels, num_classes = read_graph(args.graph)
    x = torch.from_numpy(features)
    y = torch.from_numpy(labels.astype(np.int64))
    train_nodes = min(args.train_nodes, n) if args.train_nodes > 0 else n
    train = torch.arange(train_nodes)
    rp = torch.from_numpy(row_ptr)
    col = torch.from_numpy(col_idx.astype(np.int64))

    have_sampler = torch_geometric.typing.WITH_PYG_LIB or torch_geometric.typing.WITH_TORCH_SPARSE
    if have_sampler:
        from torch_geometric.data import Data
        from torch_geometric.loader import NeighborLoader
        dst = torch.repeat_interleave(torch.arange(n), rp[1:] - rp[:-1])
        data = Data(x=x, y=y, edge_index=torch.stack([col, dst]), num_nodes=n)
        loader = NeighborLoader(data, num_neighbors=fanouts, batch_size=args.batch_size,
                                input_nodes=train, shuffle=True)
        epoch_batches = lambda: batches_loader(loader)  # noqa: E731
        sampler_name = "NeighborLoader"
    else:
        sampler = TorchSampler(rp, col, n)
        epoch_batches = lambda: batches_torch(  # noqa: E731
            sampler, train, args.batch_size, fanouts, x, y)
        sampler_name = "torch-sampler"

    model = GraphSAGE(x.size(1), args.hidden, num_layers=len(fanouts), out_channels=num_classes,
                      dropout=0.5)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model.train()
    sampled_edges = 0

    def train_epoch():
        nonlocal sampled_edges
        sampled_edges = 0
        loss = None
        for xb, edge_index, yb, num_nodes, num_edges, size in epoch_batches():
            optimizer.zero_grad()
            out = model(xb, edge_index, num_sampled_nodes_per_hop=num_nodes,
                        num_sampled_edges_per_hop=num_edges)[:size]
            loss = F.cross_entropy(out, yb)
            loss.backward()
            optimizer.step()
            sampled_edges += int(edge_index.size(1))
        return loss.item()

    seconds, cpu_seconds, loss_value = time_epochs(train_epoch, args.warmup, args.epochs)
    print_record({
        "framework": "pyg", "model": "sage", "format": sampler_name,
        "threads": torch.get_num_threads(), "epochs": args.epochs, "final_loss": loss_value,
        "fanouts": fanouts, "batch_size": args.batch_size, "train_nodes": train_nodes,
        "sampled_edges": sampled_edges, "torch": torch.__version__,
        "torch_geometric": torch_geometric.__version__}, seconds, cpu_seconds)


if __name__ == "__main__":
    main()
