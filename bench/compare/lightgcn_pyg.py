# SPDX-License-Identifier: Apache-2.0
# PyG's LightGCN (torch_geometric.nn.models.LightGCN) on ML-100K with moegnn-recommend's protocol
# and settings: ratings >= 3, random 80/10/10 split, users/items re-indexed to train, 64-d, 3
# layers, batch 1024, Adam lr 0.005, BPR with lambda_reg 1e-4 on the batch's layer-0 rows, every
# training interaction once per epoch with one uniform negative outside the user's training items
# (drawn vectorised with numpy). Times training epochs and one evaluation (validation + test
# full-ranking passes: a dense users x items score matrix, training items at -inf, torch.topk),
# and prints one JSON line with the times, the peak RSS and the last test NDCG@10 / Recall@20.
# Usage: python lightgcn_pyg.py <ml-100k dir> [--epochs N] [--threads T] [--seed S]
import argparse
import json
import resource
import time

import numpy as np
import torch
from torch_geometric.nn.models import LightGCN


def load(path, seed):
    data = np.loadtxt(f"{path}/u.data", dtype=np.int64)
    data = data[data[:, 2] >= 3]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data))
    n_test = n_val = round(0.1 * len(data))
    test, val, train = data[order[:n_test]], data[order[n_test:n_test + n_val]], data[order[n_test + n_val:]]
    users, tu = np.unique(train[:, 0], return_inverse=True)
    items, ti = np.unique(train[:, 1], return_inverse=True)
    umap = {u: k for k, u in enumerate(users)}
    imap = {i: k for k, i in enumerate(items)}

    def held(rows):
        keep = [(umap[u], imap[i]) for u, i in rows[:, :2] if u in umap and i in imap]
        return np.asarray(keep, dtype=np.int64).reshape(-1, 2)
    return len(users), len(items), tu, ti, held(val), held(test)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    U, I, tu, ti, val, test = load(a.dir, a.seed)
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
        for b in range(0, len(u), 1024):
            bu, bp, bn = u[b:b + 1024], pos[b:b + 1024], neg[b:b + 1024]
            emb = model.get_embedding(edge_index)
            pos_rank = (emb[bu] * emb[bp]).sum(-1)
            neg_rank = (emb[bu] * emb[bn]).sum(-1)
            loss = model.recommendation_loss(pos_rank, neg_rank, node_id=torch.cat([bu, bp, bn]),
                                             lambda_reg=1e-4)
            opt.zero_grad()
            loss.backward()
            opt.step()

    def rank(emb, truth, k=20):
        scores = emb[:U] @ emb[U:].T
        scores[torch.tensor(tu), torch.tensor(ti)] = -float("inf")
        top = torch.topk(scores, k, dim=1).indices
        relevant = torch.zeros(U, I, dtype=torch.bool)
        relevant[torch.tensor(truth[:, 0]), torch.tensor(truth[:, 1])] = True
        hits = torch.gather(relevant, 1, top).double()
        n = relevant.sum(1).double()
        users = n > 0
        disc = 1.0 / torch.log2(torch.arange(2, k + 2, dtype=torch.float64))
        idcg = torch.stack([disc[: int(min(10, m))].sum() for m in n.tolist()])
        ndcg10 = (hits[:, :10] * disc[:10]).sum(1)[users] / idcg[users]
        recall20 = hits.sum(1)[users] / n[users]
        return ndcg10.mean().item(), recall20.mean().item()

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
                      "epoch_seconds": sorted(epoch_s)[len(epoch_s) // 2],
                      "eval_seconds": sorted(eval_s)[len(eval_s) // 2],
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "test_ndcg@10": ndcg, "test_recall@20": recall}))


if __name__ == "__main__":
    main()
