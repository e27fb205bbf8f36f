# SPDX-License-Identifier: Apache-2.0
"""Pure-PyTorch Neural Sheaf Diffusion (discrete Diag / O(d) / Gen), written from the reference's
description in research/nsd.md (twitter-research/neural-sheaf-diffusion, models/disc_models.py,
laplacian_builders.py, sheaf_models.py): the same forward pass and Laplacians, including the
reference's quirks (Gen: train-mode diagonal jitter, SVD inverse square root, clamp to [-1, 1];
Householder maps via orgqr-style products), with torch_sparse.spmm replaced by an index_add
gather-scatter (what torch_sparse.spmm computes). Used to time epochs against moegnn.

    python nsd_torch.py --dataset chameleon --model diag --d 4 --layers 5 --hidden 32 ...
    python nsd_torch.py --random 100000 --model diag ...

Prints {"framework": "torch", "epoch_seconds": [...], "median": ..., "peak_rss_mb": ...}.
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def spmm(index, values, n, x):
    out = torch.zeros(n, x.shape[1], dtype=x.dtype)
    return out.index_add_(0, index[0], values.unsqueeze(1) * x[index[1]])


class Model(nn.Module):
    def __init__(self, a, edge_index, n, in_ch, out_ch):
        super().__init__()
        self.a, self.n, self.ei = a, n, edge_index
        d, c = a.d, a.hidden
        self.f = d + a.add_lp + a.add_hp
        f = self.f
        self.p = {"diag": d, "orth": d * (d - 1) // 2, "gen": d * d}[a.model]
        self.lin1 = nn.Linear(in_ch, f * c)
        self.lin12 = nn.Linear(f * c, f * c) if a.second_linear else None
        self.lin2 = nn.Linear(f * c, out_ch)
        self.learners = nn.ModuleList(nn.Linear(2 * f * c, self.p, bias=False) for _ in range(a.layers))
        self.wlearners = nn.ModuleList(nn.Linear(2 * f * c, 1, bias=False) for _ in range(a.layers)) \
            if a.model == "orth" else None
        self.left = nn.ModuleList(nn.Linear(f, f, bias=False) for _ in range(a.layers))
        self.right = nn.ModuleList(nn.Linear(c, c, bias=False) for _ in range(a.layers))
        for l, r in zip(self.left, self.right):
            nn.init.eye_(l.weight)
            nn.init.orthogonal_(r.weight)
        self.eps = nn.ParameterList(nn.Parameter(torch.zeros(f, 1)) for _ in range(a.layers))
        src, dst = edge_index
        self.src, self.dst = src, dst
        # reverse edge of each directed edge; the u < v half ("tril" list)
        key = src * n + dst
        order = torch.argsort(key)
        rkey = dst * n + src
        self.rev = order[torch.searchsorted(key[order], rkey)]
        self.half = torch.nonzero(src < dst).flatten()
        self.deg = torch.bincount(src, minlength=n).float()

    def laplacian(self, layer, x):
        a, n, f, d = self.a, self.n, self.f, self.a.d
        src, dst, half, rev = self.src, self.dst, self.half, self.rev
        xs = x.reshape(n, -1)
        maps = torch.tanh(self.learners[layer](torch.cat([xs[src], xs[dst]], dim=1)))
        hs, hd, hr = src[half], dst[half], rev[half]
        if a.model == "diag":
            diag = torch.zeros(n, d).index_add_(0, src, maps ** 2)
            s = (diag + 1).pow(-0.5)
            off = -s[hs] * maps[half] * maps[hr] * s[hd]
            node = diag / (diag + 1)
            rows = torch.cat([hs[:, None] * f + torch.arange(d), hd[:, None] * f + torch.arange(d),
                              torch.arange(n)[:, None] * f + torch.arange(d)]).flatten()
            cols = torch.cat([hd[:, None] * f + torch.arange(d), hs[:, None] * f + torch.arange(d),
                              torch.arange(n)[:, None] * f + torch.arange(d)]).flatten()
            vals = torch.cat([off, off, node]).flatten()
        else:
            if a.model == "orth":
                v = torch.eye(d).repeat(maps.shape[0], 1, 1)
                ti = torch.tril_indices(d, d, -1)
                v[:, ti[0], ti[1]] = maps
                tau = 2.0 / (v * v).sum(1)
                q = torch.linalg.householder_product(v, tau)
                w = torch.sigmoid(self.wlearners[layer](torch.cat([xs[src], xs[dst]], dim=1)))
                w = (w * w[rev]).flatten()
                sdeg = torch.zeros(n).index_add_(0, src, w ** 2)
                s = (sdeg + 1).pow(-0.5)
                off = -(w[half] ** 2 * s[hs] * s[hd])[:, None, None] * (q[half].transpose(1, 2) @ q[hr])
                node = (sdeg / (sdeg + 1))[:, None, None] * torch.eye(d)
            else:
                fm = maps.reshape(-1, d, d)
                lsum = torch.zeros(n, d, d).index_add_(0, src, fm.transpose(1, 2) @ fm)
                jitter = torch.empty(d).uniform_(-1e-3, 1e-3) if self.training else torch.zeros(d)
                dhat = lsum + torch.diag(1 + jitter)
                u, sv, vh = torch.linalg.svd(dhat)
                cut = sv.max(-1, keepdim=True).values * d * torch.finfo(sv.dtype).eps
                spow = torch.where(sv > cut, sv.pow(-0.5), torch.zeros_like(sv))
                s = u @ torch.diag_embed(spow) @ vh
                off = torch.clamp(-s[hs] @ fm[half].transpose(1, 2) @ fm[hr] @ s[hd], -1, 1)
                node = torch.clamp(s @ lsum @ s, -1, 1)
            ii, jj = torch.meshgrid(torch.arange(d), torch.arange(d), indexing="ij")
            rows = torch.cat([hs[:, None, None] * f + ii, hd[:, None, None] * f + jj,
                              torch.arange(n)[:, None, None] * f + ii]).flatten()
            cols = torch.cat([hd[:, None, None] * f + jj, hs[:, None, None] * f + ii,
                              torch.arange(n)[:, None, None] * f + jj]).flatten()
            vals = torch.cat([off, off, node]).flatten()
        extra_r, extra_c, extra_v = [], [], []
        for k, sign in ((d, 1.0), (d + a.add_lp, -1.0)) if a.add_hp else ((d, 1.0),) if a.add_lp else ():
            dn = (self.deg + 1).pow(-0.5)
            extra_r += [src * f + k, torch.arange(n) * f + k]
            extra_c += [dst * f + k, torch.arange(n) * f + k]
            extra_v += [sign * dn[src] * dn[dst], self.deg / (self.deg + 1)]
        if extra_r:
            rows = torch.cat([rows] + extra_r)
            cols = torch.cat([cols] + extra_c)
            vals = torch.cat([vals] + extra_v)
        return torch.stack([rows, cols]), vals

    def forward(self, x):
        a, n, f = self.a, self.n, self.f
        x = F.dropout(x, a.input_dropout, self.training)
        x = F.elu(self.lin1(x))
        x = F.dropout(x, a.dropout, self.training)
        if self.lin12 is not None:
            x = self.lin12(x)
        x = x.view(n * f, -1)
        for layer in range(a.layers):
            z = F.dropout(x, a.dropout if layer > 0 else 0.0, self.training)
            idx, vals = self.laplacian(layer, z)
            y = F.dropout(x, a.dropout, self.training)
            y = y.t().reshape(-1, f)
            y = self.left[layer](y).reshape(-1, n * f).t()
            y = self.right[layer](y)
            y = F.elu(spmm(idx, vals, n * f, y))
            x = (1 + torch.tanh(self.eps[layer]).tile(n, 1)) * x - y
        return F.log_softmax(self.lin2(x.reshape(n, -1)), dim=1)


def load_chameleon(root):
    feats, labels = {}, {}
    with open(os.path.join(root, "out1_node_feature_label.txt")) as fh:
        next(fh)
        for line in fh:
            i, f, l = line.rstrip("\n").split("\t")
            feats[int(i)] = np.array(f.split(","), dtype=np.float32)
            labels[int(i)] = int(l)
    n = len(feats)
    x = np.stack([feats[i] for i in range(n)])
    y = np.array([labels[i] for i in range(n)])
    e = np.loadtxt(os.path.join(root, "out1_graph_edges.txt"), skiprows=1, dtype=np.int64)
    return x, y, e.T


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="chameleon")
    p.add_argument("--data-dir", default=os.environ.get("MOEGNN_DATA_DIR", ""))
    p.add_argument("--random", type=int, default=0, help="random graph with this many nodes")
    p.add_argument("--model", choices=["diag", "orth", "gen"], default="diag")
    for k, v in [("d", 4), ("layers", 5), ("hidden", 32), ("epochs", 10), ("threads", 2)]:
        p.add_argument("--" + k, type=int, default=v)
    for k, v in [("dropout", 0.0), ("input-dropout", 0.7), ("lr", 0.01)]:
        p.add_argument("--" + k, type=float, default=v)
    for k in ["add-lp", "add-hp", "second-linear"]:
        p.add_argument("--" + k, type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(43)
    if a.random:
        rng = np.random.default_rng(1)
        n = a.random
        e = rng.integers(0, n, size=(2, 4 * n))
        x = rng.standard_normal((n, 32)).astype(np.float32)
        y = rng.integers(0, 5, size=n)
    else:
        x, y, e = load_chameleon(os.path.join(a.data_dir, a.dataset))
        x = x / np.maximum(x.sum(1, keepdims=True), 1e-12)
        n = x.shape[0]
    e = np.concatenate([e, e[::-1]], axis=1)
    e = e[:, e[0] != e[1]]
    e = np.unique(e[0] * n + e[1])
    edge_index = torch.from_numpy(np.stack([e // n, e % n]))
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    model = Model(a, edge_index, n, x.shape[1], int(y.max()) + 1)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, weight_decay=5e-4)
    train = torch.arange(n) % 2 == 0
    times = []
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        model.train()
        opt.zero_grad()
        loss = F.nll_loss(model(x)[train], y[train])
        loss.backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            model(x)
        times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"framework": "torch", "model": a.model, "nodes": n,
                      "edges": int(edge_index.shape[1]), "epoch_seconds": times,
                      "median": float(np.median(times)), "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
