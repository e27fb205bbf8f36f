# SPDX-License-Identifier: Apache-2.0
"""Writes the fixture files of the format-reader tests (tests/datasets/io) into tests/data/io.

Every file comes from Python's own writers (numpy.save/savez, pickle, gzip, scipy.sparse) or, where
no writer is at hand, from a byte-level builder that this script checks with Python's own reader
(the ZIP64 archive is read back with numpy.load, hand-assembled Python 2 pickles with pickle.loads,
the PyTorch legacy file with a fake `torch` module whose layout follows torch/serialization.py
_legacy_save). Array contents follow formulas that the C++ tests recompute, element k in C order:
    float: k * 0.25 - 1.0   signed: (k * 7) % 11 - 3   unsigned: (k * 7) % 11   bool: k % 3 == 0
Files named fuzz_crash_* are not written here: they are inputs the fuzz targets (fuzz/) found,
kept verbatim as regression fixtures.
Run: python3 tests/data/make_io_fixtures.py   (needs numpy and scipy; output is deterministic)
"""

import collections
import gzip
import io
import os
import pickle
import struct
import sys
import types
import zlib

import numpy as np
import scipy.sparse as sp

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "io")


def formula(dtype, shape):
    dtype = np.dtype(dtype)
    k = np.arange(int(np.prod(shape, dtype=np.int64)), dtype=np.int64)
    if dtype.kind == "f":
        v = k * 0.25 - 1.0
    elif dtype.kind == "i":
        v = (k * 7) % 11 - 3
    elif dtype.kind == "u":
        v = (k * 7) % 11
    else:
        v = k % 3 == 0
    return v.astype(dtype).reshape(shape)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def save_npy(name, array, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, version=version, allow_pickle=True)
    write(name, buf.getvalue())


def tag(dtype):
    return {"<": "lt_", ">": "gt_", "|": ""}[np.dtype(dtype).str[0]] + np.dtype(dtype).str[1:]


