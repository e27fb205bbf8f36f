// SPDX-License-Identifier: Apache-2.0
// Fuzz target: MAT-file parsing (datasets/io/mat.h: the structural walk, then libmatio) and the
// conversions of every variable, nested cell and struct elements included. libmatio is the Debian
// build (not instrumented). v7.3 inputs stop at Unsupported (MatOptions::allow_v73 is off): HDF5
// 1.10 overflows its heap on corrupt files within a minute of fuzzing.
#include "datasets/io/mat.h"

#include "fuzz/fuzz_util.h"

namespace {

using namespace moegnn::datasets::io;

void touch(const MatArray& a) {
  if (a.mat_class >= MatClass::Double) {
    const NpyArray& n = a.numeric();
    n.to_tensor();
    if (!is_floating(n.dtype())) n.to_int64();
    if (a.complex) a.imag.to_tensor();
    if (n.size() == 1) a.scalar();
  }
  if (a.mat_class == MatClass::Char && a.strings.size() <= 1) a.text();
  if (a.mat_class == MatClass::Struct && !a.field_names.empty() && a.numel() > 0)
    a.field(a.field_names.front(), a.numel() - 1);
  for (const MatArray& e : a.elements) touch(e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  moegnn::fuzz::expect_only_io_errors([&] {
    // 64 MiB of inflated data per element at most, so a zlib bomb cannot exhaust -rss_limit_mb.
    const MatFile f = parse_mat(moegnn::fuzz::as_text(data, size), "fuzz.mat",
                                {.max_inflated_bytes = std::size_t{64} << 20});
    for (const MatArray& v : f.variables) touch(v);
  });
  return 0;
}
