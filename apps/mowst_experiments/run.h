// SPDX-License-Identifier: Apache-2.0
// The rows of moegnn-mowst-experiments' table: MLP, GCN, SAGE and Mowst / Mowst* with GCN and SAGE
// strong experts on one dataset (a registry name read without downloading, or csbm:<homophily>),
// each cell the setting with the best mean validation score (test accuracy chooses nothing).
#pragma once

#include <string>

#include "apps/mowst_experiments/options.h"

namespace moegnn::apps {

// The markdown header and separator lines, each ending in a newline.
std::string table_header();

// The markdown row of `name` (no newline). Each setting's result and time go to stderr as it
// finishes. Throws InvalidArgument for a bad csbm spec, IoError from the loaders.
std::string dataset_row(const std::string& name, const ExperimentOptions& options);

}  // namespace moegnn::apps
