// SPDX-License-Identifier: Apache-2.0
// GMoPE checkpoints and data preparation: a pretrained model as a safetensors file (every
// parameter by its registered name, the options as metadata "gmope.options"), loaded for any
// target; a checkpoint whose experts differ in count or shape from the model it is loaded into is
// refused naming both. align_features() is the SVD alignment (feature_alignment.h) plus an
// optional column standardisation ([PROPOSAL]: graphs from different domains then enter at one
// scale), so a target of any feature width enters the pretrained model with d0 columns.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "models/gmope/gmope.h"

namespace moegnn::models {

struct AlignOptions {
  Index d0 = 32;
  bool standardize = true;  // zero mean, unit variance per aligned column (all-zero columns stay)
  std::uint64_t seed = 1;
};

// N × d0 aligned features of x (N × F, any F >= 1). Throws InvalidArgument as svd_align.
Tensor align_features(const Tensor& x, const AlignOptions& options);

// Writes model's parameters and options (plus `metadata`, e.g. the pretraining sources)
// atomically. Throws IoError when the file cannot be written.
void save_gmope(const std::filesystem::path& path, Gmope& model,
                const std::map<std::string, std::string>& metadata = {});

// The options stored in a GMoPE checkpoint. Throws IoError for an unreadable file,
// InvalidArgument when it is not a GMoPE checkpoint.
GmopeOptions read_gmope_options(const std::filesystem::path& path);

// Loads the parameters into `model`. Throws InvalidArgument, changing nothing, when the
// checkpoint's expert count, width, d0, prompt width, depth or router input differ from the
// model's (naming both), or an entry is missing or of another shape.
void load_gmope_into(const std::filesystem::path& path, Gmope& model);

// A model built from the checkpoint's options with `overrides` (e.g. feature-prompt=gpf,
// dropout=0.5) applied, then loaded. Throws as read_gmope_options and load_gmope_into, and
// InvalidArgument for an override that changes the experts' shape.
std::unique_ptr<Gmope> load_gmope(const std::filesystem::path& path, const ModelConfig& overrides,
                                  Rng& rng);

}  // namespace moegnn::models
