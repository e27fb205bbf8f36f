// SPDX-License-Identifier: Apache-2.0
// Shared pieces of the training tests: a temporary folder, a scripted fake model whose validation
// curve the test dictates, a two-layer GraphSAGE model that runs on sampled blocks or the whole
// graph, a small CSBM node-classification problem, and bitwise parameter comparison.
#pragma once

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/ops/elementwise.h"
#include "core/ops/nn.h"
#include "graph/block.h"
#include "datasets/csbm.h"
#include "layers/module.h"
#include "layers/sage_conv.h"
#include "models/training/options.h"

namespace moegnn::test {

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        std::filesystem::temp_directory_path() /
        ("moegnn_" + std::string(info ? info->name() : "test") + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// logits = W (num_nodes × 2) in training mode, so the optimizer changes W every epoch; in
// evaluation mode the logits follow a script: at evaluation e (1-based), validation node i
// (label 0) gets (margin_e, 0) when i < correct_e and (0, 1) otherwise. The validation accuracy of
// epoch e is correct_e / num_val and its loss falls as margin_e grows.
class ScriptedModel final : public layers::Module {
 public:
  ScriptedModel(Index num_nodes, std::vector<Index> correct, std::vector<float> margin)
      : weight_(Tensor::zeros(num_nodes, 2), "weight"),
        correct_(std::move(correct)),
        margin_(std::move(margin)) {
    register_parameter("weight", weight_);
  }
  Var forward(Tape& tape) {
    if (training()) return tape.param(weight_);
    const auto e = static_cast<std::size_t>(evaluations_++);
    Tensor logits = Tensor::zeros(weight_.value.rows(), 2);
    for (Index i = 0; i < logits.rows(); ++i) {
      if (i < correct_.at(e))
        logits.host()(i, 0) = margin_.at(e);
      else
        logits.host()(i, 1) = 1.0f;
    }
    return tape.constant(logits);
  }
  Parameter& weight() { return weight_; }

 private:
  Parameter weight_;
  std::vector<Index> correct_;
  std::vector<float> margin_;
  Index evaluations_ = 0;
};

// Two SAGEConv (mean) layers, ReLU and dropout between: runs on blocks (sampled training) or on
// the whole graph given twice (full-batch reference).
class BlockSage final : public layers::Module {
 public:
  BlockSage(Index in, Index hidden, Index out, float dropout, Rng& rng)
      : conv0_({.in_channels = in, .out_channels = hidden}, rng),
        conv1_({.in_channels = hidden, .out_channels = out}, rng),
        dropout_(dropout) {
    register_module("conv0", conv0_);
    register_module("conv1", conv1_);
  }
  Var forward(Tape& tape, const graph::Csr& g0, const graph::Csr& g1, Var x, Rng& rng) {
    Var h = ops::relu(tape, conv0_.forward(tape, g0, x));
    h = ops::dropout(tape, h, dropout_, rng, training());
    return conv1_.forward(tape, g1, h);
  }
  Var forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng) {
    return forward(tape, blocks.at(0).adj, blocks.at(1).adj, x, rng);
  }
  training::BlockForwardFn block_fn() {
    return [this](Tape& t, const std::vector<graph::Block>& b, Var x, Rng& r) {
      return forward_blocks(t, b, x, r);
    };
  }

 private:
  layers::SAGEConv conv0_;
  layers::SAGEConv conv1_;
  float dropout_;
};

// 600 nodes, 3 classes, homophily 0.85: structure helps, features alone are weaker.
inline datasets::NodeDataset small_csbm(Index num_nodes = 600) {
  return datasets::csbm({.num_nodes = num_nodes,
                         .num_classes = 3,
                         .num_features = 8,
                         .avg_degree = 8.0,
                         .homophily = 0.85,
                         .feature_signal = 1.0,
                         .seed = 17});
}

inline training::LabeledSplit split_of(const datasets::NodeDataset& d) {
  return {{d.train, d.val, d.test}, d.labels};
}

// Every parameter equal bit for bit.
inline ::testing::AssertionResult bitwise_equal(const std::vector<Parameter*>& a,
                                                const std::vector<Parameter*>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "parameter counts differ";
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Tensor& x = a[i]->value;
    const Tensor& y = b[i]->value;
    if (!x.same_shape(y) ||
        std::memcmp(x.data(), y.data(), static_cast<std::size_t>(x.size()) * sizeof(float)) != 0)
      return ::testing::AssertionFailure() << "parameter " << a[i]->name << " differs";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace moegnn::test
