# SPDX-License-Identifier: Apache-2.0
"""Writes the fixtures of the MAT-file reader and LINKX loader tests into tests/data/linkx.

MAT-files come from scipy.io.savemat (uncompressed and compressed). Two layouts no Python writer
produces are assembled here byte by byte and read back with scipy.io.loadmat before they are kept:
big-endian files (a byte-order converter over savemat's output) and MATLAB's own habit of storing
a double array in a narrower integer type (facebook100's local_info is double stored as uint16).
The LINKX files follow the reference code's layout (data/facebook100/<School>.mat,
data/<name>.mat, the twitch-gamer CSVs, data/splits/<name>-splits.npy written by np.save of an
object array of dicts), and expected/ holds what the reference loaders compute from them
(sklearn's label_binarize for fb100 features, pandas for twitch-gamer), for the C++ tests to match.
Array contents follow the formulas of make_io_fixtures.py, element k in C order:
    float: k * 0.25 - 1.0   signed: (k * 7) % 11 - 3   unsigned: (k * 7) % 11   bool: k % 3 == 0
Run: .venv-fixtures/bin/python tests/data/make_linkx_fixtures.py
     (needs numpy, scipy, scikit-learn and pandas; output is deterministic)
"""

import io
import os
import struct
import zlib

import numpy as np
import pandas as pd
import scipy.io as sio
import scipy.sparse as sp
from sklearn.preprocessing import label_binarize

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linkx")
HEADER_TEXT = b"MATLAB 5.0 MAT-file, written by make_linkx_fixtures.py"


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


def path(name):
    p = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def savemat(name, variables, compress=False):
    buf = io.BytesIO()
    sio.savemat(buf, variables, do_compression=compress, oned_as="row")
    data = buf.getvalue()
    # savemat stamps the creation time into the header; a fixed text keeps the output stable.
    data = HEADER_TEXT.ljust(116, b" ") + data[116:]
    write(name, data)
    return data


# ---- Byte-level MAT-file pieces (for layouts savemat does not write) -----------------------------

MI_SIZE = {1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4}


def element(mdtype, payload):
    """A little-endian data element, in the small format when the payload fits 4 bytes."""
    if len(payload) <= 4 and mdtype != 14:
        return struct.pack("<HH", mdtype, len(payload)) + payload.ljust(4, b"\0")
    pad = (8 - len(payload) % 8) % 8
    return struct.pack("<II", mdtype, len(payload)) + payload + b"\0" * pad


def compressed(var):
    """A top-level miCOMPRESSED element (unpadded, as MATLAB writes it)."""
    packed = zlib.compress(var)
    return struct.pack("<II", 15, len(packed)) + packed


def matrix(name, class_id, dims, body, flags=0, nzmax=0):
    out = element(6, struct.pack("<II", class_id | (flags << 8), nzmax))
    out += element(5, struct.pack("<%di" % len(dims), *dims))
    out += element(1, name.encode())
    return element(14, out + body)


def header():
    return HEADER_TEXT.ljust(116, b" ") + b"\0" * 8 + b"\x00\x01IM"


def to_big_endian(data):
    """A little-endian MAT-file (savemat's output) with every field byteswapped."""

    def swap_payload(mdtype, payload):
        if mdtype == 14:
            return convert(payload)
        size = MI_SIZE.get(mdtype, 1)
        if size == 1:
            return payload
        a = np.frombuffer(payload, dtype="<u%d" % size)
        return a.astype(">u%d" % size).tobytes()

    def convert(buf):
        out, pos = b"", 0
        while pos < len(buf):
            word = struct.unpack_from("<I", buf, pos)[0]
            if word >> 16:
                mdtype, n = word & 0xFFFF, word >> 16
                body = swap_payload(mdtype, buf[pos + 4 : pos + 4 + n])
                out += struct.pack(">HH", n, mdtype) + body.ljust(4, b"\0")
                pos += 8
                continue
            n = struct.unpack_from("<I", buf, pos + 4)[0]
            body = buf[pos + 8 : pos + 8 + n]
            if word == 15:
                body = zlib.compress(convert(zlib.decompress(body)))
                out += struct.pack(">II", 15, len(body)) + body
                pos += 8 + n
                continue
            pad = (8 - n % 8) % 8
            out += struct.pack(">II", word, n) + swap_payload(word, body) + b"\0" * pad
            pos += 8 + n + pad
        return out

    return data[:124] + b"\x01\x00MI" + convert(data[128:])


