// SPDX-License-Identifier: Apache-2.0
// Flag definitions of moegnn-link-prediction.
#include "apps/link_prediction/options.h"

#include <map>
#include <memory>

#include "apps/cli/json_config.h"
#include "apps/cli/validators.h"
#include "apps/cli/writable.h"
#include "models/training/repeat.h"
#include "core/error.h"

namespace moegnn::apps {
namespace {

// "3-17": a node pair.
std::pair<int, int> parse_pair(const std::string& text) {
  const auto dash = text.find('-');
  MOEGNN_CHECK_AS(InvalidArgument, "--predict-pairs", dash != std::string::npos && dash > 0,
                  "'", text, "' vs SRC-DST (e.g. 3-17)");
  try {
    return {std::stoi(text.substr(0, dash)), std::stoi(text.substr(dash + 1))};
  } catch (const std::exception&) {
    MOEGNN_FAIL(InvalidArgument, "--predict-pairs", "'", text, "' vs SRC-DST (e.g. 3-17)");
  }
}

}  // namespace

const std::map<std::string, models::CompletionInput>& completion_names() {
  static const std::map<std::string, models::CompletionInput> names{
      {"ncn", models::CompletionInput::Ncn}, {"reference", models::CompletionInput::Reference}};
  return names;
}

namespace {

void add_model_flags(CLI::App& app, LinkAppOptions& o) {
  app.add_option("--model", o.model, "ncn, ncnc, gae, or a heuristic: cn, aa, ra")
      ->check(CLI::IsMember({"ncn", "ncnc", "gae", "cn", "aa", "ra"}))->capture_default_str();
  app.add_option("--probscale", o.probscale, "NCNC: calibration scale")->capture_default_str();
  app.add_option("--proboffset", o.proboffset, "NCNC: calibration offset")->capture_default_str();
  app.add_option("--pt", o.pt, "NCNC: prior of the calibration, in (0, 1)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  app.add_option("--alpha", o.alpha, "NCNC: scale of the completion probabilities")
      ->check(non_negative())->capture_default_str();
  app.add_option("--completion", o.completion,
                 "NCNC: the completion NCN reads the outer h and x~ (ncn), or x~ as h, "
                 "x~ + xlin(x~) and a second edge dropout, as the reference's recursion does "
                 "(reference)")
      ->transform(one_of(completion_names()))
      ->default_str(enum_name(completion_names(), o.completion));
  app.add_option("--init", o.init,
                 "start from the selected model of this --save checkpoint (NCNC from a trained "
                 "NCN: same parameters); run r reads '.run<r>'");
  app.add_option("--encoder", o.encoder, "message passing: puregcn, puresum, gcn, sage")
      ->check(CLI::IsMember({"puregcn", "puresum", "gcn", "sage"}))->capture_default_str();
  app.add_option("--decoder", o.decoder, "gae: mlp (MLP on h_i*h_j) or dot")
      ->check(CLI::IsMember({"mlp", "dot"}))->capture_default_str();
  app.add_option("--hidden,--hiddim", o.hidden, "hidden width")->check(at_least_one())
      ->capture_default_str();
  app.add_option("--mplayers", o.mplayers, "message-passing layers")->check(non_negative())
      ->capture_default_str();
  const auto rate = CLI::Range(0.0, 0.99);
  app.add_option("--xdp", o.xdp, "dropout on the input features")->check(rate);
  app.add_option("--tdp", o.tdp, "dropout after the last parameter-free convolution")->check(rate);
  app.add_option("--gnndp", o.gnndp, "dropout in the encoder")->check(rate);
  app.add_option("--predp", o.predp, "dropout in the predictor")->check(rate);
  app.add_option("--preedp", o.preedp, "training: edge dropout of the common-neighbour graph")
      ->check(rate);
  app.add_flag("--ln", o.ln, "LayerNorm in the encoder");
  app.add_flag("--lnnn", o.lnnn, "LayerNorm in the predictor");
  app.add_flag("--jk", o.jk, "jumping knowledge over the encoder layers");
  app.add_flag("--res", o.res, "residual connections in the encoder");
  app.add_flag("--use-xlin", o.use_xlin, "NCN: x + MLP(x) before the neighbour sum");
  app.add_flag("--tailact", o.tailact, "NCN: end the branch MLPs with the activation");
  app.add_flag("--twolayerlin", o.twolayerlin, "NCN: two hidden layers in the final MLP");
  app.add_option("--beta", o.beta, "NCN: initial weight of the neighbour branch");
  app.add_option("--cndeg", o.cndeg, "> 0: read at most this many neighbours per endpoint")
      ->check(non_negative());
}

void add_training_flags(CLI::App& app, LinkAppOptions& o) {
  app.add_option("--gnnlr", o.gnnlr, "encoder learning rate (Adam)")->check(non_negative())
      ->capture_default_str();
  app.add_option("--prelr", o.prelr, "predictor learning rate (Adam)")->check(positive())
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "epochs")->check(at_least_one())->capture_default_str();
  app.add_option("--batch-size", o.batch_size, "training positives per step")
      ->check(at_least_one())->capture_default_str();
  app.add_option("--test-batch-size,--testbs", o.test_batch_size, "pairs per evaluation chunk")
      ->check(at_least_one())->capture_default_str();
  app.add_flag("--maskinput,!--no-maskinput", o.maskinput,
               "target-link removal: a step's positives leave its graph");
  app.add_option("--hits-k", o.hits_k, "K of the Hits@K used for model selection")
      ->check(at_least_one())->capture_default_str();
  app.add_option("--patience", o.patience, "early stopping patience (0: none)")
      ->check(non_negative());
  app.add_option("--max-steps", o.max_steps,
                 "timing: each epoch stops after this many steps (0: the whole epoch)")
      ->check(non_negative());
  app.add_option("--runs", o.runs, "runs (run r: seed + r, a new split)")->check(at_least_one())
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of run 0")->capture_default_str();
  app.add_option("--threads", o.threads, "threads (0: all)")->check(non_negative());
  app.add_option("--device", o.device, "cpu, cuda or auto (link models run on the CPU)")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}))->capture_default_str();
}

}  // namespace

