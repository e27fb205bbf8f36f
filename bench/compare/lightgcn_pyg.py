# SPDX-License-Identifier: Apache-2.0
# PyG's LightGCN (torch_geometric.nn.models.LightGCN) with moegnn-recommend's settings: 64-d,
# 3 layers, batch 1024, Adam lr 0.005, BPR with lambda_reg 1e-4 on the batch's layer-0 rows, every
# training interaction once per epoch (or the first --steps batches) with one uniform negative
# outside the user's training items (drawn vectorised with numpy). Times training epochs and one
# evaluation (validation + test full-ranking passes: dense user-block x items scores, training items
# at -inf, torch.topk; blocks of --eval-block users so a large graph fits in memory) and prints one
# JSON line with the times, the peak RSS and the last test NDCG@10 / Recall@20.
# Data: an ml-100k folder (ratings >= 3, random 80/10/10, as moegnn's Sheaf4Rec protocol), or a
# "user,item" CSV with a header (every line a positive; random 90/10 train/test, no validation, as
# moegnn-recommend --dataset FILE --val-fraction 0 --test-fraction 0.1).
# Usage: python lightgcn_pyg.py <ml-100k dir | file.csv> [--epochs N] [--steps S] [--threads T]
#        python lightgcn_pyg.py --generate USERS ITEMS INTERACTIONS OUT.csv [--seed S]
import argparse
import json
import os
import resource
import statistics
import time

import numpy as np
import torch
from torch_geometric.nn.models import LightGCN