def check_same(name, expected):
    got = sio.loadmat(path(name))
    for key, want in expected.items():
        have = got[key]
        if sp.issparse(want):
            assert (have != want).nnz == 0, (name, key)
        else:
            want = np.asarray(want)
            assert np.array_equal(np.asarray(have).reshape(want.shape), want), (name, key)


# ---- MAT reader fixtures ---------------------------------------------------------------------------


def numeric_variables():
    v = {}
    for code in ["f8", "f4", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8"]:
        v["a_" + code] = formula("<" + code, (3, 4))
    v["logical"] = formula("|b1", (2, 5))
    v["cube"] = formula("<f8", (2, 3, 4))
    v["scalar"] = np.array(-3.5)
    v["empty"] = np.zeros((0, 3))
    v["row"] = formula("<i4", (6,))
    v["complex"] = formula("<f8", (2, 3)) + 1j * formula("<f8", (2, 3))[::-1, ::-1]
    return v


def make_mat_fixtures():
    numeric = numeric_variables()
    plain = savemat("mat_numeric.mat", numeric)
    savemat("mat_numeric_compressed.mat", numeric, compress=True)
    write("mat_numeric_be.mat", to_big_endian(plain))
    check_same("mat_numeric_be.mat", numeric)

    csc = sp.csc_matrix(
        (np.array([1.5, -2.0, 3.0, 4.25, 5.0]), (np.array([0, 3, 1, 4, 2]), np.array([0, 0, 2, 2, 3]))),
        shape=(5, 4),
    )
    sparse = {
        "S": csc,
        "L": sp.csc_matrix(np.array([[True, False], [False, True], [True, True]])),
        "Z": sp.csc_matrix((3, 2)),
        "C": sp.csc_matrix(np.array([[1 + 2j, 0], [0, -1j]])),
    }
    plain = savemat("mat_sparse.mat", sparse)
    savemat("mat_sparse_compressed.mat", sparse, compress=True)
    write("mat_sparse_be.mat", to_big_endian(plain))
    check_same("mat_sparse_be.mat", sparse)

    record = np.zeros((1, 2), dtype=[("id", object), ("tag", object)])
    record[0, 0] = (np.array([[7.0]]), "first")
    record[0, 1] = (np.array([[8.0, 9.0]]), "second")
    cell = np.empty((1, 3), dtype=object)
    cell[0, 0] = np.array([[1.0, 2.0]])
    cell[0, 1] = "text"
    cell[0, 2] = np.array([[True]])
    text = {
        "word": "hello",
        "lines": np.array(["ab", "cd"]),
        "accent": "h\u00e9llo",
        "st": {"x": np.array([[1.0, 2.0, 3.0]]), "name": "abc", "inner": {"y": np.array([[4]])}},
        "rec": record,
        "cell": cell,
    }
    plain = savemat("mat_text_struct.mat", text)
    savemat("mat_text_struct_compressed.mat", text, compress=True)
    write("mat_text_struct_be.mat", to_big_endian(plain))
    got = sio.loadmat(path("mat_text_struct_be.mat"))
    assert got["word"][0] == "hello" and got["st"]["name"][0, 0][0] == "abc"

    # MATLAB's own layout: a double array stored as uint16 and a sparse matrix, both compressed.
    info = formula("<u2", (3, 4)).astype(np.float64)
    body = element(4, np.asfortranarray(info.astype("<u2")).tobytes(order="F"))
    var = matrix("local_info", 6, [3, 4], body)
    data = header() + compressed(var)
    write("mat_double_as_uint16.mat", data)
    got = sio.loadmat(path("mat_double_as_uint16.mat"))["local_info"]
    assert np.array_equal(got, info) and got.dtype == np.uint16


# ---- LINKX fixtures --------------------------------------------------------------------------------


def linkx_splits(name, splits):
    arr = np.empty(len(splits), dtype=object)
    for i, s in enumerate(splits):
        arr[i] = s
    np.save(path("splits/%s-splits.npy" % name), arr, allow_pickle=True)


def random_splits(labeled, count, seed, as_array=False):
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(count):
        perm = labeled[rng.permutation(len(labeled))]
        n_train, n_valid = int(len(perm) * 0.5), int(len(perm) * 0.25)
        parts = [perm[:n_train], perm[n_train : n_train + n_valid], perm[n_train + n_valid :]]
        conv = (lambda a: a.astype(np.int64)) if as_array else (lambda a: [int(x) for x in a])
        out.append({"train": conv(parts[0]), "valid": conv(parts[1]), "test": conv(parts[2])})
    return out


def fb100_reference(A, local_info):
    """dataset.py's load_fb100_dataset: label, one-hot features, edges."""
    metadata = local_info.astype(int)
    label = metadata[:, 1] - 1
    feature_vals = np.hstack((np.expand_dims(metadata[:, 0], 1), metadata[:, 2:]))
    features = np.empty((A.shape[0], 0))
    for col in range(feature_vals.shape[1]):
        feat_col = feature_vals[:, col]
        features = np.hstack((features, label_binarize(feat_col, classes=np.unique(feat_col))))
    return label, features.astype(np.float32), np.array(A.nonzero())


def make_fb100():
    n = 12
    rng = np.random.RandomState(5)
    # Columns: status (3 values), gender (0 = missing), major (many), minor (2 values), dorm
    # (1 value), year (many), high school (2 values incl. 0).
    local_info = np.zeros((n, 7), dtype=np.float64)
    local_info[:, 0] = [1, 2, 1, 1, 2, 6, 1, 1, 2, 1, 1, 6]
    local_info[:, 1] = [1, 2, 0, 2, 1, 1, 2, 0, 2, 1, 2, 1]
    local_info[:, 2] = rng.randint(0, 6, n)
    local_info[:, 3] = [0, 9, 0, 9, 0, 0, 9, 9, 0, 0, 9, 0]
    local_info[:, 4] = 5
    local_info[:, 5] = rng.randint(2004, 2009, n)
    local_info[:, 6] = [0, 53827, 0, 0, 53827, 0, 0, 0, 53827, 0, 0, 0]
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (9, 10),
             (10, 11), (0, 11), (0, 5), (2, 9), (3, 7)]
    rows = [a for a, b in edges] + [b for a, b in edges]
    cols = [b for a, b in edges] + [a for a, b in edges]
    A = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    # MATLAB's layout: compressed, local_info double stored as uint16 (as the real files).
    info_body = element(4, local_info.astype("<u2").tobytes(order="F"))
    a_body = element(5, A.indices.astype("<i4").tobytes()) + element(5, A.indptr.astype("<i4").tobytes())
    a_body += element(9, A.data.astype("<f8").tobytes())
    data = header()
    for var in [matrix("A", 5, [n, n], a_body, nzmax=A.nnz), matrix("local_info", 6, [n, 7], info_body)]:
        data += compressed(var)
    write("facebook100/Tiny.mat", data)
    got = sio.loadmat(path("facebook100/Tiny.mat"))
    assert (got["A"] != A).nnz == 0 and np.array_equal(got["local_info"], local_info)
    # The same school written by savemat (local_info as double), read the same way.
    savemat("facebook100/TinyScipy.mat", {"A": A, "local_info": local_info})
    label, features, edge_index = fb100_reference(got["A"], got["local_info"])
    np.save(path("expected/fb100-Tiny-features.npy"), features)
    np.save(path("expected/fb100-Tiny-labels.npy"), label.astype(np.int64))
    np.save(path("expected/fb100-Tiny-edges.npy"), edge_index.astype(np.int64))
    labeled = np.where(label != -1)[0]
    splits = random_splits(labeled, 3, 0)
    splits[2] = random_splits(labeled, 1, 9, as_array=True)[0]  # ids as an int64 ndarray
    linkx_splits("fb100-Tiny", splits)
    linkx_splits("fb100-TinyScipy", splits)
    # A split that holds a node without label, and one whose id is out of range.
    bad = [dict(splits[0])]
    bad[0]["test"] = bad[0]["test"] + [int(np.where(label == -1)[0][0])]
    linkx_splits("bad-unlabeled", bad)
    linkx_splits("bad-range", [{"train": [0, 1], "valid": [2], "test": [n]}])
    linkx_splits("bad-overlap", [{"train": [0, 1], "valid": [1], "test": [3]}])
    linkx_splits("bad-key", [{"train": [0, 1], "val": [2], "test": [3]}])
    linkx_splits("bad-value", [{"train": "0,1", "valid": [2], "test": [3]}])
    np.save(path("splits/bad-numeric-splits.npy"), np.arange(4))
    # local_info with a row count that does not match A.
    savemat("facebook100/BadRows.mat", {"A": A, "local_info": local_info[:-1]})


