// SPDX-License-Identifier: Apache-2.0
// Writes random user and item embeddings (scores of both signs, so a 0-mask would differ from the
// −∞ mask), random training and held-out lists, and the metrics evaluate_ranking computes on them
// to one JSON file; tests/interop/ranking_metrics_test.py recomputes every metric with a dense
// numpy argsort and compares to 1e-6.
// Usage: moegnn_interop_write_ranking <out.json>
#include <exception>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/rng.h"
#include "datasets/interactions.h"
#include "models/rec/ranking.h"

int main(int argc, char** argv) {
  using namespace moegnn;
  if (argc != 2) {
    std::cerr << "usage: moegnn_interop_write_ranking <out.json>\n";
    return 2;
  }
  try {
    const Index U = 97, I = 61, D = 5;
    Rng rng(17);
    Tensor users = Tensor::zeros(U, D), items = Tensor::zeros(I, D);
    for (Index k = 0; k < U * D; ++k) users.data()[k] = rng.normal();
    for (Index k = 0; k < I * D; ++k) items.data()[k] = rng.normal();
    std::vector<std::int32_t> tu, ti, hu, hi;
    for (Index u = 0; u < U; ++u)
      for (Index i = 0; i < I; ++i) {
        const float r = rng.uniform();
        if (r < 0.25f) {
          tu.push_back(static_cast<std::int32_t>(u));
          ti.push_back(static_cast<std::int32_t>(i));
        } else if (r < 0.33f && u % 7 != 3) {  // some users have no held-out item
          hu.push_back(static_cast<std::int32_t>(u));
          hi.push_back(static_cast<std::int32_t>(i));
        }
      }
    const std::vector<Index> ks{1, 5, 10, 20};
    const rec::RankingMetrics m =
        rec::evaluate_ranking(users, items, datasets::make_user_items(U, I, tu, ti),
                              datasets::make_user_items(U, I, hu, hi), ks);
    nlohmann::json j;
    j["users"] = std::vector<float>(users.data(), users.data() + U * D);
    j["items"] = std::vector<float>(items.data(), items.data() + I * D);
    j["dim"] = D;
    j["train"] = {tu, ti};
    j["test"] = {hu, hi};
    j["ks"] = ks;
    j["metrics"] = {{"recall", m.recall}, {"precision", m.precision}, {"f1", m.f1},
                    {"ndcg", m.ndcg},     {"hr", m.hit_rate},         {"mrr", m.mrr}};
    j["num_users"] = m.num_users;
    std::ofstream(argv[1]) << j.dump();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
