// SPDX-License-Identifier: Apache-2.0
// ModelSnapshot: a copy of a module's parameters and buffers (layers/module.h: batch-norm running
// statistics), taken at the best validation epoch and restored at the end of training (model
// selection), and written to / read from checkpoints under the module's names
// ("<prefix><parameter name>", "<prefix><buffer name>"; PyTorch's state_dict names where the layers
// use them: "bn0.running_mean", "bn0.num_batches_tracked").
#pragma once

#include <string>
#include <vector>

#include "core/tape.h"
#include "layers/module.h"
#include "models/training/checkpoint.h"

namespace moegnn::training {

// Checkpoint keys of `params`: each parameter's name, or "param<i>" when it has none. Throws
// InvalidArgument on a null parameter or a repeated key.
std::vector<std::string> parameter_keys(const std::vector<Parameter*>& params);

class ModelSnapshot {
 public:
  ModelSnapshot() = default;  // empty: nothing captured

  // Copies (clones) the current parameters and buffers of `model`.
  static ModelSnapshot capture(layers::Module& model);
  // Copies the values back into the same module (parameters in place). Throws InvalidArgument,
  // changing nothing, when the counts or shapes differ.
  void restore(layers::Module& model) const;

  // Adds "<prefix><name>" entries (F32; counters as I64 scalars). `model` gives the names and must
  // be the module the snapshot was captured from.
  void write(Checkpoint& checkpoint, const std::string& prefix, layers::Module& model) const;
  // Reads what write() stored, checking every shape against `model`'s. Throws InvalidArgument when
  // an entry is missing or its shape differs.
  static ModelSnapshot read(const Checkpoint& checkpoint, const std::string& prefix,
                            layers::Module& model);

  bool empty() const { return params_.empty() && buffers_.empty(); }
  const std::vector<Tensor>& params() const { return params_; }

 private:
  struct Stored {
    Tensor tensor;  // a tensor buffer, or
    Index count = 0;  // a counter's value
  };
  std::vector<Tensor> params_;
  std::vector<Stored> buffers_;
};

}  // namespace moegnn::training
