// SPDX-License-Identifier: Apache-2.0
// LINKX loaders on small files in the reference formats (tests/data/make_linkx_fixtures.py): the
// features, labels and edges must equal what the reference Python loaders compute from the same
// files (tests/data/linkx/expected/), splits must load as published, and malformed split files,
// shapes and truncated files must throw IoError naming the file.
#include <algorithm>
#include <set>
#include <utility>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/io/npy.h"
#include "datasets/linkx.h"
#include "datasets/registry.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/datasets/io/io_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

std::filesystem::path fixtures() { return support::test_data_dir() / "linkx"; }
std::filesystem::path expected(const std::string& name) { return fixtures() / "expected" / name; }
std::filesystem::path splits(const std::string& name) {
  return fixtures() / "splits" / (name + "-splits.npy");
}

std::set<std::pair<std::int64_t, std::int64_t>> edge_set(const graph::Csr& g) {
  std::set<std::pair<std::int64_t, std::int64_t>> out;
  for (Index r = 0; r < g.num_rows(); ++r)
    for (const graph::NodeId c : g.neighbors(r)) out.insert({r, c});
  return out;
}

// Features equal to the reference's (float32) within `tolerance`.
void expect_features(const Tensor& got, const std::string& file, float tolerance) {
  const io::NpyArray want = io::read_npy(expected(file));
  ASSERT_EQ(got.rows(), want.rows());
  ASSERT_EQ(got.cols(), want.cols());
  const Tensor w = want.to_tensor();
  for (Index k = 0; k < got.rows() * got.cols(); ++k)
    EXPECT_NEAR(got.data()[k], w.data()[k], tolerance) << "element " << k;
}

// Labels equal to the reference's, its -1 read as unlabeled (label 0).
void expect_labels(const LinkxDataset& d, const std::string& file) {
  const std::vector<std::int64_t> want = io::read_npy(expected(file)).to_int64();
  ASSERT_EQ(d.data.labels.size(), static_cast<Index>(want.size()));
  std::vector<std::int32_t> missing;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == -1) missing.push_back(static_cast<std::int32_t>(i));
    EXPECT_EQ(d.data.labels[static_cast<Index>(i)], want[i] == -1 ? 0 : want[i]) << i;
  }
  EXPECT_EQ(d.unlabeled.to_vector(), missing);
}

void expect_linkx_splits(const LinkxDataset& d, std::size_t count) {
  ASSERT_EQ(d.data.splits.size(), count);
  const std::vector<std::int32_t> missing = d.unlabeled.to_vector();
  const Index labeled = d.data.num_nodes() - static_cast<Index>(missing.size());
  for (const NodeSplit& s : d.data.splits) {
    // rand_train_test_idx: int(0.5 n) train, int(0.25 n) valid, the rest test (labeled only).
    EXPECT_EQ(s.train.size(), labeled / 2);
    EXPECT_EQ(s.val.size(), labeled / 4);
    EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), labeled);
    const std::vector<std::int32_t> train = s.train.to_vector();
    EXPECT_TRUE(std::is_sorted(train.begin(), train.end()));
  }
  EXPECT_EQ(d.data.train.to_vector(), d.data.splits[0].train.to_vector());
}

TEST(LinkxFb100, MatchesTheReferenceLoader) {
  for (const char* school : {"Tiny", "TinyScipy"}) {  // MATLAB's layout and savemat's
    SCOPED_TRACE(school);
    const std::string name = std::string("fb100-") + school;
    const LinkxDataset d = load_fb100(fixtures() / "facebook100" / (std::string(school) + ".mat"),
                                      splits(name), {.as_published = true});
    EXPECT_EQ(d.data.name, name);
    EXPECT_EQ(d.data.num_nodes(), 12);
    EXPECT_EQ(d.data.num_classes, 2);
    expect_features(d.data.features, "fb100-Tiny-features.npy", 0.0f);
    expect_labels(d, "fb100-Tiny-labels.npy");
    // Edges: A.nonzero() as (row, col) pairs.
    const std::vector<std::int64_t> e = io::read_npy(expected("fb100-Tiny-edges.npy")).to_int64();
    std::set<std::pair<std::int64_t, std::int64_t>> want;
    const std::size_t m = e.size() / 2;
    for (std::size_t k = 0; k < m; ++k) want.insert({e[k], e[m + k]});
    EXPECT_EQ(edge_set(d.data.graph), want);
    expect_linkx_splits(d, 3);
  }
}

TEST(LinkxFb100, BinarizesColumnsAsLabelBinarize) {
  // Column widths: status has 3 values (3 columns), major several, minor 2 values (1 column),
  // dorm 1 value (1 zero column), year several, high school 2 values (1 column).
  const LinkxDataset d = load_fb100(fixtures() / "facebook100" / "Tiny.mat", splits("fb100-Tiny"));
  const Tensor x = d.data.features;
  for (Index i = 0; i < x.rows(); ++i)
    EXPECT_EQ(x.host()(i, 0) + x.host()(i, 1) + x.host()(i, 2), 1);
  EXPECT_TRUE(testing::symmetric_without_loops(d.data.graph));  // the default convention
}

