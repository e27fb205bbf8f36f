// SPDX-License-Identifier: Apache-2.0
// CSV readers for numeric tables as OGB ships them (raw/edge.csv.gz, node-feat.csv.gz, ...): one
// delimiter character, no quoting, an optional header line, LF or CRLF line ends, plain or gzip
// input (detected by its magic bytes). Files are streamed in large blocks (gzread for both kinds);
// each block is cut at newlines into pieces that are parsed in parallel with std::from_chars and
// concatenated in file order, so the result is the same on any thread count. Every line must have
// the same number of fields; a bad field throws IoError with the file, line and column.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/tensor.h"
#include "datasets/io/int64_table.h"

namespace moegnn::datasets::io {

struct CsvOptions {
  char delimiter = ',';
  bool header = false;  // skip the first line
  Index num_cols = 0;   // expected fields per line; 0: from the first line
  std::size_t block_bytes = std::size_t{32} << 20;  // text decompressed and parsed per step
  // Limit on the text a gzip file may inflate to; 0: io::default_inflate_limit(file size).
  std::size_t max_bytes = 0;
};

// Parses CSV text held in memory; `source` names it in messages. Throws IoError on a non-numeric or
// out-of-range field, a wrong number of fields, or an empty line.
Int64Table parse_csv_int64(std::string_view text, const std::string& source,
                           const CsvOptions& options = {});
// As parse_csv_int64, into a rows × cols float32 Tensor (values beyond float32's range throw).
Tensor parse_csv_float(std::string_view text, const std::string& source,
                       const CsvOptions& options = {});

// Reads `path` (plain or gzip), streaming. Throws IoError as above, for a path that is not a
// regular file, unreadable files, corrupt or truncated gzip data, and gzip data that inflates
// past CsvOptions::max_bytes.
Int64Table read_csv_int64(const std::filesystem::path& path, const CsvOptions& options = {});
Tensor read_csv_float(const std::filesystem::path& path, const CsvOptions& options = {});

}  // namespace moegnn::datasets::io
