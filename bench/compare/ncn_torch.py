# SPDX-License-Identifier: Apache-2.0
"""Pure-PyTorch port of the NCN reference (GraphPKU/NeuralCommonNeighbor, research/ncnc.md §3-§9):
its GCN encoder (puregcn / puresum, jk, res, input dropout, node embedding when there are no
features) and its CNLinkPredictor (`cn1`: xlin, xcnlin, xijlin, lin, beta; tailact, twolayerlin,
LayerNorm, dropouts, predictor edge dropout), trained as NeighborOverlap.py's train(): one uniform
negative per positive drawn once per epoch (PyG negative_sampling), target-link removal by
rebuilding the adjacency from the training edges minus the batch (SparseTensor.from_edge_index +
to_symmetric: sort + unique), separate positive and negative predictor calls, loss
-logsigmoid(pos) - logsigmoid(-neg), one Adam with encoder / predictor learning rates. Written
here because torch_sparse / torch_scatter do not install into the comparison venv: the reference's
SparseTensor row selection, its sorted-key `searchsorted` intersection (utils.py spmoverlap_) and
spmm_add are rebuilt from torch tensors (CSR row gather by repeat_interleave, int64 keys,
torch.searchsorted, and torch.sparse.mm on a CSR matrix for the sums). Used to time a training
epoch and an evaluation pass against moegnn-link-prediction (ncn_vs_torch.sh).

    python ncn_torch.py --dataset cora --data-root DIR  (DIR/Cora/raw/ind.cora.*)
    python ncn_torch.py --dataset ogbl-ddi --data-root DIR  (DIR/raw/edge.csv.gz, DIR/split/target/*.pt)

Settings come from the flags (ncn_vs_torch.sh passes configs/link/ncn-<dataset>.json's values).
The evaluation pass scores the validation and test positives and negatives after one encoder pass
(what moegnn's evaluation does; the reference's test() also scores every training positive, which
is left out so that both sides do the same work). Prints one JSON line:
{"framework": "torch", "train_seconds": [...], "eval_seconds": [...], "train_cpu_seconds": [...],
"eval_cpu_seconds": [...], "steps_per_epoch": ..., "test_hits@K": ..., "peak_rss_mb": ...}.
"""
import argparse
import gzip
import json
import os
import resource
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", message=".*[Ss]parse.*")  # CSR beta / invariant-check notes


# ----- sparse helpers (what torch_sparse's SparseTensor does for the reference) -----------------

def csr_from_edges(src, dst, n):
    """Coalesced CSR (rowptr, col) of the edges (sort by row * n + col, drop duplicates)."""
    key = torch.unique(src * n + dst)  # sorted
    row, col = key // n, key % n
    rowptr = torch.zeros(n + 1, dtype=torch.long)
    rowptr[1:] = torch.cumsum(torch.bincount(row, minlength=n), 0)
    return rowptr, col


def symmetric_csr(ei, n):
    """SparseTensor.from_edge_index(ei).to_symmetric(): both directions, coalesced."""
    src = torch.cat([ei[0], ei[1]])
    dst = torch.cat([ei[1], ei[0]])
    return csr_from_edges(src, dst, n)


def select_rows(rowptr, col, rows):
    """adj[rows] for a CSR adjacency: (row index within the batch, column) of every entry."""
    start = rowptr[rows]
    deg = rowptr[rows + 1] - start
    batch_row = torch.repeat_interleave(torch.arange(rows.numel()), deg)
    offset = torch.arange(batch_row.numel()) - torch.repeat_interleave(torch.cumsum(deg, 0) - deg, deg)
    return batch_row, col[start[batch_row] + offset]


