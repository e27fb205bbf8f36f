// SPDX-License-Identifier: Apache-2.0
// Fuzz target: text tables (tab, '|', '::' and blank separators), typed fields and field lists.
#include "datasets/io/text_table.h"

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moegnn::datasets::io;
  if (size == 0) return 0;
  const char* separators[] = {"\t", "|", "::", ""};
  TableOptions options;
  options.separator = separators[data[0] & 3];
  options.skip_lines = (data[0] >> 2) & 1;
  const std::string_view text = moegnn::fuzz::as_text(data + 1, size - 1);
  moegnn::fuzz::expect_only_io_errors([&] { parse_int_table(text, "fuzz.txt", options); });
  TextLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const TextFields fields(line, options.separator, "fuzz.txt", lines.line_number());
    latin1_to_utf8(line);
    moegnn::fuzz::expect_only_io_errors([&] {
      fields.get<double>(0);
      fields.get_list<float>(1, ',');
      fields.get<std::int32_t>(2);
    });
  }
  return 0;
}
