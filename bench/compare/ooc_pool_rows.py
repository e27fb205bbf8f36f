#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Row statistics of an out-of-core pack (issue 21), read from its index.bin: hot (cached) rows,
cold rows (summed over batches, as packed), distinct cold rows, the pool's distinct input rows
(hot + distinct cold), their share of the table, and cold rows per batch. Shows whether a cache
budget holds every row the pool touches (then nothing is cold and the pack measures nothing).
Usage: ooc_pool_rows.py PACK_DIR [--table-rows N] [--first N]
  --table-rows: rows of the feature table (default: from PACK_DIR/manifest.json)
  --first N:    also report the first N batches of the pool (a --batches-per-epoch run)"""
import argparse
import json
import os
import struct
import sys
import zlib

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("pack")
    ap.add_argument("--table-rows", type=int, default=0)
    ap.add_argument("--first", type=int, default=0)
    a = ap.parse_args()
    raw = open(os.path.join(a.pack, "index.bin"), "rb").read()
    if len(raw) < 4 or zlib.crc32(raw[:-4]) != struct.unpack("<I", raw[-4:])[0]:
        sys.exit(f"{a.pack}/index.bin: CRC-32 mismatch (truncated or corrupt)")
    row_bytes, nb = struct.unpack_from("<Qq", raw, 0)
    pos = 16 + nb * 12  # per batch: offset (u64) + crc (u32)

    def span():
        nonlocal pos
        (n,) = struct.unpack_from("<q", raw, pos)
        v = np.frombuffer(raw, dtype="<i4", count=n, offset=pos + 8)
        pos += 8 + 4 * n
        return v

    hot = span()
    cold = [span() for _ in range(nb)]
    rows = a.table_rows
    if not rows:
        m = json.load(open(os.path.join(a.pack, "manifest.json")))
        rows = m.get("features", {}).get("rows", 0)

    def report(label, batches):
        total = sum(len(c) for c in batches)
        distinct_cold = len(np.unique(np.concatenate(batches))) if total else 0
        distinct = len(hot) + distinct_cold
        sizes = [len(c) for c in batches]
        share = f" ({100 * distinct / rows:.1f} % of {rows:,} rows)" if rows else ""
        print(f"{label}: {len(batches)} batches, hot rows {len(hot):,}, cold rows {total:,} "
              f"(distinct {distinct_cold:,}), pool distinct rows <= {distinct:,}{share}, cold rows "
              f"per batch mean {np.mean(sizes):.0f} min {min(sizes)} max {max(sizes)}, "
              f"{total * row_bytes / 2**20:.1f} MiB packed")

    report("pool", cold)
    if 0 < a.first < nb:
        report(f"first {a.first}", cold[: a.first])
    return 0


if __name__ == "__main__":
    sys.exit(main())
