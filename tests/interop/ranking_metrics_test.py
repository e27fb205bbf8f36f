# SPDX-License-Identifier: Apache-2.0
# Independent numpy reference for moegnn's full-ranking metrics: runs moegnn_interop_write_ranking,
# recomputes Recall/Precision/F1/NDCG/HR/MRR@K from the same embeddings with a dense score matrix,
# training items at -inf and a full stable argsort (ties: lower item id first), and compares to 1e-6.
# Usage: python ranking_metrics_test.py <moegnn_interop_write_ranking>
import json
import subprocess
import sys
import tempfile
import os

import numpy as np


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ranking.json")
        subprocess.run([sys.argv[1], path], check=True)
        with open(path) as f:
            j = json.load(f)
    d = j["dim"]
    users = np.asarray(j["users"], dtype=np.float32).reshape(-1, d).astype(np.float64)
    items = np.asarray(j["items"], dtype=np.float32).reshape(-1, d).astype(np.float64)
    scores = users @ items.T
    tu, ti = j["train"]
    scores[tu, ti] = -np.inf
    truth = [set() for _ in range(users.shape[0])]
    for u, i in zip(*j["test"]):
        truth[u].add(i)
    order = np.argsort(-scores, axis=1, kind="stable")
    ks = j["ks"]
    sums = {name: np.zeros(len(ks)) for name in ("recall", "precision", "ndcg", "hr", "mrr")}
    n = 0
    for u, held in enumerate(truth):
        if not held:
            continue
        n += 1
        for c, k in enumerate(ks):
            hits = [r for r in range(k) if order[u, r] in held]
            sums["recall"][c] += len(hits) / len(held)
            sums["precision"][c] += len(hits) / k
            sums["hr"][c] += 1.0 if hits else 0.0
            sums["mrr"][c] += 1.0 / (hits[0] + 1) if hits else 0.0
            dcg = sum(1.0 / np.log2(r + 2) for r in hits)
            idcg = sum(1.0 / np.log2(r + 2) for r in range(min(k, len(held))))
            sums["ndcg"][c] += dcg / idcg
    ref = {name: v / n for name, v in sums.items()}
    ref["f1"] = 2 * ref["precision"] * ref["recall"] / (ref["precision"] + ref["recall"])
    ok = n == j["num_users"]
    for name, expected in ref.items():
        got = np.asarray(j["metrics"][name])
        if not np.allclose(got, expected, rtol=0, atol=1e-6):
            print(f"{name}: moegnn {got} vs numpy {expected}")
            ok = False
    print("ranking metrics match numpy" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
