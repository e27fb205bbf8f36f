# SPDX-License-Identifier: Apache-2.0
"""Interop: moegnn's link heuristics and Hits@K against networkx and ogb's Evaluator.

Draws a random undirected graph with numpy, asks the C++ helper (tests/interop/link_oracle.cpp)
for common-neighbour counts, Adamic-Adar and resource-allocation scores of random pairs and for
Hits@K of random score sets (rounded to one decimal so positives tie with negatives, and K both
below and above the number of negatives), and compares with networkx.common_neighbors /
adamic_adar_index / resource_allocation_index and ogb.linkproppred.Evaluator.
Usage: python link_oracle_test.py <path to moegnn_interop_link_oracle>
Needs numpy, networkx and ogb's Evaluator. The Evaluator's module (ogb/linkproppred/evaluate.py:
numpy, pandas, scikit-learn) is loaded by path, because the ogb.linkproppred package imports torch
for its dataset classes; scripts/test.sh installs ogb without dependencies.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import networkx as nx
import numpy as np


def load_evaluator():
    """ogb.linkproppred.Evaluator without importing the package (and so without torch)."""
    ogb = importlib.util.find_spec("ogb")
    if ogb is None:
        sys.exit("link_oracle_test.py: the ogb package is not installed")
    path = os.path.join(ogb.submodule_search_locations[0], "linkproppred", "evaluate.py")
    spec = importlib.util.spec_from_file_location("ogb_link_evaluate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Evaluator


Evaluator = load_evaluator()


def main(helper):
    rng = np.random.default_rng(7)
    n = 120
    edges = set()
    while len(edges) < 600:
        u, v = (int(x) for x in rng.integers(0, n, 2))
        if u != v:
            edges.add((min(u, v), max(u, v)))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    pairs = [(int(u), int(v)) for u, v in rng.integers(0, n, (400, 2)) if u != v]
    evaluator = Evaluator(name="ogbl-collab")
    hits_cases = []
    for k, pos_n, neg_n in [(1, 30, 40), (20, 50, 80), (50, 40, 30), (100, 60, 200)]:
        pos = np.round(rng.random(pos_n), 1).astype(np.float32)
        neg = np.round(rng.random(neg_n), 1).astype(np.float32)
        hits_cases.append({"k": k, "pos": pos.tolist(), "neg": neg.tolist()})
    with tempfile.TemporaryDirectory() as tmp:
        case_path = os.path.join(tmp, "cases.json")
        out_path = os.path.join(tmp, "out.json")
        with open(case_path, "w") as f:
            json.dump({"num_nodes": n, "edges": sorted(edges), "pairs": pairs, "hits": hits_cases}, f)
        subprocess.run([helper, case_path, out_path], check=True)
        with open(out_path) as f:
            got = json.load(f)
    failures = 0
    cn = [len(list(nx.common_neighbors(graph, u, v))) for u, v in pairs]
    aa = [s for _, _, s in nx.adamic_adar_index(graph, pairs)]
    ra = [s for _, _, s in nx.resource_allocation_index(graph, pairs)]
    for name, expected in [("cn", cn), ("aa", aa), ("ra", ra)]:
        if not np.allclose(got[name], expected, rtol=1e-5, atol=1e-6):
            bad = int(np.argmax(~np.isclose(got[name], expected, rtol=1e-5, atol=1e-6)))
            print(f"FAIL {name}: pair {pairs[bad]} moegnn {got[name][bad]} vs networkx {expected[bad]}")
            failures += 1
    for case, value in zip(hits_cases, got["hits"]):
        evaluator.K = case["k"]
        expected = evaluator.eval({"y_pred_pos": np.array(case["pos"], dtype=np.float32),
                                   "y_pred_neg": np.array(case["neg"], dtype=np.float32)})
        expected = expected["hits@{}".format(case["k"])]
        if abs(value - expected) > 1e-12:
            print(f"FAIL hits@{case['k']}: moegnn {value} vs ogb {expected}")
            failures += 1
    print("link oracle:", "ok" if failures == 0 else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
