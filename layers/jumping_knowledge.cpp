// SPDX-License-Identifier: Apache-2.0
// JumpingKnowledge: concatenation through ops::concat_cols, and an elementwise max over the layer
// outputs that keeps the winning layer of every element for its backward rule.
#include "layers/jumping_knowledge.h"

#include <cmath>

#include "core/error.h"
#include "core/index_array.h"
#include "core/ops/shape.h"
#include "core/parallel.h"
#include "layers/detail/message_passing.h"

namespace moegnn::layers {
namespace {

Var elementwise_max(Tape& tape, const std::vector<Var>& xs) {
  const Tensor& first = xs.front().value();
  for (std::size_t l = 0; l < xs.size(); ++l) {
    detail::require_cpu("JumpingKnowledge::forward", xs[l].value().device());
    MOEGNN_CHECK_AS(InvalidArgument, "JumpingKnowledge::forward", xs[l].value().same_shape(first),
                    "xs[", l, "] has shape ", xs[l].value().shape_string(), " vs xs[0] ",
                    first.shape_string(), " (max needs equal shapes)");
  }
  Tensor out = first.clone();
  IndexArray32 winner(first.size());
  float* o = out.data();
  std::int32_t* w = winner.data();
  parallel_for_range(
      0, first.size(),
      [&](Index lo, Index hi) {
        for (Index i = lo; i < hi; ++i) w[i] = 0;
        for (std::size_t l = 1; l < xs.size(); ++l) {
          const float* x = xs[l].value().data();
          for (Index i = lo; i < hi; ++i) {
            // NaN propagates: a NaN best stays, a NaN challenger wins.
            if (x[i] > o[i] || (std::isnan(x[i]) && !std::isnan(o[i]))) {
              o[i] = x[i];
              w[i] = static_cast<std::int32_t>(l);
            }
          }
        }
      },
      1 << 14);
  return tape.record(out, xs, [winner](Tape::Step& s) {
    const float* g = s.grad_out.data();
    const std::int32_t* w = winner.data();
    for (std::size_t l = 0; l < s.grad_in.size(); ++l) {
      if (s.grad_in[l] == nullptr) continue;
      float* d = s.grad_in[l]->data();
      const auto layer = static_cast<std::int32_t>(l);
      parallel_for_range(
          0, s.grad_out.size(),
          [&](Index lo, Index hi) {
            for (Index i = lo; i < hi; ++i)
              if (w[i] == layer) d[i] += g[i];
          },
          1 << 14);
    }
  });
}

}  // namespace

Var JumpingKnowledge::forward(Tape& tape, const std::vector<Var>& xs) {
  MOEGNN_CHECK_AS(InvalidArgument, "JumpingKnowledge::forward", !xs.empty(),
                  "xs has 0 layer outputs vs >= 1");
  switch (options_.mode) {
  case JumpingKnowledgeOptions::Mode::Cat:
    return ops::concat_cols(tape, xs);
  case JumpingKnowledgeOptions::Mode::Max:
    return elementwise_max(tape, xs);
  }
  MOEGNN_FAIL(InvalidArgument, "JumpingKnowledge::forward", "unknown mode ",
              static_cast<int>(options_.mode), " vs Cat or Max");
}

Index JumpingKnowledge::out_channels(const std::vector<Index>& channels) const {
  MOEGNN_CHECK_AS(InvalidArgument, "JumpingKnowledge::out_channels", !channels.empty(),
                  "channels has 0 entries vs >= 1");
  Index total = 0;
  for (std::size_t l = 0; l < channels.size(); ++l) {
    if (options_.mode == JumpingKnowledgeOptions::Mode::Max)
      MOEGNN_CHECK_AS(InvalidArgument, "JumpingKnowledge::out_channels", channels[l] == channels[0],
                      "channels[", l, "] is ", channels[l], " vs channels[0] = ", channels[0],
                      " (max needs equal widths)");
    total += channels[l];
  }
  return options_.mode == JumpingKnowledgeOptions::Mode::Cat ? total : channels[0];
}

}  // namespace moegnn::layers
