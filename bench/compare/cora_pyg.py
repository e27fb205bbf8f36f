# SPDX-License-Identifier: Apache-2.0
"""The PyTorch Geometric side of cora_vs_pyg.sh: full-batch GCN / GAT training epochs on Cora.

Loads Cora with torch_geometric.datasets.Planetoid from --root, a directory whose Cora/raw/ holds a
copy of the original ind.cora.* files (cora_vs_pyg.sh makes it in a temporary directory; nothing is
downloaded), with NormalizeFeatures, and trains the models of PyG's examples/gcn.py and
examples/gat.py (moegnn's side: bench/models/cora_epoch.cpp):
  gcn: dropout 0.5 -> GCNConv(F, 16, cached) -> ReLU -> dropout 0.5 -> GCNConv(16, C, cached);
       Adam lr 0.01, weight decay 5e-4 on conv1 only;
  gat: dropout 0.6 -> GATConv(F, 8, heads=8, dropout=0.6) -> ELU -> dropout 0.6 ->
       GATConv(64, C, heads=1, concat=False, dropout=0.6); Adam lr 0.005, weight decay 5e-4.
One timed epoch = forward, cross-entropy on the training mask, backward, optimizer step. Prints
{"framework": "pyg", "model": ..., "epoch_seconds": [...], "median": ..., "test_acc": ...}.
"""
import argparse
import warnings

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=FutureWarning)  # torch.jit deprecation notes
import torch_geometric  # noqa: E402
import torch_geometric.transforms as T  # noqa: E402
from torch_geometric.datasets import Planetoid  # noqa: E402
from torch_geometric.nn import GATConv, GCNConv  # noqa: E402

from pyg_common import print_record, time_epochs  # noqa: E402


class GCN(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels):
        super().__init__()
        self.conv1 = GCNConv(in_channels, hidden, cached=True)
        self.conv2 = GCNConv(hidden, out_channels, cached=True)

    def forward(self, x, edge_index):
        x = F.dropout(x, p=0.5, training=self.training)
        x = self.conv1(x, edge_index).relu()
        x = F.dropout(x, p=0.5, training=self.training)
        return self.conv2(x, edge_index)


class GAT(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels, heads):
        super().__init__()
        self.conv1 = GATConv(in_channels, hidden, heads, dropout=0.6)
        self.conv2 = GATConv(hidden * heads, out_channels, heads=1, concat=False, dropout=0.6)

    def forward(self, x, edge_index):
        x = F.dropout(x, p=0.6, training=self.training)
        x = F.elu(self.conv1(x, edge_index))
        x = F.dropout(x, p=0.6, training=self.training)
        return self.conv2(x, edge_index)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="directory holding Cora/raw/ind.cora.*")
    parser.add_argument("--model", choices=["gcn", "gat"], required=True)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data = Planetoid(args.root, "Cora", transform=T.NormalizeFeatures())[0]
    num_classes = int(data.y.max()) + 1
    if args.model == "gcn":
        model = GCN(data.num_features, 16, num_classes)
        optimizer = torch.optim.Adam([
            dict(params=model.conv1.parameters(), weight_decay=5e-4),
            dict(params=model.conv2.parameters(), weight_decay=0)], lr=0.01)
    else:
        model = GAT(data.num_features, 8, num_classes, 8)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)

    def train_epoch():
        model.train()
        optimizer.zero_grad()
        out = model(data.x, data.edge_index)
        loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
        loss.backward()
        optimizer.step()
        return loss.item()

    seconds, cpu_seconds, loss_value = time_epochs(train_epoch, args.warmup, args.epochs)
    model.eval()
    with torch.no_grad():
        pred = model(data.x, data.edge_index).argmax(dim=-1)
    test_acc = float((pred[data.test_mask] == data.y[data.test_mask]).float().mean())
    print_record({
        "framework": "pyg", "model": args.model, "threads": torch.get_num_threads(),
        "epochs": args.epochs, "final_loss": loss_value, "test_acc": test_acc,
        "torch": torch.__version__, "torch_geometric": torch_geometric.__version__},
        seconds, cpu_seconds)


if __name__ == "__main__":
    main()
