// SPDX-License-Identifier: Apache-2.0
// GMoPE checkpoints (models/training/checkpoint.h) and feature alignment with standardisation.
#include "models/gmope/gmope_io.h"

#include <cmath>
#include <sstream>

#include "core/error.h"
#include "models/gmope/feature_alignment.h"
#include "models/training/checkpoint.h"

namespace moegnn::models {
namespace {

constexpr const char* kOptionsKey = "gmope.options";

std::string shape_text(const GmopeOptions& o) {
  std::ostringstream s;
  s << o.num_experts << " experts of width " << o.hidden_channels << " (d0 " << o.in_channels
    << ", prompt " << o.prompt_channels << ", " << o.num_layers << " layers, router input "
    << (o.router_input == RouterInput::Both ? "both" : "features") << ", gpf-basis " << o.gpf_basis
    << ")";
  return s.str();
}

bool same_shape(const GmopeOptions& a, const GmopeOptions& b) {
  return a.num_experts == b.num_experts && a.hidden_channels == b.hidden_channels &&
         a.in_channels == b.in_channels && a.prompt_channels == b.prompt_channels &&
         a.num_layers == b.num_layers && a.router_input == b.router_input &&
         a.router_hidden == b.router_hidden && a.gpf_basis == b.gpf_basis;
}

GmopeOptions options_of(const training::Checkpoint& c, const std::string& source) {
  MOEGNN_CHECK_AS(InvalidArgument, "read_gmope_options", c.has_metadata(kOptionsKey), "'", source,
                  "' has no '", kOptionsKey,
                  "' metadata vs a checkpoint written by moegnn-gmope pretrain");
  return read_options<GmopeOptions>(parse_model_config(c.metadata(kOptionsKey)), "gmope");
}

}  // namespace

Tensor align_features(const Tensor& x, const AlignOptions& o) {
  Tensor out = svd_align(x, o.d0, {.seed = o.seed});
  if (!o.standardize) return out;
  MatrixMap m = out.host();
  for (Index c = 0; c < m.cols(); ++c) {
    const double mean = m.col(c).cast<double>().mean();
    const double var = (m.col(c).cast<double>().array() - mean).square().mean();
    if (var <= 1e-12) {
      m.col(c).setZero();
      continue;
    }
    const auto inv = static_cast<float>(1.0 / std::sqrt(var));
    m.col(c) = (m.col(c).array() - static_cast<float>(mean)) * inv;
  }
  return out;
}

void save_gmope(const std::filesystem::path& path, Gmope& model,
                const std::map<std::string, std::string>& metadata) {
  training::Checkpoint c;
  for (Parameter* p : model.parameters()) c.add(p->name, p->value);
  for (const auto& [k, v] : metadata) c.set_metadata(k, v);
  c.set_metadata(kOptionsKey, format_model_config(write_options(model.options())));
  c.save(path);
}

GmopeOptions read_gmope_options(const std::filesystem::path& path) {
  return options_of(training::Checkpoint::load(path), path.string());
}

void load_gmope_into(const std::filesystem::path& path, Gmope& model) {
  const training::Checkpoint c = training::Checkpoint::load(path);
  const GmopeOptions stored = options_of(c, path.string());
  MOEGNN_CHECK_AS(InvalidArgument, "load_gmope_into", same_shape(stored, model.options()),
                  "checkpoint '", path.string(), "' has ", shape_text(stored), " vs the model's ",
                  shape_text(model.options()),
                  "; build the model with the checkpoint's options (load_gmope)");
  std::vector<std::pair<Parameter*, Tensor>> values;
  for (Parameter* p : model.parameters()) {
    MOEGNN_CHECK_AS(InvalidArgument, "load_gmope_into", c.contains(p->name), "checkpoint '",
                    path.string(), "' has no '", p->name, "' vs every parameter of the model");
    Tensor t = c.tensor(p->name);
    MOEGNN_CHECK_AS(InvalidArgument, "load_gmope_into", t.same_shape(p->value), "'", p->name,
                    "' is ", t.shape_string(), " in '", path.string(), "' vs ",
                    p->value.shape_string());
    values.emplace_back(p, std::move(t));
  }
  for (auto& [p, t] : values) p->value.copy_from(t);
  model.clear_cache();
}

std::unique_ptr<Gmope> load_gmope(const std::filesystem::path& path, const ModelConfig& overrides,
                                  Rng& rng) {
  const GmopeOptions stored = read_gmope_options(path);
  const GmopeOptions o = read_options<GmopeOptions>(overrides, "gmope", stored);
  MOEGNN_CHECK_AS(InvalidArgument, "load_gmope", same_shape(stored, o), "overrides give ",
                  shape_text(o), " vs the checkpoint's ", shape_text(stored));
  auto model = std::make_unique<Gmope>(o, rng);
  load_gmope_into(path, *model);
  return model;
}

}  // namespace moegnn::models
