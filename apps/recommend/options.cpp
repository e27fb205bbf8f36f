// SPDX-License-Identifier: Apache-2.0
// moegnn-recommend's flag definitions and the JSON record of the data and model options.
#include "apps/recommend/options.h"

#include <algorithm>
#include <memory>

#include "core/error.h"
#include "models/rec/registry.h"
#include "apps/cli/json_config.h"
#include "apps/cli/validators.h"

namespace moegnn::apps {

void add_flags(CLI::App& app, RecommendOptions& o) {
  app.add_option("command", o.command,
                 "train (default), evaluate (--model-file), recommend (--model-file --user ID "
                 "--k N) or export (--model-file --export FILE.safetensors)")
      ->check(CLI::IsMember({"train", "evaluate", "recommend", "export"}));
  // Data.
  app.add_option("--dataset", o.dataset,
                 "generated (a synthetic ratings graph), ml-100k, facebook-books, or a ratings "
                 "file user,item[,rating[,timestamp]] (CSV/TSV, header detected: ml-latest-small "
                 "and ml-25m ratings.csv)")
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "data directory (default: $MOEGNN_DATA_DIR)");
  app.add_option("--split", o.split,
                 "random (val/test fractions, per interaction), stratified (recommenders: "
                 "--train-fraction per user, no val), temporal (per user: last to test, the one "
                 "before to val), or ml-100k's u1..u5, ua, ub (no val)")
      ->check(CLI::IsMember(
          {"random", "stratified", "temporal", "u1", "u2", "u3", "u4", "u5", "ua", "ub"}))
      ->capture_default_str();
  app.add_option("--val-fraction", o.val_fraction, "random split: validation share")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--test-fraction", o.test_fraction, "random split: test share")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--train-fraction", o.train_fraction, "stratified split: training share per user")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--train-val-fraction", o.train_val_fraction,
                 "stratified split: share of each user's training interactions held out for "
                 "validation (the test set stays the two-way split's; 0: no validation)")
      ->check(CLI::Range(0.0, 0.99))
      ->capture_default_str();
  app.add_option(
      "--min-rating", o.min_rating,
      "keep ratings >= this as positives (default: 3 when ratings go above 1, else all)");
  app.add_option("--users", o.users, "generated: users")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--items", o.items, "generated: items")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--ratings", o.ratings, "generated: ratings")
      ->check(at_least_one())
      ->capture_default_str();
  // Model and training.
  app.add_option("--model", o.model, "model: bpr-mf, lightgcn, sheaf4rec")
      ->check(CLI::IsMember(rec::rec_model_names()))
      ->capture_default_str();
  app.add_option("--dim", o.dim, "embedding size")->check(at_least_one())->capture_default_str();
  app.add_option("--layers", o.layers, "propagation layers (lightgcn, sheaf4rec)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--readout", o.readout,
                 "sheaf4rec: concat (the layer outputs side by side) or mean (their average)")
      ->check(CLI::IsMember({"concat", "mean"}))
      ->capture_default_str();
  app.add_option("--init-std", o.init_std, "std of the N(0, s²) initial embeddings")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "epochs (each walks every training interaction once)")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--lr", o.lr, "Adam learning rate")->check(positive())->capture_default_str();
  app.add_option("--l2", o.l2, "λ of the L2 term on the batch's layer-0 embeddings")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--batch-size", o.batch_size, "BPR triples per step")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--max-steps", o.max_steps,
                 "stop each epoch after this many steps (0: every training interaction; for "
                 "timing epochs of large graphs)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--patience", o.patience,
                 "stop after this many evaluations without a better validation NDCG (0: never)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--eval-every", o.eval_every, "evaluate every this many epochs")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--ks", o.ks, "cut-offs K of the metrics, ascending")->capture_default_str();
  app.add_option("--metric-k", o.metric_k, "model selection on validation NDCG@this K")
      ->capture_default_str();
  app.add_option("--runs", o.runs, "runs (run r uses seed + r - 1)")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the first run")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--split-seed", o.split_seed, "seed of the split (default: the run's seed)");
  app.add_option("--threads", o.threads, "threads (0: all)")
      ->check(non_negative())
      ->capture_default_str();
  // Outputs.
  app.add_option("--out", o.out, "train/evaluate: write the results as JSON (atomically)");
  app.add_option(
      "--checkpoint", o.checkpoint,
      "training checkpoint file (per run: .run<r> before the extension when --runs > 1)");
  app.add_flag("--resume", o.resume, "continue from --checkpoint when it exists");
  app.add_flag("--override", o.override_hyperparameters,
               "with --resume: accept a checkpoint written with other --epochs, --lr or "
               "--patience");
  app.add_option("--save", o.save,
                 "write the trained model (safetensors; per run as --checkpoint)");
  app.add_option("--log", o.log, "JSON-lines log per epoch (per run as --checkpoint)");
  app.add_flag("--quiet", o.quiet, "no progress bar and no per-run lines");
  // Using a model.
  app.add_option("--model-file", o.model_file, "evaluate / recommend / export: a --save file");
  app.add_option("--user", o.user, "recommend: the user's id as in the ratings file");
  app.add_option("--k", o.k, "recommend: how many items")->capture_default_str();
  app.add_option("--export", o.export_path, "export: the safetensors file to write");
  app.config_formatter(std::make_shared<JsonConfig>());
  app.set_config("--config", "",
                 "read flags from a JSON file {\"flag\": value}; the command line "
                 "wins");
  app.allow_config_extras(CLI::config_extras_mode::error);
}

