# SPDX-License-Identifier: Apache-2.0
"""The PyTorch Geometric side of gin_graph_vs_pyg.sh: times GIN graph-classification epochs.

Reads a TU dataset folder (DS_A.txt, DS_graph_indicator.txt, DS_graph_labels.txt, optional
DS_node_labels.txt / DS_node_attributes.txt) with numpy into the same features moegnn's reader
builds (one-hot node labels, then attributes), and trains the model of PyG's examples/gin.py:
num_layers GINConv(MLP([in, hidden, hidden])) + ReLU, global_add_pool, MLP([hidden, hidden,
classes], norm=None, dropout=0.5), Adam lr 0.01, a shuffled DataLoader over every graph. Prints one
JSON line (pyg_common.print_record) with the peak RSS added.
"""
import argparse
import os
import resource
import warnings

import numpy as np
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=FutureWarning)
from torch_geometric.data import Data  # noqa: E402
from torch_geometric.loader import DataLoader  # noqa: E402
from torch_geometric.nn import MLP, GINConv, global_add_pool  # noqa: E402

from pyg_common import print_record, time_epochs  # noqa: E402


def read_tu(folder):
    name = os.path.basename(os.path.normpath(folder))
    path = lambda suffix: os.path.join(folder, f"{name}_{suffix}.txt")  # noqa: E731
    edges = np.loadtxt(path("A"), delimiter=",", dtype=np.int64) - 1
    graph_of = np.loadtxt(path("graph_indicator"), dtype=np.int64) - 1
    labels = np.loadtxt(path("graph_labels"), dtype=np.int64)
    classes = np.unique(labels)
    y = np.searchsorted(classes, labels)
    parts = []
    if os.path.exists(path("node_labels")):
        nl = np.loadtxt(path("node_labels"), dtype=np.int64).reshape(len(graph_of), -1)
        for c in range(nl.shape[1]):
            col = nl[:, c] - nl[:, c].min()
            parts.append(np.eye(col.max() + 1, dtype=np.float32)[col])
    if os.path.exists(path("node_attributes")):
        na = np.loadtxt(path("node_attributes"), delimiter=",", dtype=np.float32)
        parts.append(na.reshape(len(graph_of), -1))
    x = np.concatenate(parts, axis=1) if parts else np.ones((len(graph_of), 1), np.float32)
    starts = np.searchsorted(graph_of, np.arange(len(labels) + 1))
    edge_graph = graph_of[edges[:, 0]]
    order = np.argsort(edge_graph, kind="stable")
    edges, edge_graph = edges[order], edge_graph[order]
    edge_starts = np.searchsorted(edge_graph, np.arange(len(labels) + 1))
    data = []
    for g in range(len(labels)):
        lo, hi = starts[g], starts[g + 1]
        e = edges[edge_starts[g]:edge_starts[g + 1]] - lo
        data.append(Data(x=torch.from_numpy(x[lo:hi]), edge_index=torch.from_numpy(e.T.copy()),
                         y=torch.tensor([int(y[g])])))
    return name, data, x.shape[1], len(classes)


class Net(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels, num_layers):
        super().__init__()
        self.convs = torch.nn.ModuleList()
        for _ in range(num_layers):
            self.convs.append(GINConv(nn=MLP([in_channels, hidden, hidden]), train_eps=False))
            in_channels = hidden
        self.mlp = MLP([hidden, hidden, out_channels], norm=None, dropout=0.5)

    def forward(self, x, edge_index, batch, batch_size):
        for conv in self.convs:
            x = conv(x, edge_index).relu()
        return self.mlp(global_add_pool(x, batch, size=batch_size))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset-dir", required=True)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--layers", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    name, data, num_features, num_classes = read_tu(args.dataset_dir)
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True)
    model = Net(num_features, args.hidden, num_classes, args.layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

    def train_epoch():
        model.train()
        total, count = 0.0, 0
        for batch in loader:
            optimizer.zero_grad()
            out = model(batch.x, batch.edge_index, batch.batch, batch.num_graphs)
            loss = F.cross_entropy(out, batch.y)
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * batch.num_graphs
            count += batch.num_graphs
        return total / count

    seconds, cpu_seconds, loss = time_epochs(train_epoch, args.warmup, args.epochs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print_record({"framework": "pyg", "model": "gin-graph", "epochs": args.epochs, "dataset": name, "graphs": len(data),
                  "threads": args.threads, "hidden": args.hidden, "layers": args.layers,
                  "batch_size": args.batch_size, "final_loss": round(loss, 6),
                  "peak_rss_mb": round(peak, 1)}, seconds, cpu_seconds)


if __name__ == "__main__":
    main()
