# SPDX-License-Identifier: Apache-2.0
"""The PyTorch Geometric side of gcn_vs_pyg.sh: times full-batch GCN training epochs.

Reads the graph file written by `moegnn_models_bench --write-graph` (layout in
bench/models/gcn_epoch.cpp) with numpy and trains the GCN of PyG's ogbn-arxiv example
(examples/nodeproppred/arxiv/gnn.py in the OGB repository): GCNConv layers with cached normalisation,
BatchNorm1d + ReLU + dropout 0.5 between them, cross-entropy on all nodes, Adam lr 0.01.
The graph already holds one self-loop per node, so GCNConv is built with add_self_loops=False
(the normalisation D^-1/2 A D^-1/2 is then the same as moegnn's gcn_norm on that graph).
Prints {"framework": "pyg", "epoch_seconds": [...], "median": ...} on stdout.
"""
import argparse
import warnings

import numpy as np
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=FutureWarning)  # torch.jit deprecation notes
import torch_geometric  # noqa: E402
from torch_geometric.nn import GCNConv  # noqa: E402

from pyg_common import print_record, read_graph, time_epochs  # noqa: E402

class GCN(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels, num_layers, dropout):
        super().__init__()
        dims = [in_channels] + [hidden] * (num_layers - 1) + [out_channels]
        self.convs = torch.nn.ModuleList(
            GCNConv(a, b, cached=True, add_self_loops=False) for a, b in zip(dims, dims[1:]))
        self.bns = torch.nn.ModuleList(
            torch.nn.BatchNorm1d(hidden) for _ in range(num_layers - 1))
        self.dropout = dropout

    def forward(self, x, adj):
        for conv, bn in zip(self.convs[:-1], self.bns):
            x = conv(x, adj)
            x = bn(x)
            x = F.relu(x)
            x = F.dropout(x, p=self.dropout, training=self.training)
        return self.convs[-1](x, adj)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["edge_index", "csr"], default="edge_index",
                        help="edge_index: COO message passing (gather + scatter); "
                             "csr: torch.sparse_csr adjacency (fused SpMM)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    n, row_ptr, col_idx, features, labels, num_classes = read_graph(args.graph)
    x = torch.from_numpy(features)
    y = torch.from_numpy(labels.astype(np.int64))
    # Row i of the file's CSR lists the sources of the edges into i: edge (col_idx[k] -> i).
    dst = torch.repeat_interleave(torch.arange(n), torch.from_numpy(np.diff(row_ptr)))
    src = torch.from_numpy(col_idx.astype(np.int64))
    if args.format == "edge_index":
        adj = torch.stack([src, dst])
    else:  # adj_t[i, j] = 1 for every edge j -> i, i.e. exactly the file's CSR
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        adj = torch.sparse_csr_tensor(torch.from_numpy(row_ptr), src, torch.ones(src.numel()),
                                      size=(n, n), check_invariants=True)

    model = GCN(x.size(1), args.hidden, num_classes, args.layers, 0.5)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    def train_epoch():
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x, adj), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    seconds, cpu_seconds, loss_value = time_epochs(train_epoch, args.warmup, args.epochs)
    print_record({
        "framework": "pyg", "model": "gcn", "format": args.format, "threads": torch.get_num_threads(),
        "epochs": args.epochs, "final_loss": loss_value, "torch": torch.__version__,
        "torch_geometric": torch_geometric.__version__}, seconds, cpu_seconds)


if __name__ == "__main__":
    main()