void check_flags(const RecommendOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend",
                  !o.ks.empty() && std::is_sorted(o.ks.begin(), o.ks.end()) && o.ks.front() >= 1,
                  "--ks has ", o.ks.size(), " values vs an ascending list of K >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend",
                  std::find(o.ks.begin(), o.ks.end(), o.metric_k) != o.ks.end(), "--metric-k ",
                  o.metric_k, " vs one of --ks");
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend",
                  o.command == "train" || !o.model_file.empty(), o.command,
                  ": no --model-file vs the file a training run wrote with --save");
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", o.command != "recommend" || o.user >= 0,
                  "recommend: no --user vs a user id of the training data");
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend",
                  o.command != "export" || !o.export_path.empty(),
                  "export: no --export vs a file to write");
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", !o.resume || !o.checkpoint.empty(),
                  "--resume without --checkpoint vs both");
}

nlohmann::json data_model_json(const RecommendOptions& o) {
  return {{"dataset", o.dataset},
          {"data_dir", o.data_dir},
          {"split", o.split},
          {"val_fraction", o.val_fraction},
          {"test_fraction", o.test_fraction},
          {"train_fraction", o.train_fraction},
          {"train_val_fraction", o.train_val_fraction},
          {"min_rating", o.min_rating},
          {"users", o.users},
          {"items", o.items},
          {"ratings", o.ratings},
          {"model", o.model},
          {"dim", o.dim},
          {"layers", o.layers},
          {"readout", o.readout},
          {"init_std", o.init_std},
          {"split_seed", o.split_seed},
          {"seed", o.seed}};
}

void read_data_model_json(const nlohmann::json& j, RecommendOptions& o) {
  for (const char* key : {"dataset", "split", "model", "dim", "layers", "split_seed", "seed"})
    MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", j.contains(key), "model file has no '",
                    key, "' in its options record vs a file written by moegnn-recommend --save");
  o.dataset = j.at("dataset").get<std::string>();
  o.data_dir = j.value("data_dir", o.data_dir);
  o.split = j.at("split").get<std::string>();
  o.val_fraction = j.value("val_fraction", o.val_fraction);
  o.test_fraction = j.value("test_fraction", o.test_fraction);
  o.train_fraction = j.value("train_fraction", o.train_fraction);
  o.train_val_fraction = j.value("train_val_fraction", 0.0);
  o.min_rating = j.value("min_rating", o.min_rating);
  o.users = j.value("users", o.users);
  o.items = j.value("items", o.items);
  o.ratings = j.value("ratings", o.ratings);
  o.model = j.at("model").get<std::string>();
  o.dim = j.at("dim").get<Index>();
  o.layers = j.at("layers").get<Index>();
  o.readout = j.value("readout", std::string("concat"));
  o.init_std = j.value("init_std", o.init_std);
  o.split_seed = j.at("split_seed").get<std::int64_t>();
  o.seed = j.at("seed").get<std::int64_t>();
}

}  // namespace moegnn::apps
