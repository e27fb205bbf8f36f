// SPDX-License-Identifier: Apache-2.0
// Pickle converters: scipy.sparse csr/csc/coo/lil (new and Python 2 pickles) to Csr and dense
// tensors, adjacency dicts to Csr, and the real Planetoid ind.* files when present.
#include <algorithm>
#include <numeric>

#include <gtest/gtest.h>

#include "datasets/io/pickle.h"
#include "datasets/io/py_convert.h"
#include "datasets/io/text_table.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;

// The 4 × 5 matrix the sparse fixtures hold (make_io_fixtures.py), entry by entry.
Matrix expected_sparse() {
  Matrix m = Matrix::Zero(4, 5);
  m(0, 1) = 1.5f;
  m(0, 4) = -2.0f;
  m(2, 0) = 3.25f;
  m(3, 3) = 4.0f;
  m(3, 1) = 0.5f;
  return m;
}

Matrix dense_of(const graph::Csr& a) {
  Matrix m = Matrix::Zero(a.num_rows(), a.num_cols());
  for (Index r = 0; r < a.num_rows(); ++r)
    for (auto k = a.row_ptr()[r]; k < a.row_ptr()[r + 1]; ++k)
      m(r, a.col_idx()[k]) += a.has_values() ? a.values().data()[k] : 1.0f;
  return m;
}

TEST(PyConvert, SparseFormatsToCsr) {
  for (const char* format : {"csr", "csc", "lil"}) {
    for (const int protocol : {2, 4}) {
      const std::string file =
          std::string("sparse_") + format + "_p" + std::to_string(protocol) + ".pkl";
      SCOPED_TRACE(file);
      const PyValue v = read_pickle(fixture(file));
      ASSERT_TRUE(is_sparse_matrix(v));
      const graph::Csr a = sparse_to_csr(v);
      EXPECT_EQ(a.num_rows(), 4);
      EXPECT_EQ(a.num_cols(), 5);
      EXPECT_EQ(a.num_edges(), 5);
      EXPECT_EQ(dense_of(a), expected_sparse());
      EXPECT_EQ(to_dense_tensor(v).host(), expected_sparse());
    }
  }
}

TEST(PyConvert, CooKeepsDuplicatesAndDenseSumsThem) {
  const PyValue v = read_pickle(fixture("sparse_coo_p2.pkl"));
  const graph::Csr a = sparse_to_csr(v);
  ASSERT_EQ(a.num_edges(), 3);
  EXPECT_EQ(a.degree(0), 1);
  EXPECT_EQ(a.degree(1), 2);
  EXPECT_EQ(a.neighbors(1)[0], 2);  // file order within the row: 2.0 first, then -1.0
  EXPECT_EQ(a.values().data()[1], 2.0f);
  EXPECT_EQ(a.values().data()[2], -1.0f);
  EXPECT_EQ(to_dense_tensor(v).host()(1, 2), 1.0f);
  EXPECT_EQ(to_dense_tensor(v).host()(0, 3), 1.0f);
}

TEST(PyConvert, EmptyAndPython2SparseMatrices) {
  const graph::Csr empty = sparse_to_csr(read_pickle(fixture("sparse_empty_csr_p2.pkl")));
  EXPECT_EQ(empty.num_rows(), 2);
  EXPECT_EQ(empty.num_cols(), 3);
  EXPECT_EQ(empty.num_edges(), 0);
  const PyValue py2 = read_pickle(fixture("py2_csr.pkl"));
  EXPECT_EQ(py2.module(), "scipy.sparse.csr");
  Matrix expected = Matrix::Zero(3, 4);
  expected(0, 1) = 1.5f;
  expected(1, 3) = -2.0f;
  expected(2, 0) = 3.25f;
  expected(2, 2) = 0.5f;
  EXPECT_EQ(to_dense_tensor(py2).host(), expected);
}

TEST(PyConvert, AdjacencyDictToCsr) {
  const graph::Csr g = adjacency_dict_to_csr(read_pickle(fixture("py2_graph.pkl")));
  EXPECT_EQ(g.num_nodes(), 5);
  EXPECT_EQ(g.num_edges(), 7);
  const auto n2 = g.neighbors(2);
  EXPECT_EQ(std::vector<graph::NodeId>(n2.begin(), n2.end()),
            (std::vector<graph::NodeId>{0, 3, 3}));
  EXPECT_EQ(g.degree(4), 0);
  EXPECT_EQ(adjacency_dict_to_csr(read_pickle(fixture("py2_graph.pkl")), 9).num_nodes(), 9);
  testing::expect_io_error([] { adjacency_dict_to_csr(read_pickle(fixture("py2_graph.pkl")), 3); },
                           "vs [0, 3)");
}

