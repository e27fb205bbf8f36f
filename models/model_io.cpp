// SPDX-License-Identifier: Apache-2.0
// save_model, load_model, load_node_model and predict.
#include "models/model_io.h"

#include <string>

#include "core/error.h"
#include "models/registry.h"
#include "models/training/checkpoint.h"
#include "models/training/model_state.h"

namespace moegnn::models {
namespace {

constexpr const char* kFormat = "moegnn.model.v1";

Index count_of(const training::Checkpoint& c, const char* key) {
  try {
    return std::stoll(c.metadata(key));
  } catch (const std::exception&) {
    MOEGNN_FAIL(IoError, "load_node_model", "metadata '", key,
                "' is missing or not a number vs "
                "what save_model writes");
  }
}

}  // namespace

void save_model(NodeModel& model, const std::filesystem::path& path) {
  training::Checkpoint c;
  training::ModelSnapshot::capture(model).write(c, "", model);
  c.set_metadata("format", kFormat);
  const NodeModel::Origin& o = model.origin();
  if (!o.name.empty()) {
    c.set_metadata("moegnn.model", o.name);
    c.set_metadata("moegnn.config", format_model_config(o.config));
    c.set_metadata("moegnn.in_channels", std::to_string(o.in_channels));
    c.set_metadata("moegnn.out_channels", std::to_string(o.out_channels));
  }
  c.save(path);
}

void load_model(NodeModel& model, const std::filesystem::path& path) {
  const training::Checkpoint c = training::Checkpoint::load(path);
  MOEGNN_CHECK_AS(InvalidArgument, "load_model",
                  c.has_metadata("format") && c.metadata("format") == kFormat, path.string(),
                  ": metadata 'format' is '", c.has_metadata("format") ? c.metadata("format") : "",
                  "' vs '", kFormat, "'; write the file with save_model");
  const NodeModel::Origin& o = model.origin();
  MOEGNN_CHECK_AS(
      InvalidArgument, "load_model",
      o.name.empty() || !c.has_metadata("moegnn.model") || c.metadata("moegnn.model") == o.name,
      path.string(), " holds a '", c.metadata("moegnn.model"), "' model vs '", o.name, "'");
  training::ModelSnapshot::read(c, "", model).restore(model);
}

std::unique_ptr<NodeModel> load_node_model(const std::filesystem::path& path) {
  const training::Checkpoint c = training::Checkpoint::load(path);
  MOEGNN_CHECK_AS(InvalidArgument, "load_node_model", c.has_metadata("moegnn.model"), path.string(),
                  " records no model name vs a file save_model wrote for a model "
                  "the registry built; build the model yourself and call load_model");
  const NodeModelShape shape{count_of(c, "moegnn.in_channels"), count_of(c, "moegnn.out_channels")};
  Rng rng(0);  // the weights come from the file
  std::unique_ptr<NodeModel> model = make_node_model(
      c.metadata("moegnn.model"),
      parse_model_config(c.has_metadata("moegnn.config") ? c.metadata("moegnn.config") : ""), shape,
      rng);
  training::ModelSnapshot::read(c, "", *model).restore(*model);
  return model;
}

Tensor predict(NodeModel& model, const graph::Csr& raw, const Tensor& x) {
  const bool was_training = model.training();
  model.eval();
  struct Restore {
    NodeModel& m;
    bool on;
    ~Restore() { m.train(on); }
  } restore{model, was_training};
  const PreparedGraph graph = model.prepare(raw).to(x.device());
  Tape tape(Tape::Mode::Inference);
  Rng unused(0);  // evaluation mode draws no dropout masks
  return model.forward(tape, graph, tape.constant(x), unused).value();
}

}  // namespace moegnn::models
