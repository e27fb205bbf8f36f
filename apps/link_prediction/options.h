// SPDX-License-Identifier: Apache-2.0
// The flags of moegnn-link-prediction: every setting with its default, the CLI11 definitions and
// --config FILE.json (keys = flag names; the command line wins). Model flags keep the NCN
// reference's names (--xdp, --gnnlr, --use-xlin, ...; ncnc.md §11) so its per-dataset commands
// translate one to one (configs/link/).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "models/link/predictor.h"

namespace moegnn::apps {

struct LinkAppOptions {
  // Data: "generated" (an R-MAT graph, graph/generators.h), "cora", "citeseer", "ogbl-ddi".
  std::string dataset = "generated";
  std::filesystem::path data_dir{};
  int nodes = 2000;  // generated: nodes
  // planetoid: the NCN reference's 70/10/20 protocol; random: PyG RandomLinkSplit(0.1, 0.2).
  // ogbl-* always use their published split.
  std::string split = "planetoid";
  // Model: ncn, ncnc, gae (encoder + MLP-on-Hadamard or dot decoder), or a heuristic cn | aa | ra.
  std::string model = "ncn";
  std::string encoder = "puregcn";  // puregcn | puresum | gcn | sage
  std::string decoder = "mlp";      // gae: mlp | dot
  int hidden = 64;
  int mplayers = 1;
  float xdp = 0.0f, tdp = 0.0f, gnndp = 0.0f, predp = 0.0f, preedp = 0.0f;
  bool ln = false, lnnn = false, jk = false, res = false;
  bool use_xlin = false, tailact = false, twolayerlin = false;
  float beta = 1.0f;
  int cndeg = 0;  // > 0: cap each endpoint's row in the intersection
  // NCNC calibration and warm start (a --save checkpoint of an NCN run; run r reads '.run<r>').
  float probscale = 5.0f, proboffset = 3.0f, pt = 0.5f, alpha = 1.0f;
  // NCNC: what the completion NCN reads (models/link/predictor.h): ncn | reference.
  models::CompletionInput completion = models::CompletionInput::Ncn;
  std::filesystem::path init{};
  // Training
  float gnnlr = 0.01f;
  float prelr = 0.01f;
  int epochs = 20;
  int batch_size = 512;
  int test_batch_size = 8192;
  bool maskinput = true;
  int hits_k = 100;
  int patience = 0;
  int max_steps = 0;  // > 0: each epoch stops after this many steps (timing)
  int runs = 1;
  unsigned long long seed = 0;
  int threads = 0;
  std::string device = "auto";
  // Predictions after training (last run's selected model)
  std::vector<std::pair<int, int>> predict_pairs{};
  int predict_node = -1;
  int top_k = 10;
  // Outputs
  std::filesystem::path save{}, out{}, log{};
  bool resume = false;
  bool quiet = false;
};

// Defines every flag on `app` bound to `options`, and --config.
void add_link_flags(CLI::App& app, LinkAppOptions& options);
// --completion's names (lower case), for the flag and for --out's options record.
const std::map<std::string, models::CompletionInput>& completion_names();
// Checks across flags (e.g. --resume without --save). Throws InvalidArgument naming the flag.
void check_link_flags(const LinkAppOptions& options);
bool is_heuristic(const std::string& model);

}  // namespace moegnn::apps
