// SPDX-License-Identifier: Apache-2.0
// --preset: the settings shipped in configs/ (each a --config file that reproduces a paper's or a
// reference's setting), found by name or by what the run trains. The program treats the chosen
// file as --config, so flags on the command line still override it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace moegnn::apps {

// The folder of shipped configs: $MOEGNN_CONFIG_DIR, else share/moegnn/configs beside the
// installed program, else the source tree's configs/ this build came from. Throws
// InvalidArgument naming the three places when none exists.
std::filesystem::path config_dir();

// The config file of `preset`:
//  - "paper": the one config whose "dataset" and "model" keys equal `dataset` and `model` (and
//    whose "split" equals `split` when a split is given), e.g. configs/planetoid/gat-cora.json for
//    --dataset cora --model gat;
//  - otherwise a path under config_dir() without ".json" ("geom-gcn/texas-gcn").
// Throws InvalidArgument naming the preset, with the presets there are for the model or dataset,
// when none matches, and the candidates when "paper" matches several.
std::filesystem::path resolve_preset(const std::string& preset, const std::string& dataset,
                                     const std::string& model,
                                     const std::optional<std::string>& split);

}  // namespace moegnn::apps
