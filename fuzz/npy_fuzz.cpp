// SPDX-License-Identifier: Apache-2.0
// Fuzz target: .npy parsing and every conversion of the result.
#include "datasets/io/npy.h"

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moegnn::datasets::io;
  moegnn::fuzz::expect_only_io_errors([&] {
    const NpyArray a = parse_npy(moegnn::fuzz::as_text(data, size), "fuzz.npy");
    if (a.dtype() == NpyDType::Unicode) {
      a.to_strings();
      return;
    }
    a.to_tensor();
    if (!is_floating(a.dtype())) {
      a.to_bool();
      a.to_int64();
      a.to_int32();
    }
  });
  return 0;
}
