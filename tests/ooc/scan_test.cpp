// SPDX-License-Identifier: Apache-2.0
#include "ooc/scan.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/error.h"
#include "datasets/powerlaw.h"
#include "ooc/feature_file.h"
#include "tests/ooc/ooc_test_util.h"

namespace moegnn::ooc {
namespace {

using testing::TempDir;

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    datasets::write_powerlaw(testing::small_graph(), dir_.path());
    x_ = datasets::powerlaw(testing::small_graph()).features;
    file_ = open_feature_file(dir_ / "features.npy");
  }
  TempDir dir_;
  Tensor x_;
  FeatureFile file_;
};

// Every row once, in order, equal to the table; for budgets that take the one-buffer path (under
// two rows plus their blocks), the two-buffer path with chunks of a few rows, and whole-table
// chunks. 148-byte rows straddle blocks, and the table ends mid-block.
TEST_F(ScanTest, VisitsEveryRowInOrderForAnyChunkSize) {
  const std::size_t rb = file_.row_bytes();
  for (const std::size_t chunk : {rb, 2 * rb + 2 * kDirectAlign - 1, 2 * rb + 2 * kDirectAlign,
                                  std::size_t{3} * kDirectAlign, std::size_t{64} << 10,
                                  std::size_t{16} << 20}) {
    for (const std::size_t request : {kDirectAlign, std::size_t{1} << 20}) {
      DirectFile reader(file_.path);
      auto engine = make_io_engine(IoEngineKind::Auto, 8);
      Index next = 0, chunks = 0;
      scan_rows(file_, reader, *engine, chunk, [&](Index first, Index count, const float* rows) {
        ASSERT_EQ(first, next) << "chunk " << chunk;
        ASSERT_GE(count, 1);
        for (Index r = 0; r < count; ++r)
          for (Index c = 0; c < file_.cols; ++c)
            ASSERT_EQ(rows[r * file_.cols + c], x_.host()(first + r, c))
                << "row " << first + r << " chunk " << chunk << " request " << request;
        next += count;
        ++chunks;
      }, request);
      EXPECT_EQ(next, file_.rows) << "chunk " << chunk;
      EXPECT_GE(chunks, chunk >= file_.file_bytes ? 1 : 2) << "chunk " << chunk;
    }
  }
}

// A visitor that throws stops the reader thread and the exception reaches the caller (no hang,
// no lost error); so does a read that comes back short.
TEST_F(ScanTest, ErrorsFromTheVisitorAndTheDiskPropagate) {
  {
    DirectFile reader(file_.path);
    auto engine = make_io_engine(IoEngineKind::Auto, 8);
    Index visits = 0;
    EXPECT_THROW(scan_rows(file_, reader, *engine, 4 * kDirectAlign,
                           [&](Index, Index, const float*) {
                             if (++visits == 3) throw std::runtime_error("visitor failed");
                           }),
                 std::runtime_error);
    EXPECT_EQ(visits, 3);
  }
  std::filesystem::resize_file(file_.path, file_.file_bytes / 2);  // shrunk after it was opened
  DirectFile reader(file_.path);
  auto engine = make_io_engine(IoEngineKind::Auto, 8);
  Index seen = 0;
  try {
    scan_rows(file_, reader, *engine, 4 * kDirectAlign,
              [&](Index, Index count, const float*) { seen += count; });
    FAIL() << "a short read was not reported";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("features.npy"), std::string::npos) << e.what();
  }
  EXPECT_LT(seen, file_.rows);
}

}  // namespace
}  // namespace moegnn::ooc
