// SPDX-License-Identifier: Apache-2.0
// moegnn-mowst-experiments: the docs/mowst.md results table. For each dataset given (a registry
// name read from --data-dir without downloading, or csbm:<homophily>) it trains MLP, GCN, SAGE
// and Mowst / Mowst* with GCN and SAGE strong experts over the dataset's splits (Geom-GCN: the 10
// published splits; CSBM: one graph, a random 60/20/20 split per run) and prints one markdown row
// per dataset:
//   moegnn-mowst-experiments [--data-dir DIR] [--runs R] [--epochs E] [--threads T] [--grid]
//                            DATASET...
// Without --grid every model runs one fixed setting. With --grid each model runs every setting of
// its small grid over all the runs, and the cell reports the setting with the best mean validation
// score (test accuracy never chooses anything): baselines dropout {0.2, 0.5} x lr {0.01, 0.005};
// mixtures pretraining {strong, both} x gate dropout {0.1, 0.5}. Each setting's result and time
// go to stderr as it finishes; a model's settings train concurrently (--threads caps the threads).
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "core/parallel.h"
#include "datasets/data_dir.h"
#include "apps/build_info.h"
#include "apps/mowst_experiments/options.h"
#include "apps/mowst_experiments/run.h"

int main(int argc, char** argv) {
  CLI::App app{"moegnn-mowst-experiments: the docs/mowst.md table (MLP, GCN, SAGE, Mowst and "
               "Mowst* with GCN and SAGE experts), one markdown row per dataset"};
  app.set_version_flag("--version", moegnn::apps::version_text("moegnn-mowst-experiments"));
  moegnn::apps::ExperimentOptions options;
  moegnn::apps::add_flags(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help exits 0; a bad flag exits 1, as every program
  }
  try {
    if (options.data_dir.empty()) options.data_dir = moegnn::datasets::default_data_dir().string();
    moegnn::set_num_threads(options.threads);
    std::cout << moegnn::apps::table_header();
    for (const auto& name : options.datasets)
      std::cout << moegnn::apps::dataset_row(name, options) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
