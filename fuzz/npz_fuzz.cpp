// SPDX-License-Identifier: Apache-2.0
// Fuzz target: ZIP central directory, member extraction (stored/deflate, CRC) and .npy members.
#include "datasets/io/npz.h"
#include "datasets/io/zip_archive.h"

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace moegnn::datasets::io;
  const std::string bytes(moegnn::fuzz::as_text(data, size));
  moegnn::fuzz::expect_only_io_errors([&] { parse_npz(bytes, "fuzz.npz"); });
  // Members one by one too, so a bad member does not hide the ones after it.
  moegnn::fuzz::expect_only_io_errors([&] {
    const ZipArchive zip(bytes, "fuzz.zip");
    for (const ZipEntry& e : zip.entries())
      moegnn::fuzz::expect_only_io_errors([&] { zip.extract(e); });
  });
  return 0;
}
