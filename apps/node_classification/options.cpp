// SPDX-License-Identifier: Apache-2.0
// Flag definitions and the JSON config-file reader of moegnn-node-classification.
#include "apps/node_classification/options.h"

#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "datasets/registry.h"
#include "models/registry.h"

namespace moegnn::apps {
namespace {

// --config FILE.json: a flat object {"flag-name": value}; values are strings, numbers, booleans
// or arrays of them (e.g. "fanouts": [10, 5]). Underscores in keys count as dashes.
class JsonConfig final : public CLI::Config {
 public:
  std::string to_config(const CLI::App* app, bool default_also, bool /*write_description*/,
                        std::string /*prefix*/) const override {
    nlohmann::json out = nlohmann::json::object();
    for (const CLI::Option* opt : app->get_options({})) {
      if (!opt->get_configurable() || opt->get_lnames().empty()) continue;
      const std::string value = opt->count() > 0 ? opt->as<std::string>() : opt->get_default_str();
      if (opt->count() > 0 || (default_also && !value.empty())) out[opt->get_lnames().front()] = value;
    }
    return out.dump(2) + "\n";
  }

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    nlohmann::json json;
    try {
      input >> json;
    } catch (const nlohmann::json::exception& e) {
      throw CLI::ConversionError(std::string("--config: not valid JSON: ") + e.what());
    }
    if (!json.is_object())
      throw CLI::ConversionError("--config: the file holds " + std::string(json.type_name()) +
                                 " vs a JSON object of flag names");
    std::vector<CLI::ConfigItem> items;
    for (const auto& [key, value] : json.items()) {
      CLI::ConfigItem item;
      item.name = key;
      for (char& c : item.name)
        if (c == '_') c = '-';
      if (value.is_array()) {
        for (const auto& v : value) item.inputs.push_back(scalar(key, v));
      } else {
        item.inputs.push_back(scalar(key, value));
      }
      items.push_back(std::move(item));
    }
    return items;
  }

 private:
  static std::string scalar(const std::string& key, const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    throw CLI::ConversionError("--config: key '" + key + "' holds " + std::string(v.type_name()) +
                               " vs a string, number, boolean or array of them");
  }
};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void add_data_flags(CLI::App& app, AppOptions& o) {
  std::vector<std::string> names{"csbm"};
  for (const auto& info : datasets::list_datasets())
    if (info.kind == datasets::DatasetKind::Node && info.name != "csbm") names.push_back(info.name);
  app.add_option("--dataset", o.dataset,
                 "dataset: csbm (embedded generated graph) or a registry name")
      ->check(CLI::IsMember(names))
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "data directory (default: $MOEGNN_DATA_DIR)");
  app.add_option("--split", o.split,
                 "public: the dataset's split; geom-gcn (or fixed): run r uses the dataset's "
                 "published split r mod their number (Geom-GCN's 10, LINKX's 5); random: 60/20/20 "
                 "drawn from the seed of each run")
      ->check(CLI::IsMember({"public", "geom-gcn", "fixed", "random"}))
      ->capture_default_str();
  app.add_flag("--normalize-features,!--no-normalize-features", o.normalize_features,
               "row-normalise the features (Kipf & Welling's preprocessing)");
  app.add_flag("--download", o.download, "download missing dataset files");
  app.add_option("--nodes", o.nodes, "csbm: nodes of the generated graph")
      ->check(CLI::Range(10, 100000000))->capture_default_str();
  app.add_option("--homophily", o.homophily, "csbm: fraction of intra-class edges, in [0, 1]")
      ->capture_default_str();
  app.add_option("--feature-signal", o.feature_signal, "csbm: class-mean norm vs unit noise")
      ->capture_default_str();
}

void add_model_flags(CLI::App& app, AppOptions& o) {
  std::vector<std::string> all_models = models::node_model_names();
  all_models.insert(all_models.end(), {"mowst", "mowst-star"});
  app.add_option("--model", o.model, "model: " + joined(all_models))
      ->check(CLI::IsMember(all_models))
      ->capture_default_str();
  app.add_option("--strong", o.strong, "mowst: strong expert: " + joined(models::node_model_names()))
      ->check(CLI::IsMember(models::node_model_names()))
      ->capture_default_str();
  app.add_option("--weak", o.weak, "mowst: weak expert: " + joined(models::node_model_names()))
      ->check(CLI::IsMember(models::node_model_names()))
      ->capture_default_str();
  app.add_option("--gate", o.gate, "mowst: gate input: dispersion, features, hypernetwork")
      ->check(CLI::IsMember({"dispersion", "features", "hypernetwork"}))
      ->capture_default_str();
  app.add_option("--lr-gate", o.lr_gate, "mowst: the gate's learning rate")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--gate-dropout", o.gate_dropout,
                 "mowst: dropout of the gate's hidden layers (the reference's dropout_gate)")
      ->check(CLI::Range(0.0f, 0.99f))->capture_default_str();
  app.add_option("--pretrain", o.pretrain, "mowst: experts pretrained alone first: none, weak, "
                 "strong, both")
      ->check(CLI::IsMember({"none", "weak", "strong", "both"}))
      ->capture_default_str();
  app.add_option("--hidden", o.hidden, "hidden channels (gat: per head)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--layers", o.layers, "layers (convolutions)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--dropout", o.dropout, "dropout after each hidden layer, in [0, 1)")
      ->check(CLI::Range(0.0, 0.999))->capture_default_str();
  app.add_option("--input-dropout", o.input_dropout, "dropout on the input features, in [0, 1)")
      ->check(CLI::Range(0.0, 0.999))->capture_default_str();
  app.add_option("--norm", o.norm, "norm after each hidden layer: none, batch, layer")
      ->check(CLI::IsMember({"none", "batch", "layer"}))->capture_default_str();
  app.add_option("--heads", o.heads, "gat: attention heads of the hidden layers")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--output-heads", o.output_heads, "gat: heads of the last layer (averaged)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--attention-dropout", o.attention_dropout,
                 "gat: dropout on attention coefficients, in [0, 1)")
      ->check(CLI::Range(0.0, 0.999))->capture_default_str();
  app.add_option("--aggr", o.aggr, "sage: neighbour aggregation: mean, max, sum")
      ->check(CLI::IsMember({"mean", "max", "sum"}))->capture_default_str();
  app.add_option("--eps", o.eps, "gin: epsilon of the root term")->capture_default_str();
  app.add_flag("--train-eps", o.train_eps, "gin: learn epsilon");
}