TEST(LinkxTwitchGamer, MatchesTheReferenceLoader) {
  const LinkxDataset d = load_twitch_gamer(fixtures(), splits("twitch-gamer"));
  EXPECT_EQ(d.data.num_nodes(), 10);
  EXPECT_EQ(d.data.num_features(), 7);
  EXPECT_EQ(d.data.num_classes, 2);
  expect_features(d.data.features, "twitch-gamer-features.npy", 2e-6f);
  expect_labels(d, "twitch-gamer-labels.npy");
  EXPECT_EQ(d.data.graph.num_edges(), 22);  // 11 undirected edges
  expect_linkx_splits(d, 2);
  const LinkxDataset raw =
      load_twitch_gamer(fixtures(), splits("twitch-gamer"), {.normalize_features = false});
  EXPECT_EQ(raw.data.features.host()(0, 2), 20160216.0f);  // created_at as YYYYMMDD
  EXPECT_EQ(raw.data.features.host()(3, 5), 2.0f);         // FR: the third language seen
}

TEST(LinkxTwitchGamer, AcceptsSnapFileNamesAndPlacesNodesById) {
  TempDir dir;
  const std::string feat = testing::read_text(fixtures() / "twitch-gamer_feat.csv");
  // Swap the first two data lines: rows are placed by numeric_id, not by line.
  const std::size_t a = feat.find('\n') + 1;
  const std::size_t b = feat.find('\n', a) + 1;
  const std::size_t c = feat.find('\n', b) + 1;
  const std::string swapped =
      feat.substr(0, a) + feat.substr(b, c - b) + feat.substr(a, b - a) + feat.substr(c);
  testing::write_text(dir / "large_twitch_features.csv", swapped);
  testing::write_text(dir / "large_twitch_edges.csv",
                      testing::read_text(fixtures() / "twitch-gamer_edges.csv"));
  const LinkxDataset d = load_twitch_gamer(dir.path(), splits("twitch-gamer"));
  const LinkxDataset ref = load_twitch_gamer(fixtures(), splits("twitch-gamer"));
  EXPECT_EQ(d.data.labels.to_vector(), ref.data.labels.to_vector());
  EXPECT_EQ(edge_set(d.data.graph), edge_set(ref.data.graph));
  // Language codes follow first appearance in the file, which the swap changed (EN <-> DE).
  EXPECT_NE(d.data.features.host()(0, 5), ref.data.features.host()(0, 5));
  EXPECT_EQ(d.data.features.host()(0, 0), ref.data.features.host()(0, 0));
}

TEST(LinkxTwitchGamer, RejectsBadFiles) {
  TempDir dir;
  EXPECT_THROW_WITH(load_twitch_gamer(dir.path(), splits("twitch-gamer")), IoError,
                    "large_twitch_features.csv");
  testing::write_text(dir / "twitch-gamer_feat.csv", "views,mature\n1,0\n");
  testing::write_text(dir / "twitch-gamer_edges.csv", "numeric_id_1,numeric_id_2\n0,0\n");
  EXPECT_THROW_WITH(load_twitch_gamer(dir.path(), {}, {.require_splits = false}), IoError,
                    "vs columns numeric_id and mature");
  testing::write_text(dir / "twitch-gamer_feat.csv", "views,mature,numeric_id\n1,0,0\n2,1,0\n");
  EXPECT_THROW_WITH(load_twitch_gamer(dir.path(), {}, {.require_splits = false}), IoError,
                    "appears twice");
  testing::write_text(dir / "twitch-gamer_feat.csv", "views,mature,numeric_id\n1,0,0\nx,1,1\n");
  EXPECT_THROW_WITH(load_twitch_gamer(dir.path(), {}, {.require_splits = false}), IoError,
                    "line 3");
  testing::write_text(dir / "twitch-gamer_feat.csv", "views,mature,numeric_id\n1,0,0\n2,1,1\n");
  testing::write_text(dir / "twitch-gamer_edges.csv", "numeric_id_1,numeric_id_2\n0,5\n");
  EXPECT_THROW_WITH(load_twitch_gamer(dir.path(), {}, {.require_splits = false}), IoError,
                    "twitch-gamer_edges.csv");
}

