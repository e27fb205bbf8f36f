// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification: flags, experiment, outputs, and every error as one line.
#include "apps/node_classification/app.h"

#include <exception>
#include <optional>
#include <new>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.h"
#include "core/parallel.h"
#include "models/options.h"
#include "apps/node_classification/distributed.h"
#include "apps/node_classification/options.h"
#include "apps/node_classification/preset.h"
#include "apps/node_classification/run.h"
#include "apps/node_classification/search.h"

namespace moegnn::apps {
namespace {

// "; did you mean --hidden?" for the first "--flag" in CLI11's message of unexpected arguments,
// or "" when no flag of `app` is close.
std::string flag_suggestion(const CLI::App& app, const std::string& message) {
  const std::size_t at = message.find("--");
  if (at == std::string::npos) return "";
  std::size_t end = message.find_first_of(" ,]=\n", at);
  const std::string given = message.substr(at + 2, end == std::string::npos ? end : end - at - 2);
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options())
    for (const std::string& name : o->get_lnames()) names.push_back(name);
  const std::string guess = models::closest_match(given, names);
  return guess.empty() ? "" : "; did you mean --" + guess + "?";
}

// The command line with "--config <the preset's file>" added when --preset is given (the config
// then sits under the flags given, as --config does). Throws InvalidArgument for --preset with
// --config or a preset that resolves to no file.
std::vector<std::string> with_preset(const CLI::App& app, const AppOptions& o, int argc,
                                     const char* const* argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (o.preset.empty()) return args;
  MOEGNN_CHECK_AS(InvalidArgument, "--preset", app.get_option("--config")->count() == 0,
                  "given with --config vs one of them; a preset is a config file");
  std::optional<std::string> split;
  if (app.get_option("--split")->count() > 0) split = split_name(o.split);
  args.emplace_back("--config");
  args.push_back(resolve_preset(o.preset, o.dataset, o.model, split).string());
  return args;
}

}  // namespace

int node_classification_main(int argc, const char* const* argv, std::ostream& out,
                             std::ostream& err) {
  CLI::App app{"Train and evaluate a node-classification model (moegnn)."};
  AppOptions options;
  add_flags(app, options);
  std::vector<std::string> args(argv, argv + argc);
  try {
    app.parse(argc, argv);
    if (!options.preset.empty()) {  // parse again with the preset's file as --config
      args = with_preset(app, options, argc, argv);
      std::vector<const char*> pointers;
      for (const std::string& a : args) pointers.push_back(a.c_str());
      app.clear();  // the flags keep their bindings; values given again are set again
      app.parse(static_cast<int>(pointers.size()), pointers.data());
    }
  } catch (const InvalidArgument& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  } catch (
      const CLI::ConfigError& e) {  // CLI11 words an unknown key as "INI was not able to parse"
    const std::string what = e.what();
    const std::string prefix = "INI was not able to parse ";
    if (what.rfind(prefix, 0) != 0) return app.exit(e, out, err) == 0 ? 0 : 1;
    err << "error: --config: unknown key '" << what.substr(prefix.size())
        << "' vs a flag name without dashes (see --help)\n";
    return 1;
  } catch (const CLI::ExtrasError& e) {  // an unknown flag: name the closest one
    err << "error: " << e.what() << flag_suggestion(app, e.what()) << "\n";
    return 1;
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0
                                      : 1;  // --help exits 0; a wrong flag says what is accepted
  }
  try {
    check_flags(options);
    set_num_threads(options.threads);
    if (!options.distributed.empty()) return run_distributed(options, out, err);
    if (!options.search.empty()) {
      run_search(args, options, out, err);
      return 0;
    }
    const Experiment experiment = run_experiment(options, err);
    print_results(out, options, experiment);
    if (!options.out.empty()) write_results(options.out, options, experiment);
    return 0;
  } catch (const std::bad_alloc&) {
    err << "error: out of memory while building or training --model " << options.model
        << "; lower the model's sizes (--hidden, --layers, --heads) or use a smaller dataset\n";
    return 1;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace moegnn::apps
