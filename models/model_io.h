// SPDX-License-Identifier: Apache-2.0
// A trained node model in one line each, as torch.save / torch.load / model.eval() give it in
// PyTorch: save_model writes the parameters, the buffers (batch-norm statistics) and, for a model
// the registry built, its name, options and widths to one safetensors file (atomically);
// load_model reads them back into a model of the same kind; load_node_model rebuilds the model from
// the file alone; predict runs a model on a raw graph in evaluation mode, preparing the graph and
// needing no Rng.
#pragma once

#include <filesystem>
#include <memory>

#include "core/tensor.h"
#include "graph/csr.h"
#include "models/node/node_model.h"

namespace moegnn::models {

// Writes `model` to `path` (safetensors: "<parameter or buffer name>" entries and the metadata
// "moegnn.model" = name, "moegnn.config" = key=value options, "moegnn.in_channels",
// "moegnn.out_channels"). Throws IoError when the file cannot be written.
void save_model(NodeModel& model, const std::filesystem::path& path);

// Reads a file save_model wrote into `model`, checking every name and shape first (nothing
// changes on error). Throws IoError for an unreadable or corrupt file, InvalidArgument for a file
// of another model (naming the missing entry or the shapes that differ).
void load_model(NodeModel& model, const std::filesystem::path& path);

// The model saved in `path`, rebuilt through the registry from its recorded name, options and
// widths, with the saved weights. Throws IoError as load_model, InvalidArgument for a file without
// the record (a model that was not built by the registry) or a name no longer registered.
std::unique_ptr<NodeModel> load_node_model(const std::filesystem::path& path);

// Logits (num_nodes × out_channels) of `model` on `raw` (the dataset's graph; prepared here) with
// features x, in evaluation mode (restored afterwards); no dropout, so no Rng. Throws as
// model.prepare and model.forward.
Tensor predict(NodeModel& model, const graph::Csr& raw, const Tensor& x);

}  // namespace moegnn::models