def make_npy():
    for d in [
        "|b1",
        "|i1",
        "|u1",
        "<i2",
        ">i2",
        "<u2",
        ">u2",
        "<i4",
        ">i4",
        "<u4",
        ">u4",
        "<i8",
        ">i8",
        "<u8",
        ">u8",
        "<f4",
        ">f4",
        "<f8",
        ">f8",
    ]:
        save_npy(f"npy_{tag(d)}.npy", formula(d, (3, 4)))
    for d in ["<f4", ">i8", "<f8", "|b1"]:
        save_npy(f"npy_fortran_{tag(d)}.npy", np.asfortranarray(formula(d, (3, 4))))
    save_npy("npy_fortran_3d_lt_i4.npy", np.asfortranarray(formula("<i4", (2, 3, 4))))
    save_npy("npy_3d_lt_f4.npy", formula("<f4", (2, 3, 4)))
    save_npy("npy_1d_lt_f4.npy", formula("<f4", (5,)))
    save_npy("npy_0d_lt_i8.npy", np.array(-3, dtype="<i8"))
    save_npy("npy_empty_lt_f4.npy", np.zeros((0, 3), dtype="<f4"))
    save_npy("npy_empty_1d_lt_i8.npy", np.zeros((0,), dtype="<i8"))
    save_npy("npy_v2_lt_f4.npy", formula("<f4", (3, 4)), version=(2, 0))
    save_npy("npy_v3_lt_f4.npy", formula("<f4", (3, 4)), version=(3, 0))
    save_npy("npy_unicode.npy", np.array(["ab", "h\u00e9llo", "\u2713", ""], dtype="<U5"))
    save_npy("npy_unicode_be.npy", np.array(["xy", "\u00e9"], dtype=">U3"))
    save_npy("npy_large_i8.npy", np.array([2**40, -(2**62), 2**63 - 1, -(2**63)], dtype="<i8"))
    save_npy("npy_object.npy", np.array([1, "a"], dtype=object))
    save_npy("npy_half.npy", np.zeros(3, dtype="<f2"))
    save_npy("npy_structured.npy", np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")]))
    # A Python 2 writer put an L after each dimension; numpy still reads such headers.
    header = b"{'descr': '<i8', 'fortran_order': False, 'shape': (2L, 3L), }"
    header += b" " * (64 - 10 - len(header) - 1) + b"\n"
    data = (
        b"\x93NUMPY\x01\x00"
        + struct.pack("<H", len(header))
        + header
        + formula("<i8", (2, 3)).tobytes()
    )
    write("npy_py2_header.npy", data)


def npz_arrays():
    return {"a": formula("<f4", (3, 4)), "b": formula("<i8", (5,)), "mask": formula("|b1", (7,))}


def zip64_archive(members):
    """Stored members with ZIP64 placeholders and extras, plus the ZIP64 end records."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data in members:
        name_b, crc, size, offset = name.encode(), zlib.crc32(data), len(data), out.tell()
        extra = struct.pack("<HHQQ", 1, 16, size, size)
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                45,
                0,
                0,
                0,
                0x21,
                crc,
                0xFFFFFFFF,
                0xFFFFFFFF,
                len(name_b),
                len(extra),
            )
            + name_b
            + extra
            + data
        )
        cextra = struct.pack("<HHQQQ", 1, 24, size, size, offset)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                45,
                45,
                0,
                0,
                0,
                0x21,
                crc,
                0xFFFFFFFF,
                0xFFFFFFFF,
                len(name_b),
                len(cextra),
                0,
                0,
                0,
                0,
                0xFFFFFFFF,
            )
            + name_b
            + cextra
        )
    cd_offset, cd = out.tell(), central.getvalue()
    out.write(cd)
    end64 = out.tell()
    out.write(
        struct.pack(
            "<IQHHIIQQQQ",
            0x06064B50,
            44,
            45,
            45,
            0,
            0,
            len(members),
            len(members),
            len(cd),
            cd_offset,
        )
    )
    out.write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    return out.getvalue()


def make_npz():
    np.savez(os.path.join(OUT, "npz_stored.npz"), **npz_arrays())
    np.savez_compressed(os.path.join(OUT, "npz_deflate.npz"), **npz_arrays())
    members = []
    for key, array in npz_arrays().items():
        buf = io.BytesIO()
        np.lib.format.write_array(buf, array)
        members.append((key + ".npy", buf.getvalue()))
    data = zip64_archive(members)
    loaded = np.load(io.BytesIO(data))
    assert all(np.array_equal(loaded[k], v) for k, v in npz_arrays().items())
    write("npz_zip64.npz", data)


def nested_object():
    shared = [1, 2]
    return {
        "int": 5,
        "neg": -7,
        "big": 2**40,
        "min64": -(2**63),
        "max64": 2**63 - 1,
        "huge": 2**70,
        "float": 1.5,
        "negfloat": -0.25,
        "str": "h\u00e9llo \u2713\n\\",
        "empty_str": "",
        "bytes": b"\x00\xffab",
        "empty_bytes": b"",
        "none": None,
        "true": True,
        "false": False,
        "list": [1, "two", [3.0, None]],
        "tuple0": (),
        "tuple1": (1,),
        "tuple4": (1, 2, 3, 4),
        "set": {3},
        "frozenset": frozenset([4]),
        "dd": collections.defaultdict(list, {1: [2, 3]}),
        "ordered": collections.OrderedDict([("a", 1)]),
        "shared1": shared,
        "shared2": shared,
        "f4": formula("<f4", (3, 4)),
        "i8_be": formula(">i8", (2, 3)),
        "f8_fortran": np.asfortranarray(formula("<f8", (3, 4))),
        "zero_d": np.array(-3, dtype="<i8"),
        "empty": np.zeros((0, 3), dtype="<f4"),
        "mask": formula("|b1", (5,)),
        "np_int": np.int64(9),
        "np_float": np.float32(2.5),
        "unicode": np.array(["ab", "\u00e9"]),
    }


def make_pickles():
    for protocol in range(5):
        write(f"pickle_p{protocol}.pkl", pickle.dumps(nested_object(), protocol=protocol))
    write("pickle_p5_bytearray.pkl", pickle.dumps(bytearray(b"ab"), protocol=5))
    entries = [(0, 1, 1.5), (0, 4, -2.0), (2, 0, 3.25), (3, 3, 4.0), (3, 1, 0.5)]
    rows, cols, vals = (np.array(x) for x in zip(*entries))
    dense = sp.coo_matrix((vals.astype(np.float32), (rows, cols)), shape=(4, 5))
    for fmt in ["csr", "csc", "lil"]:
        matrix = dense.asformat(fmt)
        for protocol in (2, 4):
            write(f"sparse_{fmt}_p{protocol}.pkl", pickle.dumps(matrix, protocol=protocol))
    # COO keeps duplicates: (1, 2) appears twice, in this order.
    coo = sp.coo_matrix(
        (np.array([2.0, 1.0, -1.0], np.float32), (np.array([1, 0, 1]), np.array([2, 3, 2]))),
        shape=(2, 4),
    )
    write("sparse_coo_p2.pkl", pickle.dumps(coo, protocol=2))
    write(
        "sparse_empty_csr_p2.pkl", pickle.dumps(sp.csr_matrix((2, 3), dtype=np.float32), protocol=2)
    )
    make_python2_pickles()


class Py2:
    """Assembles Python 2 pickles opcode by opcode (str as SHORT_BINSTRING/BINSTRING, GLOBAL...)."""

    def __init__(self):
        self.out, self.memo = bytearray(b"\x80\x02"), 0

    def op(self, data):
        self.out += data
        return self

    def put(self):
        self.memo += 1
        return self.op(b"q" + bytes([self.memo]))

    def str(self, s):
        s = s if isinstance(s, bytes) else s.encode("latin1")
        if len(s) < 256:
            return self.op(b"U" + bytes([len(s)]) + s)
        return self.op(b"T" + struct.pack("<i", len(s)) + s)

    def int(self, v):
        return self.op(
            b"K" + bytes([v])
            if 0 <= v < 256
            else b"M" + struct.pack("<H", v)
            if 0 <= v < 65536
            else b"J" + struct.pack("<i", v)
        )

    def glob(self, module, name):
        return self.op(b"c" + module.encode() + b"\n" + name.encode() + b"\n").put()

    def ndarray(self, array):
        order = {"<": "<", ">": ">", "|": "|", "=": "<"}[array.dtype.str[0]]
        self.glob("numpy.core.multiarray", "_reconstruct").glob("numpy", "ndarray")
        self.int(0).op(b"\x85").str("b").op(b"\x87R").put().op(b"(").int(1)
        for d in array.shape:
            self.int(d)
        self.op(b"\x85" if array.ndim == 1 else b"\x86" if array.ndim == 2 else b"t")
        self.glob("numpy", "dtype").str(array.dtype.str[1:]).int(0).int(1).op(b"\x87R").put()
        self.op(b"(").int(3).str(order).op(b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xff").int(0).op(
            b"tb"
        )
        return self.op(b"\x89").str(np.ascontiguousarray(array).tobytes()).op(b"tb")

    def done(self):
        return bytes(self.out + b".")


def make_python2_pickles():
    # Planetoid's ind.*.x: a scipy.sparse.csr.csr_matrix with its __dict__ as state.
    m = sp.csr_matrix(
        np.array([[0, 1.5, 0, 0], [0, 0, 0, -2], [3.25, 0, 0.5, 0]], dtype=np.float32)
    )
    p = Py2().glob("scipy.sparse.csr", "csr_matrix").op(b")\x81").put().op(b"}").put().op(b"(")
    p.str("format").put().str("csr").str("_shape").put().int(3).int(4).op(b"\x86")
    p.str("indptr").put().ndarray(m.indptr.astype("<i4")).str("indices").put().ndarray(
        m.indices.astype("<i4")
    )
    p.str("maxprint").int(50).str("_cs_matrix__has_sorted_indices").op(b"\x88").str("data").ndarray(
        m.data
    )
    data = p.op(b"ub").done()
    check = pickle.loads(data.replace(b"scipy.sparse.csr", b"scipy.sparse._csr"), encoding="latin1")
    assert (check.toarray() == m.toarray()).all()
    write("py2_csr.pkl", data)
    # Planetoid's ind.*.graph: defaultdict(list) of int -> list of ints.
    p = (
        Py2()
        .glob("collections", "defaultdict")
        .glob("__builtin__", "list")
        .op(b"\x85R")
        .put()
        .op(b"(")
    )
    for key, nbrs in [(0, [1, 2]), (1, [0]), (2, [0, 3, 3]), (3, [2]), (4, [])]:
        p.int(key).op(b"]").put()
        if nbrs:
            p.op(b"(")
            for n in nbrs:
                p.int(n)
            p.op(b"e")
    data = p.op(b"u").done()
    assert pickle.loads(data, encoding="latin1") == {0: [1, 2], 1: [0], 2: [0, 3, 3], 3: [2], 4: []}
    write("py2_graph.pkl", data)
    # Planetoid's ind.*.y: a one-hot int32 matrix, data in a BINSTRING (over 255 bytes).
    labels = np.eye(7, dtype="<i4")[np.arange(20) % 7]
    data = Py2().ndarray(labels).done()
    assert (pickle.loads(data, encoding="latin1") == labels).all()
    write("py2_labels.pkl", data)
    # Protocol 0 text opcodes as Python 2 wrote them: STRING reprs with escapes, INT bools, LONG.
    data = (
        b"(lp0\nS'a\\x00b\\'c\\n'\np1\naI01\naI00\naL12345678901234567890123L\naF-1.5\naI-42\n"
        b'aS"q\\\\"\np2\na.'
    )
    assert pickle.loads(data, encoding="bytes") == [
        b"a\x00b'c\n",
        True,
        False,
        12345678901234567890123,
        -1.5,
        -42,
        b"q\\",
    ]
    write("py2_proto0.pkl", data)


def make_torch():
    """torch.save(obj, f, _use_new_zipfile_serialization=False) without torch: same five parts."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")
    sys.modules["torch"], sys.modules["torch._utils"], torch._utils = torch, utils, utils
    storage_types = {}
    for name in ["LongStorage", "IntStorage", "FloatStorage", "DoubleStorage", "BoolStorage"]:
        storage_types[name] = type(name, (), {"__module__": "torch"})
        setattr(torch, name, storage_types[name])

    def _rebuild_tensor_v2(*args):
        raise NotImplementedError

    _rebuild_tensor_v2.__module__, _rebuild_tensor_v2.__qualname__ = (
        "torch._utils",
        "_rebuild_tensor_v2",
    )
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2

    class Storage:
        def __init__(self, kind, key, array):
            self.kind, self.key, self.array = storage_types[kind], key, array

    class Tensor:
        def __init__(self, storage, offset, size, stride):
            self.args = (
                storage,
                offset,
                tuple(size),
                tuple(stride),
                False,
                collections.OrderedDict(),
            )

        def __reduce_ex__(self, protocol):
            return (_rebuild_tensor_v2, self.args)

    def save(name, obj):
        storages = {}

        class Pickler(pickle.Pickler):
            def persistent_id(self, obj):
                if isinstance(obj, Storage):
                    storages[obj.key] = obj
                    return ("storage", obj.kind, obj.key, "cpu", obj.array.size)
                return None

        f = io.BytesIO()
        for part in [
            0x1950A86A20F9469CFC6C,
            1001,
            dict(
                protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4)
            ),
        ]:
            pickle.dump(part, f, protocol=2)
        Pickler(f, protocol=2).dump(obj)
        keys = sorted(storages)
        pickle.dump(keys, f, protocol=2)
        for key in keys:
            f.write(struct.pack("<q", storages[key].array.size) + storages[key].array.tobytes())
        write(name, f.getvalue())

    edge = Storage(
        "LongStorage", "140001", formula("<i8", (10,))
    )  # 5 × 2, plus a view of rows 1..4
    save(
        "torch_dict.pt",
        {
            "edge": Tensor(edge, 0, (5, 2), (2, 1)),
            "edge_tail": Tensor(edge, 2, (4, 2), (2, 1)),
            "weight": Tensor(
                Storage("FloatStorage", "140002", formula("<f4", (4,))), 0, (4,), (1,)
            ),
            "x": Tensor(
                Storage("DoubleStorage", "140003", formula("<f8", (6,))), 0, (2, 3), (3, 1)
            ),
            "mask": Tensor(Storage("BoolStorage", "140004", formula("|b1", (3,))), 0, (3,), (1,)),
            "ids": Tensor(Storage("IntStorage", "140005", formula("<i4", (5,))), 0, (5,), (1,)),
            "empty": Tensor(
                Storage("LongStorage", "140006", formula("<i8", (0,))), 0, (0, 2), (2, 1)
            ),
        },
    )
    save(
        "torch_single.pt",
        Tensor(Storage("FloatStorage", "7", formula("<f4", (6,))), 0, (3, 2), (2, 1)),
    )
    save(
        "torch_noncontiguous.pt",
        {"t": Tensor(Storage("LongStorage", "1", formula("<i8", (6,))), 0, (2, 3), (1, 2))},
    )
    # OGB's ogbl-ddi split files hold numpy arrays and no storages.
    save("torch_ndarray.pt", {"edge": formula("<i8", (4, 2)), "edge_neg": formula("<i8", (3, 2))})


