# SPDX-License-Identifier: Apache-2.0
"""Shared by the PyTorch Geometric sides of bench/compare/*_vs_pyg.sh: the graph file written by
`moegnn_models_bench --write-graph` (layout in bench/models/gcn_epoch.cpp) and the epoch timer
whose JSON line every compare script reads."""
import json
import resource
import statistics
import sys
import time

import numpy as np

MAGIC = b"MOEGCNB1"


def read_graph(path):
    """(n, row_ptr, col_idx, features, labels, num_classes) from the moegnn graph file."""
    with open(path, "rb") as f:
        if f.read(8) != MAGIC:
            sys.exit(f"error: {path}: bad magic vs {MAGIC!r}")
        n, nnz, num_features, num_classes = (int(v) for v in np.fromfile(f, np.uint64, 4))
        row_ptr = np.fromfile(f, np.int64, n + 1)
        col_idx = np.fromfile(f, np.int32, nnz)
        features = np.fromfile(f, np.float32, n * num_features).reshape(n, num_features)
        labels = np.fromfile(f, np.int32, n)
    if labels.size != n:
        sys.exit(f"error: {path}: truncated file")
    return n, row_ptr, col_idx, features, labels, num_classes


def time_epochs(train_epoch, warmup, epochs):
    """Runs warmup + epochs calls of train_epoch() (which returns the last loss) and returns
    (wall seconds, process CPU seconds, last loss) of the timed epochs."""
    seconds, cpu_seconds, loss = [], [], None
    for epoch in range(warmup + epochs):
        start, cpu_start = time.perf_counter(), time.process_time()
        loss = train_epoch()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if epoch >= warmup:
            seconds.append(elapsed)
            cpu_seconds.append(cpu)
    return seconds, cpu_seconds, loss


def print_record(record, seconds, cpu_seconds):
    """One JSON line: `record` plus the per-epoch times and their medians."""
    print(json.dumps({
        **record,
        "epoch_seconds": [round(s, 6) for s in seconds], "median": statistics.median(seconds),
        "cpu_seconds": [round(s, 6) for s in cpu_seconds],
        "cpu_median": statistics.median(cpu_seconds),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))
