# SPDX-License-Identifier: Apache-2.0
"""The DGL side of anchors.sh: full-batch GCN / GAT training epochs on Cora.

The models of cora_pyg.py (PyG's examples/gcn.py and examples/gat.py) built from dgl.nn:
  gcn: dropout 0.5 -> GraphConv(F, 16) -> ReLU -> dropout 0.5 -> GraphConv(16, C);
       Adam lr 0.01, weight decay 5e-4 on the first layer only;
  gat: dropout 0.6 -> GATConv(F, 8, 8 heads, attn dropout 0.6) -> ELU -> dropout 0.6 ->
       GATConv(64, C, 1 head, attn dropout 0.6); Adam lr 0.005, weight decay 5e-4.
Cora is read from the original Planetoid files in --data (ind.cora.*; dgl.data would download
them) the way PyG's Planetoid reads them: test rows reordered by test.index, the graph made
undirected without duplicates, features row-normalised, then one self-loop per node (what
GCNConv and GATConv add). One timed epoch = forward, cross-entropy on the 140 training nodes,
backward, optimizer step. Prints {"framework": "dgl", "model": ..., "median": ..., "test_acc": ...}.
"""
import argparse
import os
import pickle
import warnings

import numpy as np
import scipy.sparse as sp
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
import dgl  # noqa: E402
from dgl.nn import GATConv, GraphConv  # noqa: E402

from pyg_common import print_record, time_epochs  # noqa: E402


def load_cora(directory):
    """(graph, features, labels, train, test) from the ind.cora.* files (Planetoid layout)."""
    def load(name):
        with open(os.path.join(directory, f"ind.cora.{name}"), "rb") as f:
            return pickle.load(f, encoding="latin1")
    x, tx, allx, y, ty, ally, graph = (load(n) for n in ["x", "tx", "allx", "y", "ty", "ally", "graph"])
    test_index = np.loadtxt(os.path.join(directory, "ind.cora.test.index"), dtype=np.int64)
    order = np.sort(test_index)
    features = sp.vstack([allx, tx]).tolil()
    features[test_index, :] = features[order, :]
    labels = np.vstack([ally, ty])
    labels[test_index, :] = labels[order, :]
    n = features.shape[0]
    src = [u for u, vs in graph.items() for v in vs]
    dst = [v for u, vs in graph.items() for v in vs]
    a = sp.coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(np.float32)
    a.setdiag(0)
    a.eliminate_zeros()
    a = a.tocoo()
    g = dgl.add_self_loop(dgl.graph((torch.from_numpy(a.row.astype(np.int64)),
                                     torch.from_numpy(a.col.astype(np.int64))), num_nodes=n))
    x = torch.tensor(features.toarray(), dtype=torch.float32)
    x = x / x.sum(1, keepdim=True).clamp(min=1)
    return g.formats(["csc", "csr", "coo"]), x, torch.from_numpy(labels.argmax(1)), \
        torch.arange(y.shape[0]), torch.from_numpy(order)


class GCN(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels):
        super().__init__()
        self.conv1 = GraphConv(in_channels, hidden)
        self.conv2 = GraphConv(hidden, out_channels)

    def forward(self, g, x):
        x = F.dropout(x, p=0.5, training=self.training)
        x = F.relu(self.conv1(g, x))
        x = F.dropout(x, p=0.5, training=self.training)
        return self.conv2(g, x)


class GAT(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels, heads):
        super().__init__()
        self.conv1 = GATConv(in_channels, hidden, heads, attn_drop=0.6)
        self.conv2 = GATConv(hidden * heads, out_channels, 1, attn_drop=0.6)

    def forward(self, g, x):
        x = F.dropout(x, p=0.6, training=self.training)
        x = F.elu(self.conv1(g, x).flatten(1))
        x = F.dropout(x, p=0.6, training=self.training)
        return self.conv2(g, x).mean(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="directory holding ind.cora.*")
    parser.add_argument("--model", choices=["gcn", "gat"], required=True)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    g, x, y, train, test = load_cora(args.data)
    num_classes = int(y.max()) + 1
    if args.model == "gcn":
        model = GCN(x.size(1), 16, num_classes)
        optimizer = torch.optim.Adam([
            dict(params=model.conv1.parameters(), weight_decay=5e-4),
            dict(params=model.conv2.parameters(), weight_decay=0)], lr=0.01)
    else:
        model = GAT(x.size(1), 8, num_classes, 8)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)

    def train_epoch():
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(g, x)[train], y[train])
        loss.backward()
        optimizer.step()
        return loss.item()

    seconds, cpu_seconds, loss_value = time_epochs(train_epoch, args.warmup, args.epochs)
    model.eval()
    with torch.no_grad():
        pred = model(g, x).argmax(dim=-1)
    test_acc = float((pred[test] == y[test]).float().mean())
    print_record({
        "framework": "dgl", "model": args.model, "threads": torch.get_num_threads(),
        "epochs": args.epochs, "final_loss": loss_value, "test_acc": test_acc,
        "torch": torch.__version__, "dgl": dgl.__version__}, seconds, cpu_seconds)


if __name__ == "__main__":
    main()
