// SPDX-License-Identifier: Apache-2.0
// gnn-benchmark .npz loader on the shared cora.npz / citeseer.npz. Expected counts come from
// ../shared/datasets/gnn-benchmark-npz/MANIFEST.md (nodes, attributes, attribute non-zeros,
// adjacency entries, classes) and cora/MANIFEST.md (5278 distinct undirected citation pairs);
// the symmetrised edge set is compared with a plain reading of the stored CSR arrays.
#include <map>
#include <set>
#include <utility>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/class_split.h"
#include "datasets/gnn_benchmark.h"
#include "datasets/io/npz.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

Index count_nonzeros(const Tensor& x) { return (x.host().array() != 0.0f).count(); }

TEST(GnnBenchmark, CoraMatchesManifest) {
  MOEGNN_REQUIRE_DATASET(dir, "gnn-benchmark-npz");
  const NodeDataset d = load_gnn_benchmark_npz(dir / "cora.npz");
  EXPECT_EQ(d.name, "cora");
  EXPECT_EQ(d.num_nodes(), 2708);
  EXPECT_EQ(d.num_features(), 1433);
  EXPECT_EQ(count_nonzeros(d.features), 49216);
  EXPECT_EQ(d.num_classes, 7);
  EXPECT_EQ(d.graph.num_edges(), 2 * 5278);  // cora/MANIFEST.md: 5278 distinct undirected pairs
  EXPECT_TRUE(testing::symmetric_without_loops(d.graph));
  EXPECT_EQ(load_gnn_benchmark_npz(dir / "cora.npz", {.as_stored = true}).graph.num_edges(), 5429);
  // No shipped split: 20 / 30 per class (every class has more than 50 nodes), the rest test.
  EXPECT_EQ(d.train.size(), 7 * 20);
  EXPECT_EQ(d.val.size(), 7 * 30);
  EXPECT_EQ(d.test.size(), 2708 - 7 * 50);
}

TEST(GnnBenchmark, CiteSeerEdgeSetEqualsStoredArrays) {
  MOEGNN_REQUIRE_DATASET(dir, "gnn-benchmark-npz");
  const NodeDataset d = load_gnn_benchmark_npz(dir / "citeseer.npz");
  EXPECT_EQ(d.num_nodes(), 3312);
  EXPECT_EQ(d.num_features(), 3703);
  EXPECT_EQ(count_nonzeros(d.features), 105165);
  EXPECT_EQ(d.num_classes, 6);
  EXPECT_EQ(load_gnn_benchmark_npz(dir / "citeseer.npz", {.as_stored = true}).graph.num_edges(),
            4715);
  const auto arrays = io::read_npz(dir / "citeseer.npz");
  const auto indptr = arrays.at("adj_indptr").to_int64();
  const auto indices = arrays.at("adj_indices").to_int64();
  std::set<std::pair<std::int64_t, std::int64_t>> expected;
  for (std::size_t r = 0; r + 1 < indptr.size(); ++r)
    for (auto k = indptr[r]; k < indptr[r + 1]; ++k)
      if (indices[k] != static_cast<std::int64_t>(r))
        expected.insert(
            {std::min<std::int64_t>(r, indices[k]), std::max<std::int64_t>(r, indices[k])});
  std::set<std::pair<std::int64_t, std::int64_t>> got;
  for (Index r = 0; r < d.num_nodes(); ++r)
    for (const graph::NodeId c : d.graph.neighbors(r))
      got.insert({std::min<Index>(r, c), std::max<Index>(r, c)});
  EXPECT_EQ(got, expected);
  EXPECT_EQ(d.graph.num_edges(), 2 * static_cast<Index>(expected.size()));
}

TEST(GnnBenchmark, MissingFileNamesThePath) {
  testing::TempDir tmp;
  EXPECT_THROW_WITH(load_gnn_benchmark_npz(tmp / "amazon_electronics_photo.npz"), IoError,
                    "amazon_electronics_photo.npz");
}

TEST(PerClassSplit, TakesCountsPerClassAndIsSeeded) {
  const std::vector<std::int32_t> labels = {0, 1, 0, 1, 0, 1, 0, 2, 0, 1};  // 5 / 4 / 1
  const NodeSplit s = per_class_split(labels, 3, 2, 1, 7);
  EXPECT_EQ(s.train.size(), 2 + 2 + 1);
  EXPECT_EQ(s.val.size(), 1 + 1 + 0);
  EXPECT_EQ(s.test.size(), 2 + 1 + 0);
  std::map<int, int> train_classes;
  for (const std::int32_t id : s.train.host())
    ++train_classes[labels[static_cast<std::size_t>(id)]];
  EXPECT_EQ(train_classes, (std::map<int, int>{{0, 2}, {1, 2}, {2, 1}}));
  EXPECT_EQ(per_class_split(labels, 3, 2, 1, 7).train.to_vector(), s.train.to_vector());
  bool differs = false;
  for (std::uint64_t seed = 8; seed < 20 && !differs; ++seed)
    differs = per_class_split(labels, 3, 2, 1, seed).train.to_vector() != s.train.to_vector();
  EXPECT_TRUE(differs);
  EXPECT_THROW(per_class_split(labels, 2, 1, 1, 0), InvalidArgument);  // label 2 out of range
}

}  // namespace
}  // namespace moegnn::datasets
