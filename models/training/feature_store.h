// SPDX-License-Identifier: Apache-2.0
// FeatureStore: where a sampled batch's input rows come from. Training asks for the rows of the
// nodes a batch touches (gather); full-graph evaluation asks for every row (all). The store is in
// memory here; an out-of-core store reads the same rows from disk behind the same two calls, so
// the trainer and the batch sources do not change with it.
#pragma once

#include "core/index_array.h"
#include "core/tensor.h"

namespace moegnn::training {

class FeatureStore {
 public:
  virtual ~FeatureStore() = default;
  virtual Index num_rows() const = 0;
  virtual Index num_cols() const = 0;
  // Rows `ids`, in order -> ids.size() × num_cols(). Throws InvalidArgument for an id outside
  // [0, num_rows()).
  virtual Tensor gather(const IndexArray32& ids) const = 0;
  // Every row, num_rows() × num_cols() (full-graph evaluation).
  virtual Tensor all() const = 0;
};

// The features as one tensor in memory (CPU or GPU).
class InMemoryFeatures final : public FeatureStore {
 public:
  explicit InMemoryFeatures(Tensor x) : x_(std::move(x)) {}
  Index num_rows() const override { return x_.rows(); }
  Index num_cols() const override { return x_.cols(); }
  Tensor gather(const IndexArray32& ids) const override;
  Tensor all() const override { return x_; }

 private:
  Tensor x_;
};

}  // namespace moegnn::training