def generate(users, items, interactions, path, seed):
    """Distinct (user, item) pairs with Zipf-like user and item popularity, written as CSV."""
    rng = np.random.default_rng(seed)
    pu = 1.0 / np.arange(1, users + 1) ** 0.5
    pi = 1.0 / np.arange(1, items + 1) ** 0.8
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < interactions:
        n = int((interactions - len(keys)) * 1.2) + 1000
        u = rng.choice(users, n, p=pu / pu.sum())
        i = rng.choice(items, n, p=pi / pi.sum())
        keys = np.unique(np.concatenate([keys, u.astype(np.int64) * items + i]))
    keys = rng.permutation(keys)[:interactions]
    with open(path, "w") as f:
        f.write("user,item\n")
        np.savetxt(f, np.stack([keys // items, keys % items], 1), fmt="%d", delimiter=",")


def load(path, seed):
    if os.path.isdir(path):
        data = np.loadtxt(f"{path}/u.data", dtype=np.int64)
        data = data[data[:, 2] >= 3]
        test_frac, val_frac = 0.1, 0.1
    else:
        data = np.loadtxt(path, dtype=np.int64, delimiter=",", skiprows=1)
        test_frac, val_frac = 0.1, 0.0
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data))
    n_test, n_val = round(test_frac * len(data)), round(val_frac * len(data))
    test, val, train = data[order[:n_test]], data[order[n_test:n_test + n_val]], data[order[n_test + n_val:]]
    users, tu = np.unique(train[:, 0], return_inverse=True)
    items, ti = np.unique(train[:, 1], return_inverse=True)

    def held(rows):
        u = np.searchsorted(users, rows[:, 0])
        i = np.searchsorted(items, rows[:, 1])
        u, i = np.minimum(u, len(users) - 1), np.minimum(i, len(items) - 1)
        keep = (users[u] == rows[:, 0]) & (items[i] == rows[:, 1])
        return np.stack([u[keep], i[keep]], 1)
    return len(users), len(items), tu, ti, held(val), held(test)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source", nargs="?")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--steps", type=int, default=0, help="batches per epoch (0: all)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval-block", type=int, default=1 << 26, help="scores per user block")
    p.add_argument("--generate", nargs=4, metavar=("USERS", "ITEMS", "INTERACTIONS", "OUT"))
    a = p.parse_args()
    if a.generate:
        generate(int(a.generate[0]), int(a.generate[1]), int(a.generate[2]), a.generate[3], a.seed)
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    U, I, tu, ti, val, test = load(a.source, a.seed)
    edge_index = torch.tensor(np.stack([np.concatenate([tu, U + ti]), np.concatenate([U + ti, tu])]))
    model = LightGCN(num_nodes=U + I, embedding_dim=64, num_layers=3)
    opt = torch.optim.Adam(model.parameters(), lr=0.005)
    train_keys = np.sort(tu * I + ti)
    rng = np.random.default_rng(a.seed)

    def epoch():
        perm = rng.permutation(len(tu))
        u, pos = tu[perm], ti[perm]
        neg = rng.integers(0, I, len(u))
        bad = np.isin(u * I + neg, train_keys)
        while bad.any():
            neg[bad] = rng.integers(0, I, bad.sum())
            bad = np.isin(u * I + neg, train_keys)
        u, pos, neg = torch.tensor(u), torch.tensor(pos + U), torch.tensor(neg + U)
        for step, b in enumerate(range(0, len(u), 1024)):
            if a.steps and step == a.steps:
                break
            bu, bp, bn = u[b:b + 1024], pos[b:b + 1024], neg[b:b + 1024]
            emb = model.get_embedding(edge_index)
            pos_rank = (emb[bu] * emb[bp]).sum(-1)
            neg_rank = (emb[bu] * emb[bn]).sum(-1)
            loss = model.recommendation_loss(pos_rank, neg_rank, node_id=torch.cat([bu, bp, bn]),
                                             lambda_reg=1e-4)
            opt.zero_grad()
            loss.backward()
            opt.step()

    order = np.argsort(tu, kind="stable")
    train_u, train_i = torch.tensor(tu[order]), torch.tensor(ti[order])
    train_ptr = np.searchsorted(tu[order], np.arange(U + 1))

    def rank(emb, truth, k=20):
        if len(truth) == 0:
            return None
        truth_keys = torch.tensor(np.unique(truth[:, 0] * I + truth[:, 1]))
        n = torch.bincount(torch.tensor(truth[:, 0]), minlength=U).double()
        disc = 1.0 / torch.log2(torch.arange(2, k + 2, dtype=torch.float64))
        cum = torch.cumsum(disc, 0)
        block = max(1, a.eval_block // I)
        ndcg_sum = recall_sum = 0.0
        for b in range(0, U, block):
            e = min(U, b + block)
            scores = emb[b:e] @ emb[U:].T  # dense block x items
            lo, hi = train_ptr[b], train_ptr[e]
            scores[train_u[lo:hi] - b, train_i[lo:hi]] = -float("inf")
            top = torch.topk(scores, k, dim=1).indices
            keys = torch.arange(b, e).unsqueeze(1) * I + top
            hits = torch.isin(keys, truth_keys).double()
            m = n[b:e]
            has = m > 0
            idcg = cum[(m.clamp(max=10) - 1).clamp(min=0).long()]
            ndcg_sum += ((hits[:, :10] * disc[:10]).sum(1)[has] / idcg[has]).sum().item()
            recall_sum += (hits.sum(1)[has] / m[has]).sum().item()
        users = (n > 0).sum().item()
        return ndcg_sum / users, recall_sum / users

    epoch_s, eval_s = [], []
    for _ in range(a.epochs):
        t = time.perf_counter()
        epoch()
        epoch_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        with torch.no_grad():
            emb = model.get_embedding(edge_index)
            rank(emb, val)
            ndcg, recall = rank(emb, test)
        eval_s.append(time.perf_counter() - t)
    print(json.dumps({"impl": "pyg", "users": U, "items": I, "train": len(tu),
                      "steps_per_epoch": min(a.steps or 1 << 62, -(-len(tu) // 1024)),
                      "epoch_seconds": statistics.median(epoch_s),
                      "eval_seconds": statistics.median(eval_s),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "test_ndcg@10": ndcg, "test_recall@20": recall}))


if __name__ == "__main__":
    main()
