// SPDX-License-Identifier: Apache-2.0
// The consumer check of the installed package: builds a 3-node path graph as a Csr, aggregates node
// features with SpMM on a tape, sums them to a loss and runs backward. The loss and the gradient
// are compared with values worked out by hand; any difference (or exception) returns 1.
#include <cmath>
#include <cstdio>
#include <exception>

#include "core/config.h"
#include "core/ops/reduce.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/ops/spmm.h"

namespace {

bool near(float a, float b) { return std::fabs(a - b) <= 1e-5f * (1.0f + std::fabs(b)); }

// The path 0 - 1 - 2, both directions. Row i lists the sources of the edges that point at i.
moegnn::graph::Csr path_graph() {
  moegnn::graph::EdgeIds row_ptr{0, 1, 3, 4};
  moegnn::graph::NodeIds col_idx{1, 0, 2, 1};
  return moegnn::graph::Csr(3, 3, row_ptr, col_idx);
}

int run() {
  using namespace moegnn;
  const graph::Csr adj = path_graph();
  Parameter x(Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}}), "x");

  Tape tape;
  // y = A·x = [x1; x0 + x2; x1] = [3 4; 6 8; 3 4], so loss = Σ y = 28.
  Var y = ops::spmm(tape, adj, tape.param(x));
  Var loss = ops::sum(tape, y);
  tape.backward(loss);

  // d loss / d x[j, :] = number of rows that read node j = column sums of A: 1, 2, 1.
  const float expected_grad[3] = {1.0f, 2.0f, 1.0f};
  bool ok = near(loss.value().item(), 28.0f);
  const auto grad = x.grad.host();
  for (Index row = 0; row < 3; ++row)
    for (Index col = 0; col < 2; ++col) ok = ok && near(grad(row, col), expected_grad[row]);

  std::printf("moegnn %s consumer: loss %.1f (expected 28.0), gradient %s\n", build::kVersion,
              static_cast<double>(loss.value().item()), ok ? "matches" : "DIFFERS");
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
