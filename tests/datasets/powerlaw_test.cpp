// SPDX-License-Identifier: Apache-2.0
// Power-law generator: determinism, a heavy-tailed degree distribution, class signal in the
// features, the streamed directory equal to the in-memory dataset for any chunk size
// (byte-identical files), the chunk bound, round trips, and damaged or incomplete directories and
// bad options rejected with clear errors.
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/powerlaw.h"
#include "tests/datasets/dataset_test_util.h"

namespace moegnn::datasets {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;
using testing::flip_byte;

const std::vector<std::string> kFiles = {"graph.bin", "features.npy", "labels.npy", "split.npy",
                                         "manifest.npy"};

PowerlawOptions small_options(std::uint64_t seed = 3) {
  PowerlawOptions o;
  o.num_nodes = 2000;
  o.avg_degree = 8.0;
  o.num_classes = 4;
  o.num_features = 16;
  o.seed = seed;
  return o;
}

std::vector<float> values(const Tensor& t) { return {t.data(), t.data() + t.size()}; }

void expect_same(const NodeDataset& a, const NodeDataset& b) {
  EXPECT_EQ(a.graph.row_ptr().to_vector(), b.graph.row_ptr().to_vector());
  EXPECT_EQ(a.graph.col_idx().to_vector(), b.graph.col_idx().to_vector());
  ASSERT_TRUE(a.features.same_shape(b.features));
  EXPECT_EQ(std::memcmp(a.features.data(), b.features.data(),
                        static_cast<std::size_t>(a.features.size()) * sizeof(float)),
            0);
  EXPECT_EQ(a.labels.to_vector(), b.labels.to_vector());
  EXPECT_EQ(a.train.to_vector(), b.train.to_vector());
  EXPECT_EQ(a.val.to_vector(), b.val.to_vector());
  EXPECT_EQ(a.test.to_vector(), b.test.to_vector());
  EXPECT_EQ(a.num_classes, b.num_classes);
  EXPECT_EQ(a.name, b.name);
}

TEST(Powerlaw, SameSeedSameDatasetOtherSeedAnother) {
  const NodeDataset a = powerlaw(small_options(3));
  set_num_threads(1);  // and on any thread count
  const NodeDataset serial = powerlaw(small_options(3));
  set_num_threads(0);
  expect_same(a, serial);
  const NodeDataset b = powerlaw(small_options(4));
  EXPECT_NE(a.graph.col_idx().to_vector(), b.graph.col_idx().to_vector());
  EXPECT_NE(values(a.features), values(b.features));
  EXPECT_NE(a.labels.to_vector(), b.labels.to_vector());
}

TEST(Powerlaw, GraphIsSymmetricAndHeavyTailed) {
  const NodeDataset d = powerlaw(small_options());
  check(d);
  EXPECT_TRUE(testing::symmetric_without_loops(d.graph));
  EXPECT_EQ(d.num_nodes(), 2000);
  EXPECT_EQ(d.num_features(), 16);
  Index max_degree = 0;
  for (Index v = 0; v < d.num_nodes(); ++v) max_degree = std::max(max_degree, d.graph.degree(v));
  const double mean = static_cast<double>(d.graph.num_edges()) / static_cast<double>(d.num_nodes());
  // About 8 drawn per node less merged duplicates; an Erdős–Rényi graph would have max ~ 2.5 ×
  // mean.
  EXPECT_GT(mean, 4.0);
  EXPECT_GT(static_cast<double>(max_degree), 10.0 * mean)
      << "max " << max_degree << " mean " << mean;
}

TEST(Powerlaw, FeaturesAreClassMeansPlusUnitNoise) {
  PowerlawOptions o = small_options();
  o.feature_signal = 3.0;
  const NodeDataset d = powerlaw(o);
  const auto x = d.features.host();
  Matrix sum = Matrix::Zero(o.num_classes, o.num_features);
  std::vector<Index> count(static_cast<std::size_t>(o.num_classes), 0);
  for (Index i = 0; i < d.num_nodes(); ++i) {
    sum.row(d.labels[i]) += x.row(i);
    ++count[static_cast<std::size_t>(d.labels[i])];
  }
  double residual = 0.0;
  for (Index c = 0; c < o.num_classes; ++c) {
    ASSERT_GT(count[static_cast<std::size_t>(c)], 300);  // uniform labels: about 500 each
    sum.row(c) /= static_cast<float>(count[static_cast<std::size_t>(c)]);
    EXPECT_NEAR(sum.row(c).norm(), 3.0, 0.4);  // the mean's norm; noise adds about 0.18
  }
  for (Index i = 0; i < d.num_nodes(); ++i)
    residual += (x.row(i) - sum.row(d.labels[i])).squaredNorm();
  EXPECT_NEAR(residual / static_cast<double>(d.num_nodes() * o.num_features), 1.0, 0.1);
}

TEST(Powerlaw, StreamedDirectoryEqualsInMemoryDataset) {
  TempDir tmp;
  PowerlawOptions o = small_options();
  o.chunk_rows = 7;  // does not divide 2000: a short last chunk
  write_powerlaw(o, tmp.path());
  expect_same(load_powerlaw(tmp.path()), powerlaw(o));
  // Only the five files: every temporary was renamed into place.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(tmp.path())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  std::vector<std::string> expected = kFiles;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);
}

TEST(Powerlaw, FilesAreByteIdenticalForAnyChunkSize) {
  TempDir tmp;
  PowerlawOptions o = small_options();
  o.chunk_rows = 7;
  write_powerlaw(o, tmp / "a");
  o.chunk_rows = 0;    // default: all 2000 rows in one chunk
  set_num_threads(1);  // and one thread
  write_powerlaw(o, tmp / "b");
  set_num_threads(0);
  for (const std::string& name : kFiles) {
    const std::string a = read_text(tmp / "a" / name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_EQ(a, read_text(tmp / "b" / name)) << name;
  }
  // The feature data starts on a 64-byte boundary, so a mapping of the file can be adopted.
  EXPECT_EQ((read_text(tmp / "a" / "features.npy").size() - 2000 * 16 * sizeof(float)) % 64, 0u);
}

TEST(Powerlaw, ChunkRowsBoundTheFeatureBuffer) {
  TempDir tmp;
  PowerlawOptions o = small_options();
  o.chunk_rows = 7;
  const PowerlawWriteStats s = write_powerlaw(o, tmp / "a");
  EXPECT_EQ(s.chunk_rows, 7);
  EXPECT_EQ(s.num_chunks, (2000 + 6) / 7);
  EXPECT_EQ(s.feature_buffer_bytes, 7u * 16u * sizeof(float));
  EXPECT_EQ(s.num_edges, load_powerlaw(tmp / "a").graph.num_edges());
  o.chunk_rows = 5000;  // more than num_nodes: one chunk of num_nodes rows
  EXPECT_EQ(write_powerlaw(o, tmp / "b").feature_buffer_bytes, 2000u * 16u * sizeof(float));
  o.chunk_rows = 0;
  o.num_features = 1 << 20;  // 4 MiB rows: the 64 MiB default takes 16 of them
  EXPECT_EQ(powerlaw_chunk_rows(o), 16);
  o.num_features = 1 << 28;  // rows past the default: still one row per chunk
  EXPECT_EQ(powerlaw_chunk_rows(o), 1);
}

TEST(Powerlaw, RewritingADirectoryReplacesIt) {
  TempDir tmp;
  write_powerlaw(small_options(3), tmp.path());
  const NodeDataset old = load_powerlaw(tmp.path());
  write_powerlaw(small_options(4), tmp.path());
  expect_same(load_powerlaw(tmp.path()), powerlaw(small_options(4)));
  // Files are replaced by rename, so a dataset mapped before keeps its data.
  expect_same(old, powerlaw(small_options(3)));
}

TEST(Powerlaw, ReadsFeaturesRewrittenByAnotherNpyWriter) {
  TempDir tmp;
  PowerlawOptions o = small_options();
  o.num_nodes = 50;
  o.num_features = 3;
  write_powerlaw(o, tmp.path());
  // Copied out: the loaded features view the mapped file, which is rewritten in place below.
  const std::vector<float> expected = values(load_powerlaw(tmp.path()).features);
  // The same values as float64 with a 16-byte-aligned header (what older NumPy wrote).
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (50, 3), }";
  header.append((16 - (10 + header.size() + 1) % 16) % 16, ' ').push_back('\n');
  std::string file("\x93NUMPY\x01\x00", 8);
  file.push_back(static_cast<char>(header.size()));
  file.push_back('\0');
  file += header;
  for (const float v : expected) {
    const double w = v;
    file.append(reinterpret_cast<const char*>(&w), sizeof(w));
  }
  testing::write_text(tmp / "features.npy", file);
  EXPECT_THROW_WITH(load_powerlaw(tmp.path()), IoError, "checksum mismatch");
  EXPECT_EQ(values(load_powerlaw(tmp.path(), /*verify_checksum=*/false).features), expected);
}

TEST(Powerlaw, RejectsTruncatedOrCorruptFeatures) {
  TempDir tmp;
  write_powerlaw(small_options(), tmp.path());
  const fs::path features = tmp / "features.npy";
  const auto size = fs::file_size(features);
  flip_byte(features, size - 5);
  EXPECT_THROW_WITH(load_powerlaw(tmp.path()), IoError, "features.npy: checksum mismatch");
  flip_byte(features, size - 5);
  EXPECT_NO_THROW(load_powerlaw(tmp.path()));
  fs::resize_file(features, size - 4);
  EXPECT_THROW_WITH(load_powerlaw(tmp.path(), false), IoError, "(truncated or padded)");
  fs::resize_file(features, 5);
  EXPECT_THROW_WITH(load_powerlaw(tmp.path(), false), IoError, "features.npy: file is 5 bytes");
}

TEST(Powerlaw, RejectsCorruptLabelsSplitAndGraph) {
  TempDir tmp;
  write_powerlaw(small_options(), tmp.path());
  const auto header_bytes = read_text(tmp / "labels.npy").size() - 2000 * 4;
  // A label out of range: the checksum catches it, and without the checksum the dataset check.
  std::fstream f(tmp / "labels.npy", std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(header_bytes));
  const std::int32_t bad = 9;
  f.write(reinterpret_cast<const char*>(&bad), sizeof(bad));
  f.close();
  EXPECT_THROW_WITH(load_powerlaw(tmp.path()), IoError, "labels.npy: checksum mismatch");
  EXPECT_THROW_WITH(load_powerlaw(tmp.path(), false), IoError, "invalid dataset");
  write_powerlaw(small_options(), tmp.path());
  flip_byte(tmp / "split.npy", fs::file_size(tmp / "split.npy") - 1);
  EXPECT_THROW_WITH(load_powerlaw(tmp.path(), false), IoError, "split.npy: node 1999 is in part");
  write_powerlaw(small_options(), tmp.path());
  flip_byte(tmp / "graph.bin", fs::file_size(tmp / "graph.bin") - 1);
  EXPECT_THROW_WITH(load_powerlaw(tmp.path()), IoError, "graph.bin");
}

TEST(Powerlaw, RejectsIncompleteOrMixedDirectories) {
  TempDir tmp;
  write_powerlaw(small_options(3), tmp / "a");
  write_powerlaw(small_options(4), tmp / "b");
  // A graph from another run: its size disagrees with the manifest.
  fs::copy_file(tmp / "b" / "graph.bin", tmp / "a" / "graph.bin",
                fs::copy_options::overwrite_existing);
  EXPECT_THROW_WITH(load_powerlaw(tmp / "a"), IoError, "in the manifest");
  fs::remove(tmp / "b" / "manifest.npy");
  EXPECT_THROW_WITH(load_powerlaw(tmp / "b"), IoError, "manifest.npy: missing");
  EXPECT_THROW_WITH(load_powerlaw(tmp / "missing"), IoError, "is incomplete");
}

TEST(Powerlaw, RejectsBadOptionsNamingThem) {
  const std::vector<std::pair<std::function<void(PowerlawOptions&)>, std::string>> cases = {
      {[](PowerlawOptions& o) { o.num_nodes = 1; }, "num_nodes is 1"},
      {[](PowerlawOptions& o) { o.num_nodes = Index{1} << 31; }, "num_nodes is"},
      {[](PowerlawOptions& o) { o.avg_degree = -1.0; }, "avg_degree is -1"},
      {[](PowerlawOptions& o) { o.avg_degree = 5000.0; }, "avg_degree is 5000"},
      {[](PowerlawOptions& o) { o.a = 0.9; }, "R-MAT probabilities"},
      {[](PowerlawOptions& o) { o.c = -0.1; }, "R-MAT probabilities"},
      {[](PowerlawOptions& o) { o.num_classes = 0; }, "num_classes is 0"},
      {[](PowerlawOptions& o) { o.num_features = 0; }, "num_features is 0"},
      {[](PowerlawOptions& o) { o.num_features = Index{1} << 55; }, "num_nodes × num_features"},
      {[](PowerlawOptions& o) { o.feature_signal = -1.0; }, "feature_signal is -1"},
      {[](PowerlawOptions& o) { o.chunk_rows = -2; }, "chunk_rows is -2"},
      {[](PowerlawOptions& o) { o.train_fraction = 0.9; }, "train_fraction, val_fraction"},
  };
  TempDir tmp;
  for (const auto& [mutate, needle] : cases) {
    PowerlawOptions o = small_options();
    mutate(o);
    EXPECT_THROW_WITH(powerlaw(o), InvalidArgument, "powerlaw: " + needle);
    EXPECT_THROW_WITH(write_powerlaw(o, tmp.path()), InvalidArgument, needle);
  }
  EXPECT_FALSE(fs::exists(tmp / "manifest.npy"));  // nothing written for bad options
}

}  // namespace
}  // namespace moegnn::datasets
