// SPDX-License-Identifier: Apache-2.0
// The example README.md shows, as a program: builds a small graph with the builder, trains a
// 2-layer GCN on it with the tape and Adam, and checks that the loss fell and every node is
// classified right (returns 1 otherwise). Built by examples/consumer against the installed package,
// so the README's code is compiled and run in CI. The lines between the `readme` markers are the
// README's code block, verbatim (scripts/check_readme.sh compares them).
#include <cstdio>
#include <exception>
#include <vector>

#include "core/ops/elementwise.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "core/optim/adam.h"
#include "graph/builder.h"
#include "graph/normalize.h"
#include "layers/gcn_conv.h"

namespace {

int run() {
  using namespace moegnn;
  // [readme]
  // Two triangles joined by the edge 2-3, made undirected; Â = D^-1/2 (A + I) D^-1/2 as edge values.
  graph::NodeIds src{0, 1, 2, 3, 4, 5, 2}, dst{1, 2, 0, 4, 5, 3, 3};
  const graph::Csr adj =
      graph::gcn_norm(graph::from_coo(src, dst, {}, graph::BuildOptions{.symmetric = true}));
  const Tensor x = Tensor::from_rows({{1, 0}, {.9f, .1f}, {.6f, .4f}, {.4f, .6f}, {.1f, .9f}, {0, 1}});
  const IndexArray32 labels{0, 0, 0, 1, 1, 1};

  Rng rng(7);  // seeds the Glorot initialisation
  layers::GCNConv conv1({.in_channels = 2, .out_channels = 16}, rng);
  layers::GCNConv conv2({.in_channels = 16, .out_channels = 2}, rng);
  std::vector<Parameter*> params = conv1.parameters();
  for (Parameter* p : conv2.parameters()) params.push_back(p);
  optim::Adam adam({{.params = params, .lr = 0.05f}});

  std::vector<float> losses;
  for (int epoch = 0; epoch < 50; ++epoch) {
    Tape tape;  // one tape per step
    Var h = ops::relu(tape, conv1.forward(tape, adj, tape.constant(x)));
    Var loss = ops::cross_entropy(tape, conv2.forward(tape, adj, h), labels);
    adam.zero_grad();
    tape.backward(loss);  // fills each Parameter's grad
    adam.step();
    losses.push_back(loss.value().item());
  }
  // [/readme]

  Tape eval(Tape::Mode::Inference);
  Var h = ops::relu(eval, conv1.forward(eval, adj, eval.constant(x)));
  const IndexArray32 predicted = ops::argmax_rows(conv2.forward(eval, adj, h).value());
  int correct = 0;
  for (Index i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i] ? 1 : 0;
  const bool ok = losses.back() < 0.5f * losses.front() && correct == labels.size();
  std::printf("readme example: loss %.4f -> %.4f over %zu Adam steps, %d/%lld nodes right: %s\n",
              static_cast<double>(losses.front()), static_cast<double>(losses.back()),
              losses.size(), correct, static_cast<long long>(labels.size()),
              ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}
