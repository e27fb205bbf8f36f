// SPDX-License-Identifier: Apache-2.0
// Node-classification metrics.
#include "models/training/metrics.h"

#include "core/error.h"
#include "core/ops/reduce.h"

namespace moegnn::training {

double accuracy(const IndexArray32& predictions, const IndexArray32& labels,
                const IndexArray32& rows) {
  MOEGNN_CHECK(predictions.size() == labels.size(), "predictions have ", predictions.size(),
               " entries vs ", labels.size(), " labels");
  if (rows.empty()) return 0.0;
  const auto pred = predictions.host();
  const auto truth = labels.host();
  Index correct = 0;
  for (const std::int32_t row : rows.host()) {
    MOEGNN_CHECK(row >= 0 && row < labels.size(), "row id ", row, " out of range vs [0, ",
                 labels.size(), ")");
    correct += pred[static_cast<std::size_t>(row)] == truth[static_cast<std::size_t>(row)] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(rows.size());
}

double accuracy(const Tensor& logits, const IndexArray32& labels, const IndexArray32& rows) {
  MOEGNN_CHECK(logits.rows() == labels.size(), "logits have ", logits.rows(), " rows vs ",
               labels.size(), " labels");
  return accuracy(ops::argmax_rows(logits), labels, rows);
}

}  // namespace moegnn::training
