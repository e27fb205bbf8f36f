// SPDX-License-Identifier: Apache-2.0
// Text-table helpers: separators (tab, '|', '::', blanks), typed fields and lists with line/column
// errors, Latin-1, and the real MovieLens and Geom-GCN files when present.
#include <algorithm>

#include <gtest/gtest.h>

#include "datasets/io/text_table.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;
using testing::fixture_bytes;

TEST(TextTable, SplitsOnSeparatorStrings) {
  EXPECT_EQ(split_fields("1::2::", "::"), (std::vector<std::string_view>{"1", "2", ""}));
  EXPECT_EQ(split_fields("a|b||c", "|"), (std::vector<std::string_view>{"a", "b", "", "c"}));
  EXPECT_EQ(split_fields("  7\t 8  9 ", ""), (std::vector<std::string_view>{"7", "8", "9"}));
  EXPECT_EQ(split_fields("", "\t"), (std::vector<std::string_view>{""}));
}

TEST(TextTable, ReadsTabAndDoubleColonRatings) {
  TableOptions colons;
  colons.separator = "::";
  for (const Int64Table& t : {read_int_table(fixture("text_udata.txt")),
                              read_int_table(fixture("text_ml1m.dat"), colons)}) {
    ASSERT_EQ(t.rows, 12);
    ASSERT_EQ(t.cols, 4);
    for (Index r = 0; r < 12; ++r) {
      EXPECT_EQ(t(r, 0), 1 + r % 5);
      EXPECT_EQ(t(r, 1), 1 + (r * 7) % 9);
      EXPECT_EQ(t(r, 3), 881250949 + r);
    }
  }
}

TEST(TextTable, ReadsLatin1PipeSeparatedItems) {
  const std::string text = fixture_bytes("text_uitem.txt");
  TextLines lines(text);
  std::string_view line;
  ASSERT_TRUE(lines.next(line));
  ASSERT_TRUE(lines.next(line));
  const TextFields f(line, "|", "u.item", lines.line_number());
  f.expect_size(7);
  EXPECT_EQ(f.get<std::int32_t>(0), 2);
  EXPECT_EQ(latin1_to_utf8(f[1]), "Les Mis\xc3\xa9rables (1995)");
  EXPECT_EQ(f[2], "");
  EXPECT_FALSE(lines.next(line));
}

TEST(TextTable, ReadsGeomGcnLayout) {
  TableOptions header;
  header.skip_lines = 1;
  const Int64Table edges = read_int_table(fixture("text_edges.txt"), header);
  EXPECT_EQ(edges.values, (std::vector<std::int64_t>{0, 1, 1, 2, 2, 0, 3, 3}));
  const std::string text = fixture_bytes("text_features.txt");
  TextLines lines(text);
  std::string_view line;
  lines.next(line);  // header
  std::vector<std::vector<float>> features;
  std::vector<std::int64_t> labels;
  while (lines.next(line)) {
    const TextFields f(line, "\t", "features.txt", lines.line_number());
    f.expect_size(3);
    features.push_back(f.get_list<float>(1, ','));
    labels.push_back(f.get<std::int64_t>(2));
  }
  EXPECT_EQ(features, (std::vector<std::vector<float>>{{1, 0, 1}, {0, 0, 0}, {0, 1, 1}}));
  EXPECT_EQ(labels, (std::vector<std::int64_t>{2, 0, 4}));
}

TEST(TextTable, ErrorsNameFileLineAndColumn) {
  testing::expect_io_error([] { parse_int_table("1\t2\n3\tx\n", "t.txt"); },
                           "t.txt: line 2, column 2: 'x' is not an int64");
  testing::expect_io_error([] { parse_int_table("1\t2\n3\n", "u.txt"); },
                           "u.txt: line 2, column 2: line has 1 fields vs 2");
  const TextFields f("0\t1,a,0\t2", "\t", "g.txt", 5);
  testing::expect_io_error([&] { f.get_list<int>(1, ','); },
                           "g.txt: line 5, column 2: item 2 'a' is not an int32");
  testing::expect_io_error([&] { f[3]; }, "g.txt: line 5, column 4");
  EXPECT_EQ(TextFields(" +4 ", "\t", "s", 1).get<std::int64_t>(0), 4);
  EXPECT_EQ(TextFields("", "\t", "s", 1).get_list<float>(0, ',').size(), 0u);
  EXPECT_EQ(parse_int_table("1 2\n\n3 4\r\n", "blank.txt", {"", 0, 0}).rows, 2);
}

TEST(TextTableRealData, MovieLens100k) {
  MOEGNN_REQUIRE_DATASET(dir, "ml-100k");
  const Int64Table ratings = read_int_table(dir / "u.data");
  EXPECT_EQ(ratings.rows, 100000);
  EXPECT_EQ(ratings.cols, 4);
  const std::vector<std::int64_t> users = ratings.column(0);
  EXPECT_EQ(*std::max_element(users.begin(), users.end()), 943);
  const std::string items = read_file(dir / "u.item");
  TextLines lines(items);
  std::string_view line;
  Index count = 0;
  bool found = false;
  while (lines.next(line)) {
    const TextFields f(line, "|", "u.item", lines.line_number());
    f.expect_size(24);
    found = found || latin1_to_utf8(f[1]).find("Mis\xc3\xa9rables") != std::string::npos;
    ++count;
  }
  EXPECT_EQ(count, 1682);
  EXPECT_TRUE(found);
}

TEST(TextTableRealData, GeomGcnTexas) {
  MOEGNN_REQUIRE_DATASET(dir, "texas");
  TableOptions header;
  header.skip_lines = 1;
  EXPECT_EQ(read_int_table(dir / "out1_graph_edges.txt", header).rows, 325);
  const std::string text = read_file(dir / "out1_node_feature_label.txt");
  TextLines lines(text);
  std::string_view line;
  lines.next(line);
  Index nodes = 0;
  while (lines.next(line)) {
    const TextFields f(line, "\t", "texas", lines.line_number());
    EXPECT_EQ(f.get_list<float>(1, ',').size(), 1703u);
    const auto label = f.get<std::int64_t>(2);
    EXPECT_TRUE(label >= 0 && label <= 4);
    ++nodes;
  }
  EXPECT_EQ(nodes, 183);
}

TEST(TextTableRealData, OgblDdiIdMapping) {
  MOEGNN_REQUIRE_DATASET(dir, "ogbl-ddi");
  const std::string text = read_maybe_gzip(dir / "mapping" / "nodeidx2drugid.csv.gz");
  TextLines lines(text);
  std::string_view line;
  ASSERT_TRUE(lines.next(line));
  EXPECT_EQ(line, "node idx,drug id");
  Index rows = 0;
  while (lines.next(line)) {
    const TextFields f(line, ",", "nodeidx2drugid.csv.gz", lines.line_number());
    f.expect_size(2);
    EXPECT_EQ(f.get<std::int64_t>(0), rows);
    EXPECT_TRUE(f[1].starts_with("DB")) << f[1];
    ++rows;
  }
  EXPECT_EQ(rows, 4267);
}

}  // namespace
}  // namespace moegnn::datasets::io