def drop_adj(rowptr, col, p, training):
    """DropAdj: each stored entry kept with probability 1 - p (values are discarded by adjoverlap)."""
    if not training or p <= 0:
        return rowptr, col
    keep = torch.rand(col.numel()) >= p
    row = torch.repeat_interleave(torch.arange(rowptr.numel() - 1), rowptr[1:] - rowptr[:-1])
    n = rowptr.numel() - 1
    rowptr2 = torch.zeros(n + 1, dtype=torch.long)
    rowptr2[1:] = torch.cumsum(torch.bincount(row[keep], minlength=n), 0)
    return rowptr2, col[keep]


def adjoverlap(rowptr, col, n, tar):
    """Common neighbours of the pairs as a B × n CSR of ones: the reference's spmoverlap_ (sorted
    int64 keys row * n + col of both row sets, searchsorted of the smaller in the larger)."""
    r1, c1 = select_rows(rowptr, col, tar[0])
    r2, c2 = select_rows(rowptr, col, tar[1])
    e1, e2 = r1 * n + c1, r2 * n + c2
    if e1.numel() > e2.numel():
        e1, e2 = e2, e1
    if e2.numel() == 0 or e1.numel() == 0:
        hit = e1[:0]
    else:
        idx = torch.searchsorted(e2[:-1], e1)
        hit = e1[e2[idx] == e1]
    b = tar.shape[1]
    r, c = hit // n, hit % n
    crow = torch.zeros(b + 1, dtype=torch.long)
    crow[1:] = torch.cumsum(torch.bincount(r, minlength=b), 0)
    return torch.sparse_csr_tensor(crow, c, torch.ones(c.numel()), size=(b, n))


def spmm_sum(rowptr, col, x, n):
    return torch.sparse.mm(torch.sparse_csr_tensor(rowptr, col, torch.ones(col.numel()), size=(n, n)), x)


# ----- model ---------------------------------------------------------------------------------------

class Encoder(nn.Module):
    """The reference's GCN with parameter-free convolutions (puregcn, puresum)."""

    def __init__(self, a, in_ch, n):
        super().__init__()
        self.a = a
        h = a.hidden
        if in_ch == 0:  # node ids as features: Embedding, orthogonal init, Dropout(gnndp)
            self.emb = nn.Embedding(n, h)
            nn.init.orthogonal_(self.emb.weight)
            self.lin = None
        else:
            self.emb = None
            self.lin = nn.Linear(in_ch, h)
        self.jkparams = nn.Parameter(torch.randn(a.mplayers)) if a.jk else None

    def forward(self, x, rowptr, col, n):
        a = self.a
        if self.emb is not None:
            x = F.dropout(self.emb.weight, a.gnndp, self.training)
        else:
            x = F.dropout(x, a.xdp, self.training)
            x = self.lin(x)
            if a.gnndp > 1e-6:
                x = F.dropout(x, a.gnndp, self.training)
        jkx = []
        for layer in range(a.mplayers):
            if a.encoder == "puregcn":
                norm = (1.0 + (rowptr[1:] - rowptr[:-1]).float()).rsqrt().unsqueeze(1)
                x1 = norm * (spmm_sum(rowptr, col, norm * x, n) + norm * x)
            else:  # puresum
                x1 = spmm_sum(rowptr, col, x, n)
            if layer == a.mplayers - 1:
                x1 = F.dropout(x1, a.tdp, self.training)
            x = x1 + x if a.res and x1.shape[-1] == x.shape[-1] else x1
            jkx.append(x)
        if a.jk:
            x = (torch.stack(jkx) * self.jkparams.reshape(-1, 1, 1)).sum(0)
        return x


class Mlp(nn.Module):
    """Layers from a code string: L linear, N LayerNorm (if lnnn), D dropout, R ReLU."""

    def __init__(self, code, h, out_last, lnnn, p):
        super().__init__()
        mods = []
        lins = code.count("L")
        seen = 0
        for ch in code:
            if ch == "L":
                seen += 1
                mods.append(nn.Linear(h, out_last if seen == lins else h))
            elif ch == "N":
                mods.append(nn.LayerNorm(h) if lnnn else nn.Identity())
            elif ch == "D":
                mods.append(nn.Dropout(p))
            elif ch == "R":
                mods.append(nn.ReLU(inplace=True))
        self.seq = nn.Sequential(*mods)

    def forward(self, x):
        return self.seq(x)


