# SPDX-License-Identifier: Apache-2.0
"""Interop: a checkpoint written by moegnn loads in Python with the `safetensors` package.

Runs the C++ writer (tests/interop/write_checkpoint.cpp) into a temporary folder, loads its
checkpoint with safetensors.numpy.load_file and safe_open, and compares names, dtypes, shapes,
values (bit for bit) and metadata with the JSON dump the writer made from its own reader.
Usage: python safetensors_test.py <path to moegnn_interop_write_checkpoint>
Needs numpy and safetensors (scripts/test.sh creates .venv-test with both).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def main(writer):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "checkpoint.safetensors")
        dump_path = os.path.join(tmp, "dump.json")
        subprocess.run([writer, path, dump_path], check=True)
        with open(dump_path) as f:
            expected = json.load(f)
        tensors = load_file(path)
        with safe_open(path, framework="np") as f:
            metadata = f.metadata()

    failures = []
    names = sorted(expected["tensors"])
    if sorted(tensors) != names:
        failures.append("names differ: %s vs %s" % (sorted(tensors), names))
    for name in names:
        want = expected["tensors"][name]
        got = tensors.get(name)
        if got is None:
            continue
        if str(got.dtype) != want["dtype"] or list(got.shape) != want["shape"]:
            failures.append("%s: %s %s vs %s %s" % (name, got.dtype, list(got.shape),
                                                      want["dtype"], want["shape"]))
            continue
        values = np.array(want["values"], dtype=want["dtype"]).reshape(want["shape"])
        if not np.array_equal(got, values):
            failures.append("%s: values differ" % name)
    if metadata != expected["metadata"]:
        failures.append("metadata differs: %s vs %s" % (metadata, expected["metadata"]))
    for key in ("format", "epoch", "history"):
        if key not in (metadata or {}):
            failures.append("metadata lacks %s" % key)
    for must in ("model.conv0.weight", "model.bn0.running_mean", "model.bn0.num_batches_tracked",
                 "optimizer.step", "rng"):
        if must not in tensors:
            failures.append("missing tensor %s" % must)

    for failure in failures:
        print("FAIL:", failure)
    checks = len(names) + 2
    print("%d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
