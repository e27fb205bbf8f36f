#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes seed inputs that declare huge shapes or sizes, so the fuzz targets start from the
allocation checks (datasets/io) rather than having to find them: .npy headers with shapes of
2^50 elements, .npz members declaring or inflating to many MiB, pickled scipy.sparse matrices whose
_shape was edited to ~2^30 (the dense conversion must refuse them), and MAT-files with huge dims,
names, cells or nzmax, or
a compressed element whose tag declares 2 GiB. Every seed is under 16 KiB (fuzz/run.sh's -max_len).

Usage: make_bomb_seeds.py TARGET OUT_DIR   (TARGET: npy npz pickle mat; others write nothing)
"""
import os
import struct
import sys
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def npy(shape, descr="<f8", data=b"\0" * 64, fortran=False):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, fortran, "(" + "".join("%d, " % d for d in shape) + ")")
    header = header.ljust(117) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def zero_deflate(mib):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    return piece * mib + c.flush(zlib.Z_FINISH)


def zip_one(name, data, crc, usize, method=8):
    name = name.encode()
    common = struct.pack("<HHHII", 20, 0, method, 0, crc) + struct.pack(
        "<IIHH", len(data), usize, len(name), 0)
    local = struct.pack("<I", 0x04034B50) + common + name
    central = struct.pack("<IH", 0x02014B50, 20) + common + struct.pack("<HHHII", 0, 0, 0, 0, 0) \
        + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def npz_seeds():
    header = npy((8 << 20,), "|b1", b"")
    member = header + bytes((8 << 20))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(member) + c.flush()
    crc = zlib.crc32(member)
    yield "honest.npz", zip_one("train_mask.npy", data, crc, len(member))
    yield "declares_2gib.npz", zip_one("x.npy", zero_deflate(8), 0, 1 << 31)
    yield "lies_small.npz", zip_one("x.npy", zero_deflate(8), 0, 4096)


def pickle_seeds():
    big = b"J\xff\xff\xff\x3f"  # BININT 2^30 - 1
    for name in ("py2_csr.pkl", "sparse_coo_p2.pkl", "sparse_csc_p2.pkl"):
        with open(os.path.join(ROOT, "tests", "data", "io", name), "rb") as f:
            b = f.read()
        at = b.find(b"_shape")
        tup = b.find(b"\x86", at)
        # The tuple's two BININT1 ints become (rows, 2^30 - 1) and (2^30 - 1, cols).
        rows, cols = b[tup - 4:tup - 2], b[tup - 2:tup]
        yield "wide_" + name, b[:tup - 4] + rows + big + b[tup:]
        yield "tall_" + name, b[:tup - 4] + big + cols + b[tup:]


def mat_element(kind, payload):
    return struct.pack("<II", kind, len(payload)) + payload + b"\0" * (-len(payload) % 8)


def mat_file(elements):
    header = b"MATLAB 5.0 MAT-file, bomb seed".ljust(116) + b"\0" * 8 + b"\x00\x01IM"
    return header + elements


def mat_seeds():
    head = mat_element(6, struct.pack("<II", 6, 0)) + mat_element(
        5, struct.pack("<ii", 0x7FFFFFFF, 0x7FFFFFFF)) + mat_element(1, b"v")
    yield "huge_dims.mat", mat_file(mat_element(14, head + mat_element(9, bytes(8))))
    tag = struct.pack("<II", 14, 0x7FFFFFF0)
    c = zlib.compressobj(9, zlib.DEFLATED, 15)
    body = c.compress(tag) + c.flush(zlib.Z_FULL_FLUSH)
    yield "declares_2gib.mat", mat_file(mat_element(15, body + zero_deflate(8)))
    # What libmatio would allocate from unchecked: a 4 GiB name tag, a 2^31 - 1 element cell, a
    # sparse matrix whose nzmax is 2^32 - 1; each as a plain and as a compressed variable.
    def flags(cls, nzmax=0):
        return mat_element(6, struct.pack("<II", cls, nzmax))
    dims = mat_element(5, struct.pack("<ii", 1, 1))
    name = struct.pack("<II", 1, 0xFFFFFF00) + b"n" * 8
    sparse = (mat_element(5, struct.pack("<i", 0)) + mat_element(5, struct.pack("<ii", 0, 1)) +
              mat_element(9, struct.pack("<d", 1.0)))
    bombs = {
        "huge_name": flags(6) + dims + name + mat_element(9, bytes(8)),
        "huge_cell": flags(1) + mat_element(5, struct.pack("<ii", 0x7FFFFFFF, 1)) +
        mat_element(1, b"c"),
        "huge_nzmax": flags(5, 0xFFFFFFFF) + dims + mat_element(1, b"S") + sparse,
    }
    for stem, array in bombs.items():
        yield stem + ".mat", mat_file(mat_element(14, array))
        yield stem + "_compressed.mat", mat_file(
            mat_element(15, zlib.compress(mat_element(14, array))))


def npy_seeds():
    yield "huge_shape.npy", npy((1 << 40, 1024))
    yield "zero_by_huge.npy", npy((0, 1 << 62), data=b"")
    yield "overflow.npy", npy((1 << 32, 1 << 32, 16), "<f4", b"", True)


def main():
    target, out = sys.argv[1], sys.argv[2]
    seeds = {"npy": npy_seeds, "npz": npz_seeds, "pickle": pickle_seeds, "mat": mat_seeds}
    if target not in seeds:
        return
    for name, data in seeds[target]():
        assert len(data) <= 16384, (name, len(data))
        with open(os.path.join(out, "bomb_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
