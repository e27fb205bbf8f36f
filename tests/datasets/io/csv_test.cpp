// SPDX-License-Identifier: Apache-2.0
// CSV reader: plain, gzip and multi-member gzip files, headers and CRLF, streaming across small
// blocks, parallel parsing equal to a serial reference on any thread count, field errors with line
// and column, truncated gzip, and the real ogbl-ddi CSVs when present.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "core/parallel.h"
#include "datasets/io/csv.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;
using testing::fixture_bytes;

void expect_edges(const Int64Table& t) {
  ASSERT_EQ(t.rows, 50);
  ASSERT_EQ(t.cols, 2);
  for (Index r = 0; r < 50; ++r) {
    EXPECT_EQ(t(r, 0), (r * 7) % 13);
    EXPECT_EQ(t(r, 1), (r * 3) % 17);
  }
}

TEST(Csv, ReadsPlainGzipAndMultiMemberFiles) {
  expect_edges(read_csv_int64(fixture("csv_edges.csv")));
  expect_edges(read_csv_int64(fixture("csv_edges.csv.gz")));
  expect_edges(read_csv_int64(fixture("csv_edges_two_members.csv.gz")));
  expect_edges(parse_csv_int64(fixture_bytes("csv_edges.csv"), "mem"));
  EXPECT_EQ(read_csv_int64(fixture("csv_edges.csv")).column(1)[3], 9);
}

TEST(Csv, StreamsAcrossTinyBlocks) {
  CsvOptions options;
  options.block_bytes = 7;  // shorter than most lines: the carry-over path and buffer growth
  expect_edges(read_csv_int64(fixture("csv_edges.csv.gz"), options));
}

TEST(Csv, ReadsFloatsWithHeaderAndCrlf) {
  CsvOptions options;
  options.header = true;
  const Tensor t = read_csv_float(fixture("csv_float_header.csv"), options);
  ASSERT_EQ(t.rows(), 6);
  ASSERT_EQ(t.cols(), 3);
  for (Index k = 0; k < 18; ++k) EXPECT_EQ(t.data()[k], static_cast<float>(testing::float_at(k)));
}

// A serial reference for random CSV text, compared with the parallel reader at 1 and 2 threads.
TEST(Csv, ParallelParseMatchesSerialOnAnyThreadCount) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> id(-1000000000000, 1000000000000);
  std::string text;
  std::vector<std::int64_t> expected;
  for (int r = 0; r < 60000; ++r) {  // ~1.5 MB: several 512 KiB pieces
    for (int c = 0; c < 3; ++c) {
      expected.push_back(id(rng));
      text += std::to_string(expected.back());
      text += c == 2 ? "\n" : ",";
    }
  }
  for (const int threads : {1, 2}) {
    set_num_threads(threads);
    const Int64Table t = parse_csv_int64(text, "rand.csv");
    EXPECT_EQ(t.rows, 60000);
    EXPECT_EQ(t.values, expected);
  }
  set_num_threads(0);
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
  testing::expect_io_error([] { parse_csv_int64("1,2\n3,x\n", "a.csv"); },
                           "a.csv: line 2, column 2: 'x' is not an int64");
  testing::expect_io_error([] { parse_csv_int64("1,2\n3\n", "b.csv"); },
                           "b.csv: line 2, column 1: line has 1 fields vs 2");
  testing::expect_io_error([] { parse_csv_int64("1,2\n3,4,5\n", "c.csv"); },
                           "c.csv: line 2, column 3: line has more than 2");
  testing::expect_io_error([] { parse_csv_int64("1,2\n\n3,4\n", "d.csv"); },
                           "d.csv: line 2, column 1: empty field");
  testing::expect_io_error([] { parse_csv_int64("99999999999999999999\n", "e.csv"); },
                           "out of range for an int64");
  testing::expect_io_error([] { parse_csv_float("1e99\n", "f.csv"); },
                           "out of range for a float32");
  testing::expect_io_error([] { parse_csv_int64("1 ,2\n", "g.csv"); }, "unexpected text ' ,2'");
  CsvOptions header;
  header.header = true;
  testing::expect_io_error([&] { parse_csv_int64("a,b\n1,2\n1,y\n", "h.csv", header); },
                           "h.csv: line 3, column 2");
  // Line numbers count across pieces and blocks.
  std::string many;
  for (int r = 0; r < 200000; ++r) many += "1,2\n";
  many += "1,z\n";
  testing::expect_io_error([&] { parse_csv_int64(many, "i.csv"); }, "i.csv: line 200001, column 2");
}

TEST(Csv, AcceptsAFinalLineWithoutNewline) {
  const Int64Table t = parse_csv_int64("1,2\n3,4", "n.csv");
  EXPECT_EQ(t.values, (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(parse_csv_int64("", "empty.csv").rows, 0);
}

TEST(Csv, TruncatedOrCorruptGzipThrows) {
  const std::string gz = fixture_bytes("csv_edges.csv.gz");
  const std::string path =
      (std::filesystem::temp_directory_path() / "moegnn_io_cut.csv.gz").string();
  for (const std::size_t n : {std::size_t{12}, gz.size() / 2, gz.size() - 4, gz.size() - 1}) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(gz.data(), 1, n, f);
    std::fclose(f);
    testing::expect_io_error([&] { read_csv_int64(path); }, path);
  }
  std::string flipped = gz;
  flipped[gz.size() - 6] ^= 0x10;  // CRC-32 in the trailer
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(flipped.data(), 1, flipped.size(), f);
  std::fclose(f);
  testing::expect_io_error([&] { read_csv_int64(path); }, path);
  std::remove(path.c_str());
  testing::expect_io_error([] { read_csv_int64("/nonexistent/x.csv"); }, "cannot open");
}

TEST(Csv, EveryGzipTruncationThrowsInMemory) {
  testing::expect_prefixes_fail(
      fixture_bytes("csv_edges.csv.gz"), "cut.gz",
      [](const std::string& b) { parse_csv_int64(gunzip(b, "cut.gz"), "cut.gz"); });
}

TEST(CsvRealData, OgblDdiEdges) {
  MOEGNN_REQUIRE_DATASET(dir, "ogbl-ddi");
  const Int64Table edges = read_csv_int64(dir / "raw" / "edge.csv.gz");
  EXPECT_EQ(edges.rows, 1067911);
  EXPECT_EQ(edges.cols, 2);
  const auto [lo, hi] = std::minmax_element(edges.values.begin(), edges.values.end());
  EXPECT_EQ(*lo, 0);
  EXPECT_EQ(*hi, 4266);
  EXPECT_EQ(read_csv_int64(dir / "raw" / "num-node-list.csv.gz").values,
            (std::vector<std::int64_t>{4267}));
  EXPECT_EQ(read_csv_int64(dir / "raw" / "num-edge-list.csv.gz").values,
            (std::vector<std::int64_t>{1067911}));
}

}  // namespace
}  // namespace moegnn::datasets::io