TEST(PyConvert, RejectsOtherValuesAndBadIndices) {
  const PyValue nested = read_pickle(fixture("pickle_p4.pkl"));
  testing::expect_io_error([&] { sparse_to_csr(nested); }, "pickle_p4.pkl: value is dict");
  testing::expect_io_error([&] { adjacency_dict_to_csr(nested); }, "pickle_p4.pkl");
  testing::expect_io_error([&] { to_dense_tensor(nested.at("list")); }, "vs a scipy.sparse matrix");
  // Point one column index past the 5 columns: "indices" of the csr fixture hold 1, 4, 0, 1, 3.
  std::string bytes = testing::fixture_bytes("sparse_csr_p2.pkl");
  const std::string indices = std::string("\x01\0\0\0\x04\0\0\0\0\0\0\0\x01\0\0\0\x03\0\0\0", 20);
  const std::size_t at = bytes.find(indices);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 4] = '\x09';
  testing::expect_io_error([&] { sparse_to_csr(unpickle(bytes, "bad.pkl")); },
                           "indices[1] = 9 out of range");
}

TEST(PyConvert, RejectsCscPointersPastTheEnd) {
  // indptr [0, 1, 3, 3, 4, 5] -> [0, 9, 3, ...]: column 0 would span past the 5 entries.
  std::string bytes = testing::fixture_bytes("sparse_csc_p4.pkl");
  const std::string indptr("\0\0\0\0\x01\0\0\0\x03\0\0\0\x03\0\0\0\x04\0\0\0\x05\0\0\0", 24);
  const std::size_t at = bytes.find(indptr);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 4] = '\x09';
  testing::expect_io_error([&] { sparse_to_csr(unpickle(bytes, "csc.pkl")); }, "csc indptr [0, 9)");
  // The input the pickle fuzz target first found this with.
  testing::expect_io_error([] { sparse_to_csr(read_pickle(fixture("fuzz_crash_csc_indptr.pkl"))); },
                           "fuzz_crash_csc_indptr.pkl");
}

TEST(PyConvertRealData, PlanetoidCora) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const graph::Csr x = sparse_to_csr(read_pickle(dir / "ind.cora.x"));
  EXPECT_EQ(x.num_rows(), 140);
  EXPECT_EQ(x.num_cols(), 1433);
  const graph::Csr allx = sparse_to_csr(read_pickle(dir / "ind.cora.allx"));
  EXPECT_EQ(allx.num_rows(), 1708);
  EXPECT_EQ(allx.num_cols(), 1433);
  EXPECT_EQ(sparse_to_csr(read_pickle(dir / "ind.cora.tx")).num_rows(), 1000);
  // x == allx[:140]
  EXPECT_EQ(dense_of(x), dense_of(allx).topRows(140));
  const NpyArray y = read_pickle(dir / "ind.cora.y").ndarray();
  EXPECT_EQ(y.shape(), (std::vector<Index>{140, 7}));
  const std::vector<std::int64_t> onehot = y.to_int64();
  for (Index r = 0; r < 140; ++r)
    EXPECT_EQ(std::accumulate(onehot.begin() + r * 7, onehot.begin() + r * 7 + 7, std::int64_t{0}),
              1)
        << r;
  const graph::Csr g = adjacency_dict_to_csr(read_pickle(dir / "ind.cora.graph"));
  EXPECT_EQ(g.num_nodes(), 2708);
  EXPECT_EQ(g.num_edges(), 10858);  // adjacency entries including the 302 duplicates
  const Int64Table test_index = read_int_table(dir / "ind.cora.test.index");
  EXPECT_EQ(test_index.rows, 1000);
  const auto [lo, hi] = std::minmax_element(test_index.values.begin(), test_index.values.end());
  EXPECT_EQ(*lo, 1708);
  EXPECT_EQ(*hi, 2707);
}

TEST(PyConvertRealData, PlanetoidCiteseer) {
  MOEGNN_REQUIRE_DATASET(dir, "citeseer");
  const graph::Csr x = sparse_to_csr(read_pickle(dir / "ind.citeseer.allx"));
  EXPECT_EQ(x.num_cols(), 3703);
  EXPECT_EQ(adjacency_dict_to_csr(read_pickle(dir / "ind.citeseer.graph")).num_nodes(), 3327);
}

}  // namespace
}  // namespace moegnn::datasets::io
