// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification's model selection and presets through the app's own code path:
// --search grid/random over a space file (every point trained over the runs, the best validation
// chosen, the search written to --out), the refusals that keep a search honest, --preset, and
// --metric auc on a binary heterophilous .npz written in Platonov et al.'s layout.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "apps/node_classification/app.h"
#include "tests/datasets/npz_writer.h"
#include "tests/support/data_dir.h"

namespace moegnn::apps {
namespace {

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

Outcome run_app(std::vector<std::string> args) {
  args.insert(args.begin(), "moegnn-node-classification");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int status = node_classification_main(static_cast<int>(argv.size()), argv.data(), out, err);
  return {status, out.str(), err.str()};
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "moegnn_app_XXXXXX").string();
    path = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

const std::vector<std::string> kSmall{"--nodes", "300", "--epochs", "15", "--runs", "2",
                                      "--split", "random", "--threads", "2"};

std::vector<std::string> small(std::vector<std::string> extra) {
  std::vector<std::string> args = kSmall;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(Search, GridTrainsEveryPointAndChoosesTheBestValidation) {
  TempDir tmp;
  write(tmp.path / "space.json", R"({"hidden": [4, 16], "lr": [0.01, 0.05]})");
  const auto r = run_app(small({"--search", "grid", "--search-space",
                                (tmp.path / "space.json").string(), "--out",
                                (tmp.path / "search.json").string()}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("grid over 4 points, 2 runs each"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<- chosen"), std::string::npos) << r.out;
  std::ifstream in(tmp.path / "search.json");
  const nlohmann::json json = nlohmann::json::parse(in);
  ASSERT_EQ(json["points"].size(), 4u);
  double best = -1.0;
  for (const auto& p : json["points"]) best = std::max(best, p["val"]["mean"].get<double>());
  EXPECT_DOUBLE_EQ(json["chosen"]["val"]["mean"].get<double>(), best);
  EXPECT_EQ(json["chosen"]["val"]["runs"].get<int>(), 2);
  // Each point is the run a plain command line gives (deterministic): rerun the chosen one.
  const auto& chosen = json["chosen"]["point"];
  const auto again = run_app(small({"--hidden", chosen["hidden"].dump(), "--lr",
                                    chosen["lr"].dump(), "--quiet", "--out",
                                    (tmp.path / "one.json").string()}));
  ASSERT_EQ(again.status, 0) << again.err;
  std::ifstream one_in(tmp.path / "one.json");
  const nlohmann::json one = nlohmann::json::parse(one_in);
  EXPECT_DOUBLE_EQ(one["val_accuracy"]["mean"].get<double>(), best);
}

TEST(Search, RandomDrawsFromRangesAndLists) {
  TempDir tmp;
  write(tmp.path / "space.json",
        R"({"lr": {"min": 0.001, "max": 0.1, "log": true}, "hidden": {"min": 4, "max": 16,
            "int": true}, "normalize-features": [true, false]})");
  const auto r = run_app(small({"--search", "random", "--search-trials", "3", "--search-space",
                                (tmp.path / "space.json").string()}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("random over 3 points"), std::string::npos) << r.out;
}

// Boolean flags are set with an explicit value, so a model option without a "--no-" form
// (nsd's --add-lp) and one with it (--normalize-features) can both be searched over false.
TEST(Search, BooleanOptionsAreSearchedOverBothValues) {
  TempDir tmp;
  write(tmp.path / "space.json", R"({"add-lp": [true, false], "normalize-features": [false]})");
  const auto r = run_app(small({"--model", "nsd-diag", "--d", "2", "--search", "grid",
                                "--search-space", (tmp.path / "space.json").string(), "--out",
                                (tmp.path / "search.json").string()}));
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(tmp.path / "search.json");
  const nlohmann::json json = nlohmann::json::parse(in);
  ASSERT_EQ(json["points"].size(), 2u);
  EXPECT_EQ(json["points"][1]["point"]["add-lp"].get<bool>(), false);
  // The two points differ in a stalk coordinate, so they train different models.
  EXPECT_NE(json["points"][0]["val"]["mean"].get<double>(),
            json["points"][1]["val"]["mean"].get<double>());
}

TEST(Search, RefusesWhatWouldMakeItDishonestOrBroken) {
  TempDir tmp;
  const std::string space = (tmp.path / "space.json").string();
  write(space, R"({"lr": [0.01, 0.05]})");
  auto r = run_app(small({"--search", "grid", "--search-space", space, "--lr", "0.1"}));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--lr is searched and also given"), std::string::npos) << r.err;
  r = run_app(small({"--search", "grid"}));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--search-space: missing"), std::string::npos) << r.err;
  write(space, R"({"lr": []})");
  r = run_app(small({"--search", "grid", "--search-space", space}));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("key 'lr' holds [] vs a non-empty list"), std::string::npos) << r.err;
  write(space, R"({"no-such-flag": [1, 2]})");
  r = run_app(small({"--search", "grid", "--search-space", space}));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

TEST(Preset, PaperFindsTheShippedConfigAndFlagsOverrideIt) {
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  const auto r = run_app({"--preset", "paper", "--dataset", "texas", "--model", "gcn",
                          "--epochs", "3", "--runs", "1", "--quiet", "--data-dir",
                          texas.parent_path().string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("split geom-gcn"), std::string::npos) << r.out;  // from the preset
  EXPECT_NE(r.out.find("epochs"), std::string::npos);
  const auto none = run_app({"--preset", "paper", "--model", "gcn"});  // csbm has none
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("no shipped config for --model gcn on --dataset csbm"),
            std::string::npos) << none.err;
  const auto unknown = run_app({"--preset", "geom-gcn/nowhere"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("no preset 'geom-gcn/nowhere'"), std::string::npos) << unknown.err;
}

// A binary heterophilous set written in Platonov et al.'s layout: ROC-AUC is reported.
TEST(Metric, BinaryHeterophilousSetsReportRocAuc) {
  TempDir tmp;
  const int n = 60;
  std::vector<float> x(static_cast<std::size_t>(n * 2));
  std::vector<std::int64_t> labels(n), edges;
  std::vector<bool> train(2 * n), val(2 * n), test(2 * n);
  for (int i = 0; i < n; ++i) {
    labels[i] = i % 2;
    x[2 * i] = static_cast<float>(labels[i]) + 0.1f * static_cast<float>(i % 7);
    x[2 * i + 1] = 1.0f;
    edges.push_back(i);
    edges.push_back((i + 2) % n);
    for (int s = 0; s < 2; ++s) {
      const int part = (i + s) % 3;
      train[s * n + i] = part == 0;
      val[s * n + i] = part == 1;
      test[s * n + i] = part == 2;
    }
  }
  namespace t = datasets::testing;
  const auto path = tmp.path / "questions.npz";
  t::write_npz(path, {{"node_features", t::npy_f32(x, {n, 2})},
                      {"node_labels", t::npy_i64(labels, {n})},
                      {"edges", t::npy_i64(edges, {n, 2})},
                      {"train_masks", t::npy_bool(train, {2, n})},
                      {"val_masks", t::npy_bool(val, {2, n})},
                      {"test_masks", t::npy_bool(test, {2, n})}});
  const auto r = run_app({"--dataset", path.string(), "--model", "mlp", "--split", "geom-gcn",
                          "--runs", "2", "--epochs", "30", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("test roc_auc"), std::string::npos) << r.out;
  const auto acc = run_app({"--dataset", path.string(), "--model", "mlp", "--metric", "acc",
                            "--runs", "1", "--epochs", "3", "--quiet"});
  ASSERT_EQ(acc.status, 0) << acc.err;
  EXPECT_NE(acc.out.find("test accuracy"), std::string::npos) << acc.out;
  const auto mowst = run_app({"--dataset", path.string(), "--model", "mowst", "--runs", "1",
                              "--epochs", "3", "--quiet"});
  EXPECT_EQ(mowst.status, 1);
  EXPECT_NE(mowst.err.find("--metric: roc_auc with --model mowst vs accuracy"),
            std::string::npos) << mowst.err;
}

}  // namespace
}  // namespace moegnn::apps
