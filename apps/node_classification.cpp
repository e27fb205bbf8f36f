// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification: trains a node-classification model (mlp, gcn, sage, gat, gin, or any
// registered one) on a dataset from the registry or on the embedded generated CSBM graph, over one
// or more runs, and prints a results table (per run, then mean ± std of validation and test
// accuracy). With no flags it trains a GCN on a 3000-node CSBM graph in a few seconds. --help lists
// every flag; --config FILE.json sets any of them (docs/user-guide.md).
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

#include "apps/node_classification/options.h"
#include "apps/node_classification/run.h"
#include "core/parallel.h"

int main(int argc, char** argv) {
  CLI::App app{"Train and evaluate a node-classification model (moegnn)."};
  moegnn::apps::AppOptions options;
  moegnn::apps::add_flags(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ConfigError& e) {  // CLI11 words an unknown key as "INI was not able to parse"
    const std::string what = e.what();
    const std::string prefix = "INI was not able to parse ";
    if (what.rfind(prefix, 0) != 0) return app.exit(e) == 0 ? 0 : 1;
    std::cerr << "error: --config: unknown key '" << what.substr(prefix.size())
              << "' vs a flag name without dashes (see --help)\n";
    return 1;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help exits 0; a wrong flag prints what is accepted
  }
  try {
    moegnn::apps::check_flags(options);
    moegnn::set_num_threads(options.threads);
    const moegnn::apps::Experiment experiment = moegnn::apps::run_experiment(options, std::cerr);
    moegnn::apps::print_results(std::cout, options, experiment);
    if (!options.out.empty()) moegnn::apps::write_results(options.out, options, experiment);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
