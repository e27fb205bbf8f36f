// SPDX-License-Identifier: Apache-2.0
// Shared by the fuzz targets: run a reader on the input and accept only the documented failures
// (IoError, Unsupported). Anything else escapes, and libFuzzer reports it as a crash with the
// input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace moegnn::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

template <typename Fn>
void expect_only_io_errors(Fn&& fn) {
  try {
    fn();
  } catch (const IoError&) {
  } catch (const Unsupported&) {}
}

}  // namespace moegnn::fuzz