void add_training_flags(CLI::App& app, AppOptions& o) {
  app.add_option("--lr", o.lr, "Adam learning rate, > 0")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--weight-decay", o.weight_decay, "L2 weight decay, >= 0")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--epochs", o.epochs, "maximum epochs")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--patience", o.patience,
                 "stop after this many epochs without validation improvement (0: never)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--monitor", o.monitor,
                 "validation quantity for model selection and early stopping: acc, loss, or "
                 "loss+acc (GAT's rule: best when acc >= and loss <= the best so far; patience "
                 "restarts when either holds)")
      ->check(CLI::IsMember({"acc", "loss", "loss+acc"}))->capture_default_str();
  app.add_option("--runs", o.runs, "repeated runs (seeds seed .. seed + runs - 1)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--batch-size", o.batch_size,
                 "training seeds per neighbour-sampled mini-batch (0: full batch)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--fanouts", o.fanouts,
                 "neighbours sampled per layer, input layer first (-1: all); one per layer")
      ->expected(1, 16)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  app.add_option("--threads", o.threads, "CPU threads (0: all)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--seed", o.seed, "seed of run 0 (model init, dropout, sampling, csbm graph)")
      ->capture_default_str();
  app.add_option("--device", o.device, "cpu, cuda or auto (auto: cuda when built with it and "
                                       "a GPU is present, else cpu)")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}))->capture_default_str();
}

void add_output_flags(CLI::App& app, AppOptions& o) {
  app.add_option("--save", o.save, "checkpoint file (safetensors), written every epoch");
  app.add_flag("--resume", o.resume, "continue each run from its --save checkpoint if present");
  app.add_option("--out", o.out, "write the results as JSON to this file (atomically)");
  app.add_option("--log", o.log, "write a JSON-lines training log (one line per epoch)");
  app.add_flag("--quiet,-q", o.quiet, "print only the results table");
}

}  // namespace

void add_flags(CLI::App& app, AppOptions& options) {
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.config_formatter(std::make_shared<JsonConfig>());
  app.set_config("--config", "", "read flags from a JSON file {\"flag\": value}; the command line "
                                 "overrides it");
  app.allow_config_extras(CLI::config_extras_mode::error);
  add_data_flags(app, options);
  add_model_flags(app, options);
  add_training_flags(app, options);
  add_output_flags(app, options);
}

void check_flags(const AppOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "--resume", !o.resume || !o.save.empty(),
                  "no checkpoint to resume from vs --save FILE; pass the file the first run saved");
  MOEGNN_CHECK_AS(InvalidArgument, "--fanouts",
                  o.batch_size == 0 || static_cast<int>(o.fanouts.size()) == o.layers, "got ",
                  o.fanouts.size(), " fanouts vs one per layer (--layers ", o.layers, ")");
}

nlohmann::json options_json(const AppOptions& o) {
  // Floats as their shortest decimal (0.01, not 0.009999999776).
  const auto f = [](float v) {
    std::ostringstream text;
    text << std::setprecision(7) << v;
    return std::stod(text.str());
  };
  return {{"dataset", o.dataset},
          {"data-dir", o.data_dir.string()},
          {"split", o.split},
          {"normalize-features", o.normalize_features},
          {"nodes", o.nodes},
          {"homophily", o.homophily},
          {"feature-signal", o.feature_signal},
          {"model", o.model},
          {"strong", o.strong},
          {"weak", o.weak},
          {"gate", o.gate},
          {"lr-gate", f(o.lr_gate)},
          {"gate-dropout", f(o.gate_dropout)},
          {"pretrain", o.pretrain},
          {"hidden", o.hidden},
          {"layers", o.layers},
          {"dropout", f(o.dropout)},
          {"input-dropout", f(o.input_dropout)},
          {"norm", o.norm},
          {"heads", o.heads},
          {"output-heads", o.output_heads},
          {"attention-dropout", f(o.attention_dropout)},
          {"aggr", o.aggr},
          {"eps", f(o.eps)},
          {"train-eps", o.train_eps},
          {"lr", f(o.lr)},
          {"weight-decay", f(o.weight_decay)},
          {"epochs", o.epochs},
          {"patience", o.patience},
          {"monitor", o.monitor},
          {"runs", o.runs},
          {"batch-size", o.batch_size},
          {"fanouts", o.fanouts},
          {"threads", o.threads},
          {"seed", o.seed},
          {"device", o.device}};
}

}  // namespace moegnn::apps
