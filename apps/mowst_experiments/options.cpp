// SPDX-License-Identifier: Apache-2.0
// moegnn-mowst-experiments' flags.
#include "apps/mowst_experiments/options.h"

namespace moegnn::apps {

void add_flags(CLI::App& app, ExperimentOptions& o) {
  app.add_option("--data-dir", o.data_dir,
                 "data directory (default: $MOEGNN_DATA_DIR, else ~/.cache/moegnn)");
  app.add_option("--runs", o.runs, "runs (splits) per dataset; Geom-GCN has 10 splits")
      ->check(CLI::Range(Index{1}, Index{1000}))
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "epochs per training (and per pretraining)")
      ->check(CLI::Range(Index{1}, Index{100000}))
      ->capture_default_str();
  app.add_option("--threads", o.threads, "CPU threads (0: all)")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  app.add_flag("--grid", o.grid, "choose every model's setting on validation from a small grid");
  app.add_option("datasets", o.datasets, "registry names (cora, texas, ...) or csbm:<homophily>")
      ->required();
}

}  // namespace moegnn::apps