def make_twitch():
    n = 10
    rng = np.random.RandomState(3)
    langs = ["EN", "DE", "EN", "FR", "EN", "DE", "OTHER", "EN", "FR", "EN"]
    nodes = pd.DataFrame(
        {
            "views": rng.randint(0, 100000, n),
            "mature": [1, 0, 0, 1, 1, 0, 0, 1, 0, 0],
            "life_time": rng.randint(10, 3000, n),
            "created_at": ["2016-02-16", "2011-05-19", "2014-07-01", "2013-01-09", "2018-12-31",
                           "2012-06-06", "2010-10-10", "2017-03-03", "2015-08-20", "2019-01-01"],
            "updated_at": ["2018-10-12"] * 5 + ["2018-10-11"] * 5,
            "numeric_id": np.arange(n),
            "dead_account": [0, 0, 1, 0, 0, 0, 0, 1, 0, 0],
            "language": langs,
            "affiliate": [1, 0, 1, 1, 0, 0, 1, 0, 1, 0],
        }
    )
    nodes.to_csv(path("twitch-gamer_feat.csv"), index=False)
    edges = pd.DataFrame({"numeric_id_1": [0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 2],
                          "numeric_id_2": [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 7]})
    edges.to_csv(path("twitch-gamer_edges.csv"), index=False)
    # load_data.py's load_twitch_gamer(nodes, "mature") and dataset.py's normalisation.
    df = pd.read_csv(path("twitch-gamer_feat.csv")).drop("numeric_id", axis=1)
    df["created_at"] = df.created_at.replace("-", "", regex=True).astype(int)
    df["updated_at"] = df.updated_at.replace("-", "", regex=True).astype(int)
    one_hot = {k: v for v, k in enumerate(df["language"].unique())}
    df["language"] = [one_hot[lang] for lang in df["language"]]
    label = df["mature"].to_numpy()
    features = df.drop("mature", axis=1).to_numpy().astype(np.float64)
    features = (features - features.mean(axis=0)) / features.std(axis=0, ddof=1)
    np.save(path("expected/twitch-gamer-features.npy"), features.astype(np.float32))
    np.save(path("expected/twitch-gamer-labels.npy"), label.astype(np.int64))
    linkx_splits("twitch-gamer", random_splits(np.arange(n), 2, 1))


def make_linkx_mat():
    n, f = 9, 4
    label = np.array([[1, 0, -1, 1, 0, 0, 1, -1, 1]], dtype=np.int64)
    edge_index = np.array([[0, 1, 2, 3, 4, 5, 6, 7, 0, 3], [1, 2, 3, 4, 5, 6, 7, 8, 8, 3]], dtype=np.int64)
    pokec = {"edge_index": edge_index, "node_feat": formula("<f4", (n, f)), "label": label,
             "num_nodes": np.array([[n]], dtype=np.int64)}
    savemat("pokec.mat", pokec, compress=True)
    linkx_splits("pokec", random_splits(np.where(label[0] != -1)[0], 2, 2))
    genius = {"edge_index": edge_index.astype(np.int32),
              "node_feat": sp.csc_matrix(formula("<f8", (n, f)) * (formula("|b1", (n, f)))),
              "label": label.T.astype(np.int32)}
    savemat("genius.mat", genius)
    linkx_splits("genius", random_splits(np.where(label[0] != -1)[0], 1, 4))


if __name__ == "__main__":
    make_mat_fixtures()
    make_fb100()
    make_twitch()
    make_linkx_mat()
