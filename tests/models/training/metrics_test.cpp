// SPDX-License-Identifier: Apache-2.0
// OGB metrics (models/metrics_ogb.h, models/metrics_link.h) against fixtures written by the ogb
// package (tests/data/make_metrics_fixtures.py) and against small hand-computed cases.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/training/metrics_link.h"
#include "models/training/metrics_ogb.h"
#include "tests/support/data_dir.h"

namespace moegnn::training {
namespace {

using Json = nlohmann::json;

Json fixture(const std::string& name) {
  std::ifstream in(support::test_data_dir() / "metrics" / name);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  return Json::parse(in);
}

// Scores are stored as integer hundredths (null: NaN), see make_metrics_fixtures.py.
std::vector<float> scores(const Json& values) {
  std::vector<float> out;
  for (const Json& v : values)
    out.push_back(v.is_null() ? std::nanf("") : static_cast<float>(v.get<int>() / 100.0));
  return out;
}

IndexArray32 ids(const Json& values) {
  return IndexArray32(values.get<std::vector<std::int32_t>>());
}

Tensor matrix(const Json& c, const char* key) {
  return Tensor::from_vector(c["rows"].get<Index>(), c["cols"].get<Index>(), scores(c[key]));
}

TEST(OgbMetrics, AccuracyMatchesOgb) {
  const Json doc = fixture("accuracy.json");
  for (const Json& c : doc["cases"])
    EXPECT_NEAR(accuracy_score(ids(c["y_true"]), ids(c["y_pred"])), c["expected"].get<double>(),
                1e-12);
}

TEST(OgbMetrics, MacroF1MatchesSklearn) {
  const Json doc = fixture("macro_f1.json");
  for (const Json& c : doc["cases"])
    EXPECT_NEAR(macro_f1_score(ids(c["y_true"]), ids(c["y_pred"])), c["expected"].get<double>(),
                1e-12);
}

TEST(OgbMetrics, BinaryRocAucMatchesOgb) {
  const Json doc = fixture("rocauc_binary.json");
  for (const Json& c : doc["cases"]) {
    std::vector<float> y_true;
    for (const Json& v : c["y_true"]) y_true.push_back(v.get<float>());
    EXPECT_NEAR(roc_auc_score(y_true, scores(c["y_score"])), c["expected"].get<double>(), 1e-12);
  }
}

TEST(OgbMetrics, PerTaskRocAucMatchesOgb) {
  const Json doc = fixture("rocauc_tasks.json");
  for (const Json& c : doc["cases"])
    EXPECT_NEAR(rocauc_per_task(matrix(c, "y_true"), matrix(c, "y_score")),
                c["expected"].get<double>(), 1e-12);
}

TEST(OgbMetrics, HitsAtKMatchesOgb) {
  const Json doc = fixture("hits.json");
  for (const Json& c : doc["cases"])
    EXPECT_NEAR(hits_at_k(scores(c["pos"]), scores(c["neg"]), c["k"].get<Index>()),
                c["expected"].get<double>(), 1e-12)
        << "k = " << c["k"];
}

TEST(OgbMetrics, MrrMatchesOgb) {
  // OGB averages float32 lists; we sum in double, so allow float32 rounding.
  const Json doc = fixture("mrr.json");
  for (const Json& c : doc["cases"]) {
    const RankingMetrics r = ranking_metrics(scores(c["pos"]), matrix(c, "neg"));
    EXPECT_NEAR(r.mrr, c["mrr"].get<double>(), 1e-6);
    EXPECT_NEAR(r.hits1, c["hits1"].get<double>(), 1e-6);
    EXPECT_NEAR(r.hits3, c["hits3"].get<double>(), 1e-6);
    EXPECT_NEAR(r.hits10, c["hits10"].get<double>(), 1e-6);
  }
}

TEST(OgbMetrics, HandComputedCases) {
  // Class 0: tp 1, fp 1, fn 1 -> 1/2; class 1: tp 0 -> 0; class 2: tp 1, fn 1 -> 2/3.
  EXPECT_NEAR(macro_f1_score(IndexArray32{0, 0, 1, 2, 2}, IndexArray32{0, 1, 0, 2, 1}),
              (0.5 + 0.0 + 2.0 / 3.0) / 3.0, 1e-15);
  // A class only predicted (5) counts with F1 0, as in sklearn.
  EXPECT_NEAR(macro_f1_score(IndexArray32{1, 1}, IndexArray32{1, 5}), (2.0 / 3.0 + 0.0) / 2.0,
              1e-15);
  // Positive scores {0.9, 0.5}, negatives {0.5, 0.1}: pairs win 1 + 1 + 0.5 (tie) + 1 of 4.
  const std::vector<float> y{1, 1, 0, 0};
  EXPECT_DOUBLE_EQ(roc_auc_score(y, std::vector<float>{0.9f, 0.5f, 0.5f, 0.1f}), 3.5 / 4.0);
  // Hits@2 with negatives {3, 2, 1}: the 2nd highest is 2; positives 2.5 and 2 -> one strict win.
  const std::vector<float> neg{3, 2, 1};
  EXPECT_DOUBLE_EQ(hits_at_k(std::vector<float>{2.5f, 2.0f}, neg, 2), 0.5);
  EXPECT_DOUBLE_EQ(hits_at_k(std::vector<float>{-9.0f}, neg, 4), 1.0);  // fewer than K negatives
  // Positive 1 tied with two of four negatives {2, 1, 1, 0}: ranks 2 (optimistic) and 4 -> 3.
  const RankingMetrics r =
      ranking_metrics(std::vector<float>{1.0f}, Tensor::from_rows({{2, 1, 1, 0}}));
  EXPECT_DOUBLE_EQ(r.mrr, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.hits1, 0.0);
  EXPECT_DOUBLE_EQ(r.hits3, 1.0);
}

TEST(OgbMetrics, RejectsBadInput) {
  EXPECT_THROW(accuracy_score(IndexArray32{0, 1}, IndexArray32{0}), InvalidArgument);
  EXPECT_THROW(accuracy_score(IndexArray32{}, IndexArray32{}), InvalidArgument);
  EXPECT_THROW(macro_f1_score(IndexArray32{0}, IndexArray32{}), InvalidArgument);
  const std::vector<float> one_class{1, 1};
  EXPECT_THROW(roc_auc_score(one_class, std::vector<float>{0.1f, 0.2f}), InvalidArgument);
  EXPECT_THROW(roc_auc_score(std::vector<float>{1, 2}, std::vector<float>{0.1f, 0.2f}),
               InvalidArgument);
  EXPECT_THROW(roc_auc_score(std::vector<float>{1, 0}, std::vector<float>{0.1f, std::nanf("")}),
               InvalidArgument);
  // No task with both classes (OGB raises RuntimeError here).
  EXPECT_THROW(rocauc_per_task(Tensor::from_rows({{1, 0}, {1, 0}}), Tensor::zeros(2, 2)),
               InvalidArgument);
  EXPECT_THROW(rocauc_per_task(Tensor::zeros(2, 2), Tensor::zeros(2, 3)), InvalidArgument);
  EXPECT_THROW(hits_at_k(std::vector<float>{1}, std::vector<float>{1}, 0), InvalidArgument);
  EXPECT_THROW(hits_at_k(std::vector<float>{}, std::vector<float>{1}, 1), InvalidArgument);
  EXPECT_THROW(ranking_metrics(std::vector<float>{1, 2}, Tensor::zeros(1, 3)), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::training
