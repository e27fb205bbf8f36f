// SPDX-License-Identifier: Apache-2.0
// Global pooling over the graphs of a batch: the segment ops with the batch's node offsets.
#include "layers/pooling.h"

#include "core/error.h"
#include "layers/ops/segment.h"

namespace moegnn::layers {

Var global_pool(Tape& tape, Pool pool, const graph::EdgeIds& ptr, Var x) {
  switch (pool) {
  case Pool::Sum:
    return ops::segment_sum(tape, ptr, x);
  case Pool::Mean:
    return ops::segment_mean(tape, ptr, x);
  case Pool::Max:
    return ops::segment_max(tape, ptr, x);
  }
  MOEGNN_FAIL(InvalidArgument, "global_pool", "unknown pool ", static_cast<int>(pool),
              " vs sum, mean or max");
}

Var global_add_pool(Tape& tape, const graph::EdgeIds& ptr, Var x) {
  return global_pool(tape, Pool::Sum, ptr, x);
}
Var global_mean_pool(Tape& tape, const graph::EdgeIds& ptr, Var x) {
  return global_pool(tape, Pool::Mean, ptr, x);
}
Var global_max_pool(Tape& tape, const graph::EdgeIds& ptr, Var x) {
  return global_pool(tape, Pool::Max, ptr, x);
}

Pool parse_pool(std::string_view name) {
  if (name == "sum" || name == "add") return Pool::Sum;
  if (name == "mean") return Pool::Mean;
  if (name == "max") return Pool::Max;
  MOEGNN_FAIL(InvalidArgument, "parse_pool", "pool '", name, "' vs one of sum, mean, max");
}

const char* to_string(Pool pool) {
  switch (pool) {
  case Pool::Sum:
    return "sum";
  case Pool::Mean:
    return "mean";
  case Pool::Max:
    return "max";
  }
  return "?";
}

}  // namespace moegnn::layers