TEST(LinkxMat, LoadsPokecAndGeniusLayouts) {
  const LinkxDataset pokec = load_linkx(fixtures(), "pokec", {.as_published = true});
  EXPECT_EQ(pokec.data.name, "pokec");
  EXPECT_EQ(pokec.data.num_nodes(), 9);
  EXPECT_EQ(pokec.unlabeled.to_vector(), (std::vector<std::int32_t>{2, 7}));
  EXPECT_EQ(pokec.data.num_features(), 4);
  EXPECT_EQ(pokec.data.features.data()[5], 0.25f);  // k * 0.25 - 1 at k = 5
  EXPECT_EQ(pokec.data.graph.num_edges(), 10);      // as stored, the self-loop (3, 3) kept
  expect_linkx_splits(pokec, 2);
  const LinkxDataset undirected = load_linkx(fixtures(), "pokec");
  EXPECT_TRUE(testing::symmetric_without_loops(undirected.data.graph));
  EXPECT_EQ(undirected.data.graph.num_edges(), 18);
  const LinkxDataset genius = load_linkx(fixtures(), "genius");  // sparse node_feat, N × 1 label
  EXPECT_EQ(genius.data.labels.to_vector(), pokec.data.labels.to_vector());
  for (Index k = 0; k < 36; ++k)  // formula × mask, densified
    EXPECT_EQ(genius.data.features.data()[k], k % 3 == 0 ? 0.25f * k - 1.0f : 0.0f) << k;
}

TEST(LinkxSplits, RejectsMalformedSplitFiles) {
  const std::filesystem::path tiny = fixtures() / "facebook100" / "Tiny.mat";
  EXPECT_THROW_WITH(read_linkx_splits(splits("bad-range"), 12), IoError, "node id 12 vs [0, 12)");
  EXPECT_THROW_WITH(read_linkx_splits(splits("bad-overlap"), 12), IoError, "already in train");
  EXPECT_THROW_WITH(read_linkx_splits(splits("bad-key"), 12), IoError, "valid");
  EXPECT_THROW_WITH(read_linkx_splits(splits("bad-value"), 12), IoError,
                    "vs a list or an integer array");
  EXPECT_THROW_WITH(read_linkx_splits(splits("bad-numeric"), 12), IoError, "vs '|O'");
  EXPECT_THROW_WITH(load_fb100(tiny, splits("bad-unlabeled")), IoError, "label is missing");
  EXPECT_THROW_WITH(load_fb100(tiny, splits("absent")), IoError, "no such split file");
  EXPECT_TRUE(load_fb100(tiny, splits("absent"), {.require_splits = false}).data.splits.empty());
}

TEST(LinkxSplits, TruncatedOrFlippedSplitFilesThrowIoError) {
  const std::string bytes = testing::read_text(splits("fb100-Tiny"));
  EXPECT_EQ(io::parse_npy_object(bytes, "s.npy").size(), 3u);
  const auto parse = [](const std::string& b) { io::parse_npy_object(b, "s.npy"); };
  io::testing::expect_prefixes_fail(bytes, "s.npy", parse);
  io::testing::expect_flips_safe(bytes, "s.npy", parse);
}

TEST(LinkxFb100, RejectsMismatchedAndTruncatedFiles) {
  EXPECT_THROW_WITH(
      load_fb100(fixtures() / "facebook100" / "BadRows.mat", {}, {.require_splits = false}),
      IoError, "local_info is (11, 7)");
  EXPECT_THROW_WITH(load_fb100(fixtures() / "pokec.mat", {}, {.require_splits = false}), IoError,
                    "no variable 'A'");
  TempDir dir;
  const std::string bytes = testing::read_text(fixtures() / "facebook100" / "Tiny.mat");
  for (std::size_t n = 0; n < bytes.size(); n += 23) {
    testing::write_text(dir / "Cut.mat", bytes.substr(0, n));
    EXPECT_THROW_WITH(load_fb100(dir / "Cut.mat", {}, {.require_splits = false}), IoError,
                      "Cut.mat");
  }
}

TEST(LinkxRegistry, LoadsPenn94FromTheLinkxLayoutAndExplainsMissingFiles) {
  TempDir dir;
  EXPECT_THROW_WITH(load_node_dataset("penn94", dir.path(), {.download = false}), IoError,
                    "Penn94.mat");
  EXPECT_THROW_WITH(load_node_dataset("penn94", dir.path()), IoError, "by hand");
  std::filesystem::create_directories(dir / "linkx/facebook100");
  std::filesystem::create_directories(dir / "linkx/splits");
  std::filesystem::copy_file(fixtures() / "facebook100" / "Tiny.mat",
                             dir / "linkx/facebook100/Penn94.mat");
  std::filesystem::copy_file(splits("fb100-Tiny"), dir / "linkx/splits/fb100-Penn94-splits.npy");
  const NodeDataset d = load_node_dataset("penn94", dir.path());
  EXPECT_EQ(d.name, "penn94");
  EXPECT_EQ(d.num_nodes(), 12);
  EXPECT_EQ(d.splits.size(), 3u);
  EXPECT_THROW(load_linkx(dir / "linkx", "cora"), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::datasets
