# SPDX-License-Identifier: Apache-2.0
# The torch side of bench/compare/ranking_floor.sh: on random 64-d user and item tables (users x
# items, ~1.5 % of each user's items masked as training items), times (1) the score product alone
# in lightgcn_pyg.py's blocks of --eval-block scores, and (2) lightgcn_pyg.py's dense pass (product,
# -inf mask, torch.topk K=20), alternating, --repeats times each; prints one JSON line with both
# medians. The ratio (2)/(1) bounds what any evaluation that forms every score with an equally
# fast product can gain over the dense pass.
import argparse
import json
import statistics
import time

import numpy as np
import torch


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--users", type=int, default=10000)
    p.add_argument("--items", type=int, default=50000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--eval-block", type=int, default=1 << 26)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(1)
    eu, ei = torch.randn(a.users, 64, generator=g), torch.randn(a.items, 64, generator=g)
    rng = np.random.default_rng(1)
    per = max(1, a.items * 3 // 200)
    tu = np.repeat(np.arange(a.users), per)
    ti = rng.integers(0, a.items, tu.size)
    train_u, train_i = torch.tensor(tu), torch.tensor(ti)
    ptr = np.searchsorted(tu, np.arange(a.users + 1))
    block = max(1, a.eval_block // a.items)

    def product():
        for b in range(0, a.users, block):
            e = min(a.users, b + block)
            _ = eu[b:e] @ ei.T

    def dense_pass():
        for b in range(0, a.users, block):
            e = min(a.users, b + block)
            s = eu[b:e] @ ei.T
            s[train_u[ptr[b]:ptr[e]] - b, train_i[ptr[b]:ptr[e]]] = -float("inf")
            _ = torch.topk(s, 20, dim=1).indices

    times = {"product": [], "dense_pass": []}
    with torch.no_grad():
        for _ in range(a.repeats):
            for name, f in (("product", product), ("dense_pass", dense_pass)):
                t = time.perf_counter()
                f()
                times[name].append(time.perf_counter() - t)
    print(json.dumps({k + "_s": statistics.median(v) for k, v in times.items()}))


if __name__ == "__main__":
    main()
