# SPDX-License-Identifier: Apache-2.0
"""Writes the metric fixtures of tests/models/training/metrics_test.cpp into tests/data/metrics.

Inputs are seeded random arrays (scores rounded to two decimals, so ties occur, as they do with
saturated sigmoid outputs); the expected values come from the `ogb` package's own Evaluators
(ogb.nodeproppred, ogb.graphproppred and ogb.linkproppred, run on numpy or torch inputs exactly
as OGB's example scripts call them) and, for macro-F1, which OGB does not offer, from
sklearn.metrics.f1_score(average='macro'). Scores are float32 multiples of 0.01, written as
integers in hundredths: the C++ side rebuilds float(k / 100.0), the very float32 the evaluators saw.
Run: python3 -m venv /tmp/venv-ogb && /tmp/venv-ogb/bin/pip install ogb   (pulls torch)
     /tmp/venv-ogb/bin/python tests/data/make_metrics_fixtures.py   (deterministic output)
"""
import json
import os

import numpy as np
import ogb
import sklearn
import torch
from ogb.graphproppred import Evaluator as GraphEvaluator
from ogb.linkproppred import Evaluator as LinkEvaluator
from ogb.nodeproppred import Evaluator as NodeEvaluator
from sklearn.metrics import f1_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics")
RNG = np.random.default_rng(20240611)


def scores(*shape):
    """float32 scores with ties: uniform in [-1, 1) rounded to two decimals."""
    return np.round(RNG.uniform(-1.0, 1.0, size=shape), 2).astype(np.float32)


def scores_in(lo, hi, *shape):
    """The same in [lo, hi)."""
    return np.round(RNG.uniform(lo, hi, size=shape), 2).astype(np.float32)


def floats(a):
    """float32 multiples of 0.01 as integer hundredths (NaN -> null), checked to round-trip."""
    out = []
    for v in np.asarray(a, dtype=np.float32).ravel():
        if np.isnan(v):
            out.append(None)
            continue
        k = int(round(float(v) * 100))
        assert np.float32(k / 100.0) == v, v
        out.append(k)
    return out


def write(name, cases):
    doc = {"generator": "tests/data/make_metrics_fixtures.py",
           "ogb": ogb.__version__, "sklearn": sklearn.__version__, "cases": cases}
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def node_classification():
    arxiv = NodeEvaluator("ogbn-arxiv")
    acc, f1 = [], []
    for n, classes in [(50, 3), (200, 7), (37, 40), (120, 2)]:
        y_true = RNG.integers(0, classes, size=n)
        # Predictions right about 60 % of the time; some classes may never be predicted.
        y_pred = np.where(RNG.random(n) < 0.6, y_true, RNG.integers(0, classes, size=n))
        a = arxiv.eval({"y_true": y_true.reshape(-1, 1), "y_pred": y_pred.reshape(-1, 1)})["acc"]
        acc.append({"y_true": y_true.tolist(), "y_pred": y_pred.tolist(), "expected": a})
        m = f1_score(y_true, y_pred, average="macro")
        f1.append({"y_true": y_true.tolist(), "y_pred": y_pred.tolist(), "expected": float(m)})
    write("accuracy.json", acc)
    write("macro_f1.json", f1)


def rocauc():
    # Binary: ogbl-vessel's 'rocauc' (positives vs negatives).
    vessel = LinkEvaluator("ogbl-vessel")
    binary = []
    for pos_n, neg_n in [(20, 30), (100, 57), (5, 200)]:
        pos, neg = scores_in(-0.7, 1.3, pos_n), scores(neg_n)
        r = vessel.eval({"y_pred_pos": pos, "y_pred_neg": neg})["rocauc"]
        y_true = [1] * pos_n + [0] * neg_n
        binary.append({"y_true": y_true, "y_score": floats(np.concatenate([pos, neg])),
                       "expected": float(r)})
    write("rocauc_binary.json", binary)
    # Multi-task: ogbn-proteins (112 tasks, no missing labels, some one-class tasks) and
    # ogbg-moltox21 (12 tasks with NaN = unlabelled).
    tasks = []
    proteins = NodeEvaluator("ogbn-proteins")
    y_true = (RNG.random((40, 112)) < 0.3).astype(np.float32)
    y_true[:, :5] = 0.0  # no positives: OGB skips these tasks
    y_true[:, 5:8] = 1.0  # no negatives: skipped too
    y_score = scores(40, 112)
    r = proteins.eval({"y_true": y_true, "y_pred": y_score})["rocauc"]
    tasks.append({"rows": 40, "cols": 112, "y_true": floats(y_true), "y_score": floats(y_score),
                  "expected": float(r)})
    tox21 = GraphEvaluator("ogbg-moltox21")
    for n in [60, 25]:
        y_true = (RNG.random((n, 12)) < 0.4).astype(np.float32)
        y_true[RNG.random((n, 12)) < 0.3] = np.nan
        y_true[:, 0] = np.nan  # a task with no labels at all
        y_score = scores(n, 12)
        r = tox21.eval({"y_true": y_true, "y_pred": y_score})["rocauc"]
        tasks.append({"rows": n, "cols": 12, "y_true": floats(y_true), "y_score": floats(y_score),
                      "expected": float(r)})
    write("rocauc_tasks.json", tasks)


def link_prediction():
    collab = LinkEvaluator("ogbl-collab")  # hits@50; K overridden per case
    hits = []
    for k, pos_n, neg_n in [(1, 30, 40), (10, 50, 80), (50, 40, 120), (100, 20, 60), (20, 25, 25)]:
        collab.K = k
        pos, neg = scores_in(-0.5, 1.5, pos_n), scores(neg_n)
        h = collab.eval({"y_pred_pos": pos, "y_pred_neg": neg})["hits@{}".format(k)]
        hits.append({"k": k, "pos": floats(pos), "neg": floats(neg), "expected": float(h)})
    write("hits.json", hits)
    # MRR: ogbl-citation2 on torch tensors, as OGB's examples call it (its numpy branch calls
    # .sum(dim=1) and fails); the means are taken in float32, as .mean().item() does.
    citation2 = LinkEvaluator("ogbl-citation2")
    mrr = []
    for n, m in [(30, 20), (64, 100), (10, 7)]:
        pos, neg = scores(n), scores(n, m)
        neg[: n // 3] = np.round(neg[: n // 3], 1).astype(np.float32)  # more ties in some rows
        neg[0, :3] = pos[0]  # the first positive ties three negatives
        out = citation2.eval({"y_pred_pos": torch.from_numpy(pos),
                              "y_pred_neg": torch.from_numpy(neg)})
        mrr.append({"rows": n, "cols": m, "pos": floats(pos), "neg": floats(neg),
                    "mrr": out["mrr_list"].mean().item(),
                    "hits1": out["hits@1_list"].mean().item(),
                    "hits3": out["hits@3_list"].mean().item(),
                    "hits10": out["hits@10_list"].mean().item()})
    write("mrr.json", mrr)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    node_classification()
    rocauc()
    link_prediction()
