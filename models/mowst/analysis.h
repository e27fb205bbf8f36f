// SPDX-License-Identifier: Apache-2.0
// What a trained Mowst did: per-node confidence, the fraction of nodes routed to each expert, each
// expert's accuracy on the nodes routed to it, and a hand-written SVG with the confidence
// histogram and the training curves (no plotting dependency).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "models/mowst/mowst.h"
#include "models/mowst/train.h"

namespace moegnn::mowst {

struct MowstAnalysis {
  Tensor confidence;                  // num_nodes × 1, evaluation mode
  std::vector<std::uint8_t> to_weak;  // num_nodes: Mowst one routing draw; Mowst* C >= 0.5
  Index weak_count = 0;               // of the analysed rows, routed to the weak expert
  Index strong_count = 0;
  double fraction_weak = 0.0;           // weak_count / rows
  double expected_fraction_weak = 0.0;  // mean C over the rows
  double weak_accuracy = 0.0;           // weak expert on its routed rows (NaN when none)
  double strong_accuracy = 0.0;         // strong expert on its routed rows (NaN when none)
  double weak_alone_accuracy = 0.0;     // each expert on all the rows
  double strong_alone_accuracy = 0.0;
};

// Analyses `rows` (e.g. the test nodes) with one routing draw from `key`. Throws InvalidArgument
// on size mismatches or rows out of range.
MowstAnalysis analyse(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                      const IndexArray32& labels, const IndexArray32& rows, Variant variant,
                      std::uint64_t key);

// An SVG (two panels): the histogram of C over `rows` in `bins` bins, and the validation metric and
// training loss per epoch of `curve` (turn boundaries shaded). Throws InvalidArgument for bins < 1.
std::string analysis_svg(const MowstAnalysis& analysis, const IndexArray32& rows,
                         const std::vector<CurvePoint>& curve, const std::string& title,
                         Index bins = 20);

// "node,confidence,routed" lines (routed: weak or strong), one per node.
std::string confidence_csv(const MowstAnalysis& analysis);

// Writes `content` to `path` atomically (a temporary file in the same folder, then rename).
// Throws IoError when the file cannot be written.
void write_text_atomic(const std::filesystem::path& path, const std::string& content);

}  // namespace moegnn::mowst
