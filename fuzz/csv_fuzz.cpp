// SPDX-License-Identifier: Apache-2.0
// Fuzz target: CSV parsing (int64 and float32, with and without a header, several delimiters),
// after gunzip when the input carries the gzip magic. The first byte picks the options.
#include "datasets/io/csv.h"
#include "datasets/io/file.h"

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moegnn::datasets::io;
  if (size == 0) return 0;
  CsvOptions options;
  options.delimiter = ",\t; "[data[0] & 3];
  options.header = (data[0] & 4) != 0;
  options.num_cols = (data[0] >> 4) & 3;
  const bool floats = (data[0] & 8) != 0;
  std::string_view text = moegnn::fuzz::as_text(data + 1, size - 1);
  std::string inflated;
  moegnn::fuzz::expect_only_io_errors([&] {
    if (is_gzip(text)) {
      inflated = gunzip(text, "fuzz.csv.gz", std::size_t{1} << 24);
      text = inflated;
    }
    if (floats)
      parse_csv_float(text, "fuzz.csv", options);
    else
      parse_csv_int64(text, "fuzz.csv", options);
  });
  return 0;
}
