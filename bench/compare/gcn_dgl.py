# SPDX-License-Identifier: Apache-2.0
"""The DGL side of anchors.sh: full-batch GCN training epochs on the arxiv-scale graph file.

The model of gcn_pyg.py (the GCN of OGB's ogbn-arxiv example: 3 x GraphConv, hidden 256,
BatchNorm1d + ReLU + dropout 0.5 between them, cross-entropy on all nodes, Adam lr 0.01), built
from dgl.nn.GraphConv with norm="both" (D^-1/2 A D^-1/2; the file's graph already holds one
self-loop per node, so this is moegnn's gcn_norm on that graph). Reads the file written by
`moegnn_models_bench --write-graph` (layout in bench/models/gcn_epoch.cpp). Runs in the DGL venv
(.venv-dgl: DGL 2.1.0 from PyPI supports torch <= 2.2, so it cannot share .venv-bench).
Prints {"framework": "dgl", "model": "gcn", "epoch_seconds": [...], "median": ...} on stdout.
"""
import argparse
import warnings

import numpy as np
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
import dgl  # noqa: E402
from dgl.nn import GraphConv  # noqa: E402

from pyg_common import print_record, read_graph, time_epochs  # noqa: E402


class GCN(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels, num_layers, dropout):
        super().__init__()
        dims = [in_channels] + [hidden] * (num_layers - 1) + [out_channels]
        self.convs = torch.nn.ModuleList(
            GraphConv(a, b, norm="both", allow_zero_in_degree=True) for a, b in zip(dims, dims[1:]))
        self.bns = torch.nn.ModuleList(
            torch.nn.BatchNorm1d(hidden) for _ in range(num_layers - 1))
        self.dropout = dropout

    def forward(self, g, x):
        for conv, bn in zip(self.convs[:-1], self.bns):
            x = F.dropout(F.relu(bn(conv(g, x))), p=self.dropout, training=self.training)
        return self.convs[-1](g, x)


def dgl_graph(n, row_ptr, col_idx):
    """The file's CSR (row i = the sources of the edges into i) as a DGLGraph, formats built."""
    dst = torch.repeat_interleave(torch.arange(n), torch.from_numpy(np.diff(row_ptr)))
    src = torch.from_numpy(col_idx.astype(np.int64))
    g = dgl.graph((src, dst), num_nodes=n)
    return g.formats(["csc", "csr"])  # what GraphConv's SpMM uses, built once, outside the timing


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    n, row_ptr, col_idx, features, labels, num_classes = read_graph(args.graph)
    g = dgl_graph(n, row_ptr, col_idx)
    x = torch.from_numpy(features)
    y = torch.from_numpy(labels.astype(np.int64))
    model = GCN(x.size(1), args.hidden, num_classes, args.layers, 0.5)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

    def train_epoch():
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(g, x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    seconds, cpu_seconds, loss_value = time_epochs(train_epoch, args.warmup, args.epochs)
    print_record({
        "framework": "dgl", "model": "gcn", "threads": torch.get_num_threads(),
        "epochs": args.epochs, "final_loss": loss_value, "torch": torch.__version__,
        "dgl": dgl.__version__}, seconds, cpu_seconds)


if __name__ == "__main__":
    main()
