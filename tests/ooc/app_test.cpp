// SPDX-License-Identifier: Apache-2.0
// moegnn-train-ooc's code path in-process: prepare, train (pack, memory, online), info.
#include "apps/train_ooc/run.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "tests/ooc/ooc_test_util.h"

namespace moegnn::apps::ooc_app {
namespace {

TEST(TrainOocApp, PrepareTrainInfoOnAGeneratedGraph) {
  ooc::testing::TempDir dir;
  std::ostringstream out;
  ensure_demo_data(dir / "data", out);
  PrepareArgs p;
  p.in.data = dir / "data";
  p.pack = dir / "pack";
  p.batch_size = 256;
  p.max_batches = 4;
  p.cache_fraction = 0.1;
  const nlohmann::json prepared = prepare(p, out);
  EXPECT_EQ(prepared["batches"], 4);
  EXPECT_GT(prepared["cold_rows"].get<double>(), 0);

  TrainArgs t;
  t.in = p.in;
  t.pack = p.pack;
  t.epochs = 2;
  t.eval_nodes = 300;
  t.progress = false;
  t.log = dir / "log.jsonl";
  const nlohmann::json packed = train(t, out);
  ASSERT_EQ(packed["epochs"].size(), 2u);
  const nlohmann::json& io = packed["epochs"][1]["io"];
  EXPECT_GT(io["bytes_read"].get<double>(), 0);
  EXPECT_LE(io["read_amplification"].get<double>(), 1.05);
  EXPECT_GE(io["read_amplification"].get<double>(), 1.0);

  const nlohmann::json shown = info(p.pack, out);
  EXPECT_NEAR(shown["hit_rate"].get<double>(), io["hit_rate"].get<double>(), 1e-12);
  EXPECT_NE(out.str().find("hit rate"), std::string::npos);

  t.mode = FeatureMode::Memory;
  t.log.clear();
  const nlohmann::json memory = train(t, out);
  EXPECT_EQ(memory["epochs"][0]["loss"], packed["epochs"][0]["loss"]);  // the same batches
  EXPECT_EQ(memory["epochs"][1]["loss"], packed["epochs"][1]["loss"]);

  std::ifstream log(dir / "log.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(log, line)) lines += nlohmann::json::parse(line).contains("loss");
  EXPECT_EQ(lines, 2);

  // A pack belongs to its model's graph: GCN (self-loops) refuses a SAGE pack.
  t.mode = FeatureMode::Pack;
  t.in.model = "gcn";
  EXPECT_THROW(train(t, out), IoError);
}

}  // namespace
}  // namespace moegnn::apps::ooc_app
