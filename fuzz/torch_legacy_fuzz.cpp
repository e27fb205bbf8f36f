// SPDX-License-Identifier: Apache-2.0
// Fuzz target: PyTorch legacy .pt files (four pickles and the raw storages).
#include "datasets/io/torch_legacy.h"

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moegnn::datasets::io;
  moegnn::fuzz::expect_only_io_errors([&] {
    for (const auto& [name, array] :
         parse_torch_legacy(moegnn::fuzz::as_text(data, size), "fuzz.pt")) {
      if (array.dtype() != NpyDType::Unicode) array.to_tensor();
    }
  });
  return 0;
}