bool is_heuristic(const std::string& model) {
  return model == "cn" || model == "aa" || model == "ra";
}

void add_link_flags(CLI::App& app, LinkAppOptions& o) {
  app.config_formatter(std::make_shared<JsonConfig>());
  app.set_config("--config", "", "JSON file of flags ({\"flag-name\": value})");
  app.add_option("--dataset", o.dataset, "generated, cora, citeseer or ogbl-ddi")
      ->check(CLI::IsMember({"generated", "cora", "citeseer", "ogbl-ddi"}))
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "data directory (default: $MOEGNN_DATA_DIR)");
  app.add_option("--nodes", o.nodes, "generated: nodes")->check(CLI::Range(50, 10000000))
      ->capture_default_str();
  app.add_option("--split", o.split,
                 "planetoid (NCN's 70/10/20 with 2x validation negatives) or random (PyG's "
                 "RandomLinkSplit 80/10/20); ogbl-* use their published split")
      ->check(CLI::IsMember({"planetoid", "random"}))->capture_default_str();
  add_model_flags(app, o);
  add_training_flags(app, o);
  app.add_option_function<std::vector<std::string>>(
      "--predict-pairs",
      [&o](const std::vector<std::string>& pairs) {
        for (const auto& p : pairs) o.predict_pairs.push_back(parse_pair(p));
      },
      "after training: print the probability of each SRC-DST pair")
      ->delimiter(',');
  app.add_option("--predict-node", o.predict_node,
                 "after training: print the --top-k most likely new links of this node")
      ->check(non_negative());
  app.add_option("--top-k", o.top_k, "links printed for --predict-node")->check(at_least_one());
  app.add_option("--save", o.save, "checkpoint file (run r > 0: '.run<r>' before the suffix)");
  app.add_flag("--resume", o.resume, "continue from the --save checkpoints");
  app.add_option("--out", o.out, "results JSON");
  app.add_option("--log", o.log, "JSON-lines training log");
  app.add_flag("--quiet", o.quiet, "no per-run lines, no progress bar");
}

void check_link_flags(const LinkAppOptions& o) {
  // Outputs and the warm-start checkpoints before any training, not after hours of it.
  check_writable("--out", o.out);
  check_writable("--save", o.save);
  check_writable("--log", o.log);
  for (Index r = 0; !o.init.empty() && r < o.runs; ++r) {
    const std::filesystem::path init = training::run_path(o.init, r);
    MOEGNN_CHECK_AS(InvalidArgument, "--init", std::filesystem::is_regular_file(init), "run ", r,
                    " reads '", init.string(), "', which is not a file vs the --save checkpoint ",
                    "of a trained run (run r > 0 reads '.run<r>')");
  }
  MOEGNN_CHECK_AS(InvalidArgument, "--resume", !o.resume || !o.save.empty(),
                  "given without --save vs a --save file to resume from");
  MOEGNN_CHECK_AS(InvalidArgument, "--model", !is_heuristic(o.model) ||
                  (o.predict_pairs.empty() && o.predict_node < 0),
                  o.model, " with --predict-* vs a trained model (ncn or gae)");
  MOEGNN_CHECK_AS(Unsupported, "--device", o.device != "cuda",
                  "cuda vs cpu: the link-prediction kernels have no CUDA version yet; use "
                  "--device cpu or auto");
}

}  // namespace moegnn::apps
