// SPDX-License-Identifier: Apache-2.0
// ModelSnapshot: a copy of a model's trainable parameters and batch-norm running statistics, taken
// at the best validation epoch and restored at the end of training (model selection), and written
// to / read from checkpoints under stable names ("<prefix><parameter name>",
// "<prefix><bn name>running_mean", ...; PyTorch's state_dict names where the layers use them).
#pragma once

#include <string>
#include <vector>

#include "core/tape.h"
#include "layers/batch_norm.h"
#include "models/checkpoint.h"
#include "models/training/options.h"

namespace moegnn::training {

// The refs of `layers`, named after each layer's weight parameter ("bn0.weight" -> "bn0."), or
// "bn<i>." when the parameter has no prefix.
std::vector<BatchNormRef> batch_norm_refs(std::vector<layers::BatchNorm>& layers);

// Checkpoint keys of `params`: each parameter's name, or "param<i>" when it has none. Throws
// InvalidArgument on a null parameter or a repeated key.
std::vector<std::string> parameter_keys(const std::vector<Parameter*>& params);

class ModelSnapshot {
 public:
  ModelSnapshot() = default;  // empty: nothing captured

  // Copies (clones) the current values. Throws InvalidArgument on a null parameter or stats.
  static ModelSnapshot capture(const std::vector<Parameter*>& params,
                               const std::vector<BatchNormRef>& batch_norms);
  // Copies the values back into the same parameters (in place) and stats. Throws
  // InvalidArgument, changing nothing, when the counts or shapes differ.
  void restore(const std::vector<Parameter*>& params,
               const std::vector<BatchNormRef>& batch_norms) const;

  // Adds "<prefix><key>" entries (F32; num_batches_tracked as an I64 scalar). `params` gives the
  // keys and must be the list the snapshot was captured from.
  void write(models::Checkpoint& checkpoint, const std::string& prefix,
             const std::vector<Parameter*>& params,
             const std::vector<BatchNormRef>& batch_norms) const;
  // Reads what write() stored, checking every shape against the current parameters and stats.
  // Throws InvalidArgument when an entry is missing or its shape differs.
  static ModelSnapshot read(const models::Checkpoint& checkpoint, const std::string& prefix,
                            const std::vector<Parameter*>& params,
                            const std::vector<BatchNormRef>& batch_norms);

  bool empty() const { return params_.empty() && batch_norms_.empty(); }
  const std::vector<Tensor>& params() const { return params_; }
  const std::vector<ops::BatchNormStats>& batch_norms() const { return batch_norms_; }

 private:
  std::vector<Tensor> params_;
  std::vector<ops::BatchNormStats> batch_norms_;
};

}  // namespace moegnn::training
