// SPDX-License-Identifier: Apache-2.0
// moegnn-recommend: top-K recommendation from implicit feedback. `train` (the default) fits BPR-MF
// or LightGCN with BPR over one or more runs and prints full-ranking Recall/Precision/F1/NDCG/HR/
// MRR@K; `evaluate` scores a saved model, `recommend --user ID --k N` lists a user's top items
// (titles from u.item for ml-100k), `export` writes the embeddings as safetensors. With no flags
// it trains LightGCN on a generated 1000 × 500 ratings graph (docs/recommend.md).
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "core/parallel.h"
#include "apps/recommend/options.h"
#include "apps/recommend/run.h"

int main(int argc, char** argv) {
  using namespace moegnn::apps;
  CLI::App app{"Train, evaluate and use recommender models (moegnn)."};
  RecommendOptions o;
  add_flags(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    check_flags(o);
    moegnn::set_num_threads(o.threads);
    if (o.command == "train") {
      const RecExperiment e = train_runs(o, std::cerr);
      print_experiment(std::cout, o, e);
      if (!o.out.empty()) write_experiment(o.out, o, e);
      return 0;
    }
    LoadedModel m = load_model_file(o.model_file, o);
    if (o.command == "evaluate") {
      RecExperiment e;
      e.data_summary = moegnn::datasets::summary(m.data.data);
      e.runs.push_back(evaluate_model(m, o.ks));
      RecommendOptions shown = m.options;
      shown.ks = o.ks;
      print_experiment(std::cout, shown, e);
      if (!o.out.empty()) write_experiment(o.out, shown, e);
    } else if (o.command == "recommend") {
      print_recommendations(m, o.user, o.k, std::cout);
    } else {
      export_embeddings(m, o.export_path);
      std::cout << "wrote " << o.export_path << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
