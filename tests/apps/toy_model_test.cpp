// SPDX-License-Identifier: Apache-2.0
// A model written and registered in this file alone trains through moegnn-node-classification's own
// code path (flags, experiment, table): the "one folder, one registration line" claim of
// models/registry.h. Its option keys become flags and --model-config keys with no other change.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/ops/elementwise.h"
#include "layers/linear.h"
#include "layers/ops/spmm.h"
#include "models/registry.h"
#include "apps/node_classification/app.h"

namespace moegnn::apps {
namespace {

struct ToyOptions {
  Index in_channels = 0;
  Index out_channels = 0;
  Index width = 4;
  float scale = 1.0f;

  void fields(models::OptionFields& f) {
    f.field("width", width, "toy: hidden width", {1, 64});
    f.field("scale", scale, "toy: logit scale", {0.0, 100.0});
  }
};

// Mean of the neighbours' features, a hidden Linear + ReLU, an output Linear, scaled: one hop.
class Toy final : public models::NodeModel {
 public:
  using Options = ToyOptions;
  Toy(const ToyOptions& o, Rng& rng)
      : options_(o),
        lin0_({.in_channels = o.in_channels, .out_channels = o.width}, rng),
        lin1_({.in_channels = o.width, .out_channels = o.out_channels}, rng) {
    register_module("lin0", lin0_);
    register_module("lin1", lin1_);
  }
  graph::Csr prepare_graph(const graph::Csr& raw) const override { return raw; }
  Var forward_graph(Tape& tape, const graph::Csr& graph, Var x, Rng&) override {
    const Var h =
        ops::relu(tape, lin0_.forward(tape, ops::spmm(tape, graph, x, ops::Reduce::Mean)));
    return ops::mul_scalar(tape, lin1_.forward(tape, h), options_.scale);
  }
  Index num_hops() const override { return 1; }

 private:
  ToyOptions options_;
  layers::Linear lin0_;
  layers::Linear lin1_;
};

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

Outcome run_app(std::vector<const char*> args) {
  args.insert(args.begin(), "moegnn-node-classification");
  std::ostringstream out, err;
  const int status = node_classification_main(static_cast<int>(args.size()), args.data(), out, err);
  return {status, out.str(), err.str()};
}

void register_toy_once() {
  static const bool registered = [] {
    models::register_node_model(models::node_model_entry<Toy>("toy", "a model from a test file"));
    return true;
  }();
  (void)registered;
}

TEST(ToyModel, TrainsThroughTheAppCodePath) {
  register_toy_once();
  const Outcome r = run_app({"--model", "toy", "--width", "8", "--scale", "2", "--epochs", "40",
                             "--nodes", "300", "--threads", "2", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("model    toy: width 8, scale 2; 309 parameters"), std::string::npos)
      << r.out;  // 32·8 + 8 + 8·5 + 5
  const std::size_t at = r.out.find("test accuracy");
  ASSERT_NE(at, std::string::npos) << r.out;
  // The planted classes are learnable from the neighbourhood means: far above chance (20 %).
  EXPECT_GT(std::stod(r.out.substr(at + 13)), 50.0) << r.out;
}

TEST(ToyModel, ModelConfigSetsItsKeysAndOthersRejectThem) {
  register_toy_once();
  const Outcome r = run_app({"--model", "toy", "--model-config", "width=3", "--epochs", "2",
                             "--nodes", "300", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("toy: width 3, scale 1; 119 parameters"), std::string::npos) << r.out;
  const Outcome bad =
      run_app({"--model", "gcn", "--width", "8", "--epochs", "2", "--nodes", "300"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("error: gcn: unknown option 'width'"), std::string::npos) << bad.err;
  const Outcome typo = run_app({"--model", "toy", "--model-config", "widht=3", "--nodes", "300"});
  EXPECT_EQ(typo.status, 1);
  EXPECT_NE(typo.err.find("did you mean 'width'?"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace moegnn::apps
