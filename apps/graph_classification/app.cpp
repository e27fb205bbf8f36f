// SPDX-License-Identifier: Apache-2.0
// moegnn-graph-classification: flags, then the experiment, then the results; errors as "error:
// ...".
#include "apps/graph_classification/app.h"

#include "core/error.h"
#include "core/parallel.h"
#include "apps/graph_classification/options.h"
#include "apps/graph_classification/run.h"

namespace moegnn::apps {

int graph_classification_main(int argc, const char* const* argv, std::ostream& out,
                              std::ostream& err) {
  CLI::App app{"Train and evaluate a graph-classification model (moegnn)."};
  GraphAppOptions options;
  add_graph_app_flags(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0
                                      : 1;  // --help exits 0; a wrong flag says what is accepted
  }
  try {
    MOEGNN_CHECK_AS(InvalidArgument, "--resume", !options.resume || !options.save.empty(),
                    "no checkpoint to resume from vs --save FILE");
    set_num_threads(static_cast<int>(options.threads));
    const GraphExperiment experiment = run_graph_experiment(options, err);
    print_graph_results(out, experiment);
    if (!options.out.empty()) write_graph_results(options.out, options, experiment);
    return 0;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace moegnn::apps