class CnPredictor(nn.Module):
    """CNLinkPredictor (cn1)."""

    def __init__(self, a):
        super().__init__()
        h, p, ln = a.hidden, a.predp, a.lnnn
        tail = "" if a.tailact else "L"
        self.a = a
        self.xlin = Mlp("LDRLNDR", h, h, ln, p) if a.use_xlin else None
        self.xcnlin = Mlp("LDRLNDR" + tail, h, h, ln, p)
        self.xijlin = Mlp("LNDR" + tail, h, h, ln, p)
        self.lin = Mlp("LNDR" + ("LNDR" if a.twolayerlin else "") + "L", h, 1, ln, p)
        self.beta = nn.Parameter(torch.ones(1) * a.beta)

    def forward(self, x, rowptr, col, n, tar):
        rowptr, col = drop_adj(rowptr, col, self.a.preedp, self.training)
        xi, xj = x[tar[0]], x[tar[1]]
        if self.xlin is not None:
            x = x + self.xlin(x)
        cn = adjoverlap(rowptr, col, n, tar)
        xcn = torch.sparse.mm(cn, x)
        xij = self.xijlin(xi * xj)
        return self.lin(self.xcnlin(xcn) * self.beta + xij).squeeze(-1)


# ----- data ------------------------------------------------------------------------------------------

