// SPDX-License-Identifier: Apache-2.0
// moegnn-gmope: flags, then the command, then the results; errors as "error: ...".
#include "apps/gmope/app.h"

#include "core/error.h"
#include "core/parallel.h"
#include "apps/gmope/options.h"
#include "apps/gmope/run.h"

namespace moegnn::apps {

int gmope_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "GMoPE (graph mixture of prompt-experts): pretrain prompt-experts across graphs, fine-tune "
      "on a target (node, link or graph task) in the transfer arms, evaluate a checkpoint "
      "(moegnn)."};
  GmopeAppOptions options;
  add_gmope_flags(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 1;
  }
  try {
    set_num_threads(static_cast<int>(options.threads));
    const GmopeReport report = run_gmope(options, err);
    print_gmope_report(out, report);
    if (!options.out.empty()) write_gmope_report(options.out, options, report);
    return 0;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace moegnn::apps
