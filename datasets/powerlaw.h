// SPDX-License-Identifier: Apache-2.0
// Power-law node-classification data at any scale, for benchmarks and out-of-core runs: an R-MAT
// graph (graph/generators.h; symmetric, no self-loops, hubs scrambled over the ids), uniform random
// labels, and class-dependent Gaussian features x_i = mu_{y_i} + N(0, I) in float32, where each
// class mean is a random direction of norm feature_signal. Every feature row is drawn from its own
// counter-based stream (Rng::bits(key, row)), so rows can be made in any order and chunking: the
// in-memory form and the files written chunk by chunk hold the same bytes, for any chunk size and
// thread count. The labels are independent of the graph (edge homophily about 1 / num_classes); the
// signal is in the features.
//
// On disk (write_powerlaw), a directory of five files:
//   graph.bin     the graph in graph/io.h's format (CRC-32 checked, memory-mapped on load)
//   features.npy  float32 '<f4', shape (num_nodes, num_features), C order, data at a 64-byte offset
//   labels.npy    int32 '<i4', shape (num_nodes,)
//   split.npy     int8 '|i1', shape (num_nodes,): 0 train, 1 validation, 2 test
//   manifest.npy  int64 '<i8', shape (8,): format version, num_nodes, num_features, num_classes,
//                 num_edges, seed, CRC-32 of features.npy, CRC-32 of labels.npy then split.npy
// Each file is written to a temporary name, fsynced and renamed. The manifest is removed first and
// written last, so a directory whose writing was interrupted has no manifest and is rejected.
//
// Memory bound of write_powerlaw: the graph is built in memory first (graph::rmat: about 16 bytes
// per drawn edge plus the Csr) and released once written; the features then take one chunk of
// chunk_rows × num_features × 4 bytes, plus num_classes × num_features × 4 bytes of class means and
// 5 bytes per node of labels and split. Features are never held whole, so they may exceed memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct PowerlawOptions {
  Index num_nodes = 0;
  double avg_degree = 16.0;  // R-MAT edges drawn: round(num_nodes · avg_degree / 2)
  double a = 0.57;           // R-MAT quadrant probabilities (Graph500's); d = 1 - a - b - c
  double b = 0.19;
  double c = 0.19;
  Index num_classes = 8;
  Index num_features = 64;
  double feature_signal = 1.0;  // norm of each class mean; the noise is N(0, 1) per feature
  double train_fraction = 0.6;  // random split of the node ids; the rest after val is test
  double val_fraction = 0.2;
  // Feature rows per chunk written by write_powerlaw; 0 picks as many rows as fit in
  // kPowerlawDefaultChunkBytes (at least one). The in-memory form ignores it.
  Index chunk_rows = 0;
  std::uint64_t seed = 1;
};

inline constexpr std::size_t kPowerlawDefaultChunkBytes = std::size_t{64} << 20;
inline constexpr std::int64_t kPowerlawFormatVersion = 1;

// Throws InvalidArgument on num_nodes outside [2, 2^31), avg_degree outside [0, num_nodes - 1],
// R-MAT probabilities that are negative or sum past 1, num_classes outside [1, num_nodes],
// num_features < 1, num_nodes · num_features · 4 bytes past 2^62, a negative or non-finite
// feature_signal, a negative chunk_rows, or split fractions outside [0, 1] or summing past 1.
void check(const PowerlawOptions& options);

// The whole dataset in memory (features num_nodes × num_features). Throws as check(options).
NodeDataset powerlaw(const PowerlawOptions& options);

// Feature rows per chunk that write_powerlaw uses: chunk_rows when set (at most num_nodes), else as
// many rows as fit in kPowerlawDefaultChunkBytes, at least one. Throws as check(options).
Index powerlaw_chunk_rows(const PowerlawOptions& options);

// What write_powerlaw did, so callers (and tests) can see the memory bound it kept.
struct PowerlawWriteStats {
  Index chunk_rows = 0;                  // feature rows generated and written per chunk
  Index num_chunks = 0;                  // ceil(num_nodes / chunk_rows)
  std::size_t feature_buffer_bytes = 0;  // the one feature buffer: chunk_rows × num_features × 4
  graph::EdgeId num_edges = 0;           // stored entries of the graph
};

// Writes the dataset powerlaw(options) would return into `directory` (created if missing; files of
// an earlier run there are replaced, and temporaries a killed run left behind are removed),
// streaming the features chunk by chunk. The same options give
// byte-identical files whatever chunk_rows is. Throws as check(options), and IoError naming the
// file when one cannot be written.
PowerlawWriteStats write_powerlaw(const PowerlawOptions& options,
                                  const std::filesystem::path& directory);

// Reads a directory written by write_powerlaw. The graph is memory-mapped; the features are too
// when features.npy has the header write_powerlaw writes (otherwise, e.g. after np.save, the file
// is read and converted to float32). verify_checksum: the CRC-32s of the graph and of the .npy
// files against the manifest (a full read of each file). Throws IoError naming the file for a
// missing manifest (an incomplete directory), another format version, a missing, truncated or
// corrupt file, or files that disagree with the manifest or with each other. The mapped arrays see
// the files: replace them by rename (as write_powerlaw does), never rewrite them in place while a
// loaded dataset is alive.
NodeDataset load_powerlaw(const std::filesystem::path& directory, bool verify_checksum = true);

}  // namespace moegnn::datasets