def load(a):
    """(n, features or None, train edges 2 × m, val pos/neg, test pos/neg) as long tensors."""
    g = torch.Generator().manual_seed(a.seed)
    if a.dataset == "ogbl-ddi":
        with gzip.open(os.path.join(a.data_root, "raw", "num-node-list.csv.gz"), "rt") as f:
            n = int(f.read().split()[0])
        with gzip.open(os.path.join(a.data_root, "raw", "edge.csv.gz"), "rt") as f:
            train = torch.from_numpy(np.loadtxt(f, delimiter=",", dtype=np.int64)).t().contiguous()
        sets = []
        for name in ("valid", "test"):
            d = torch.load(os.path.join(a.data_root, "split", "target", name + ".pt"), weights_only=False)
            sets += [torch.as_tensor(d["edge"]).t().long(), torch.as_tensor(d["edge_neg"]).t().long()]
        return n, None, train, *sets
    from torch_geometric.datasets import Planetoid  # noqa: E402
    data = Planetoid(a.data_root, "Cora" if a.dataset == "cora" else "CiteSeer")[0]
    n = data.num_nodes
    ei = data.edge_index
    und = ei[:, ei[0] < ei[1]]
    m = und.shape[1]
    und = und[:, torch.randperm(m, generator=g)]
    nv = int(0.2 * m)
    val, test, train = und[:, :nv], und[:, nv:2 * nv], und[:, 2 * nv:]
    val = val[:, torch.randperm(nv, generator=g)]
    train = torch.cat([train, val[:, :nv - nv // 2]], 1)
    val = val[:, nv - nv // 2:]
    present = set((ei[0] * n + ei[1]).tolist())
    neg = []
    while len(neg) < 2 * nv:
        i, j = torch.randint(0, n, (2,), generator=g).tolist()
        if i != j and i * n + j not in present:
            present.add(i * n + j)
            present.add(j * n + i)
            neg.append((min(i, j), max(i, j)))
    neg = torch.tensor(neg).t()
    return n, data.x, train, val, neg[:, :nv], test, neg[:, nv:]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dataset", choices=["cora", "citeseer", "ogbl-ddi"], required=True)
    p.add_argument("--data-root", required=True)
    p.add_argument("--encoder", choices=["puregcn", "puresum"], default="puregcn")
    p.add_argument("--mplayers", type=int, default=1)
    p.add_argument("--hidden", type=int, default=256)
    for name in ("xdp", "tdp", "gnndp", "predp", "preedp"):
        p.add_argument("--" + name, type=float, default=0.0)
    for name in ("ln", "lnnn", "jk", "res", "use-xlin", "tailact", "twolayerlin", "maskinput"):
        p.add_argument("--" + name, action="store_true")
    p.add_argument("--beta", type=float, default=1.0)
    p.add_argument("--gnnlr", type=float, default=0.01)
    p.add_argument("--prelr", type=float, default=0.01)
    p.add_argument("--batch-size", type=int, default=1152)
    p.add_argument("--test-batch-size", type=int, default=8192)
    p.add_argument("--epochs", type=int, default=3, help="timed epochs (each followed by an evaluation)")
    p.add_argument("--max-steps", type=int, default=0, help="> 0: each epoch stops after this many steps")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    n, x, train, vpos, vneg, tpos, tneg = load(a)
    enc = Encoder(a, 0 if x is None else x.shape[1], n)
    pred = CnPredictor(a)
    opt = torch.optim.Adam([{"params": enc.parameters(), "lr": a.gnnlr},
                            {"params": pred.parameters(), "lr": a.prelr}])
    full_rowptr, full_col = symmetric_csr(train, n)
    edge_index = torch.stack([torch.cat([train[0], train[1]]), torch.cat([train[1], train[0]])])
    from torch_geometric.utils import negative_sampling  # noqa: E402
    m = train.shape[1]
    train_s, eval_s, train_cpu, eval_cpu, steps = [], [], [], [], 0

    def train_epoch():
        nonlocal steps
        enc.train()
        pred.train()
        negedge = negative_sampling(edge_index, num_nodes=n)
        perm_all = torch.randperm(m)
        mask = torch.ones(m, dtype=torch.bool)
        batches = m // a.batch_size
        if a.max_steps > 0:
            batches = min(batches, a.max_steps)
        for b in range(batches):
            perm = perm_all[b * a.batch_size:(b + 1) * a.batch_size]
            opt.zero_grad()
            if a.maskinput:
                mask[perm] = False
                rowptr, col = symmetric_csr(train[:, mask], n)
                mask[perm] = True
            else:
                rowptr, col = full_rowptr, full_col
            h = enc(x, rowptr, col, n)
            pos = pred(h, rowptr, col, n, train[:, perm])
            neg = pred(h, rowptr, col, n, negedge[:, perm])
            loss = -F.logsigmoid(pos).mean() - F.logsigmoid(-neg).mean()
            loss.backward()
            opt.step()
            steps += 1

    @torch.no_grad()
    def evaluate():
        enc.eval()
        pred.eval()
        h = enc(x, full_rowptr, full_col, n)
        out = []
        for e in (vpos, vneg, tpos, tneg):
            out.append(torch.cat([pred(h, full_rowptr, full_col, n, e[:, i:i + a.test_batch_size])
                                  for i in range(0, e.shape[1], a.test_batch_size)]))
        return out

    for _ in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        train_epoch()
        t1, c1 = time.perf_counter(), time.process_time()
        scores = evaluate()
        t2, c2 = time.perf_counter(), time.process_time()
        train_s.append(t1 - t0)
        eval_s.append(t2 - t1)
        train_cpu.append(c1 - c0)
        eval_cpu.append(c2 - c1)
    k = 20 if a.dataset == "ogbl-ddi" else 100
    kth = torch.topk(scores[3], min(k, scores[3].numel())).values[-1]
    print(json.dumps({"framework": "torch", "dataset": a.dataset, "train_seconds": train_s,
                      "eval_seconds": eval_s, "train_cpu_seconds": train_cpu,
                      "eval_cpu_seconds": eval_cpu, "steps_per_epoch": steps // a.epochs,
                      f"test_hits@{k}": float((scores[2] > kth).float().mean()),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