def gz(data, mtime=0):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=mtime) as f:
        f.write(data)
    return buf.getvalue()


def make_text():
    edges = "".join(f"{(r * 7) % 13},{(r * 3) % 17}\n" for r in range(50)).encode()
    write("csv_edges.csv", edges)
    write("csv_edges.csv.gz", gz(edges))
    write("csv_edges_two_members.csv.gz", gz(edges[:200]) + gz(edges[200:]))
    rows = ["a,b,c"] + [
        ",".join(repr(float(formula("<f4", (6, 3))[r, c])) for c in range(3)) for r in range(6)
    ]
    write("csv_float_header.csv", ("\r\n".join(rows) + "\r\n").encode())
    ratings = "".join(
        f"{1 + r % 5}\t{1 + (r * 7) % 9}\t{1 + r % 5}\t{881250949 + r}\n" for r in range(12)
    )
    write("text_udata.txt", ratings.encode())
    write("text_ml1m.dat", ratings.replace("\t", "::").encode())
    item = "1|Toy Story (1995)|01-Jan-1995||http://x|0|1\n"
    item += "2|Les Mis\u00e9rables (1995)|||http://y|1|0\n"
    write("text_uitem.txt", item.encode("latin1"))
    write("text_edges.txt", b"node_id\tnode_id\n0\t1\n1\t2\n2\t0\n3\t3\n")
    write("text_features.txt", b"node_id\tfeature\tlabel\n0\t1,0,1\t2\n1\t0,0,0\t0\n2\t0,1,1\t4\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    make_npy()
    make_npz()
    make_pickles()
    make_torch()
    make_text()
    for name in sorted(os.listdir(OUT)):
        assert os.path.getsize(os.path.join(OUT, name)) <= 100 * 1024, name


if __name__ == "__main__":
    main()
