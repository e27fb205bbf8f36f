// SPDX-License-Identifier: Apache-2.0
// Shared by the format-reader tests: fixture paths, the formulas that
// tests/data/make_io_fixtures.py filled the fixture arrays with, and corruption drivers (every
// prefix of a file must throw IoError naming the file; flipped bytes may succeed or throw
// IoError/Unsupported, never crash).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/io/file.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets::io::testing {

inline std::filesystem::path fixture(const std::string& name) {
  return support::test_data_dir() / "io" / name;
}
inline std::string fixture_bytes(const std::string& name) { return read_file(fixture(name)); }

// Element k (C order) of a fixture array, per make_io_fixtures.py.
inline double float_at(std::int64_t k) { return static_cast<double>(k) * 0.25 - 1.0; }
inline std::int64_t signed_at(std::int64_t k) { return (k * 7) % 11 - 3; }
inline std::int64_t unsigned_at(std::int64_t k) { return (k * 7) % 11; }
inline bool bool_at(std::int64_t k) { return k % 3 == 0; }

// Runs `fn` and checks that it throws IoError whose message contains `needle`.
template <typename Fn>
void expect_io_error(Fn&& fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "no IoError (expected one mentioning '" << needle << "')";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// Prefix lengths to try: all of the first 96 (the headers), then about 150 spread over the rest, so
// each loop stays near a second even under sanitizers (a thrown exception costs about 1 ms there).
inline std::vector<std::size_t> prefix_lengths(std::size_t size) {
  std::vector<std::size_t> out;
  for (std::size_t n = 0; n < size && n < 96; ++n) out.push_back(n);
  const std::size_t step = size > 96 ? (size - 96) / 150 + 1 : 1;
  for (std::size_t n = 96; n < size; n += step) out.push_back(n);
  if (size > 0) out.push_back(size - 1);
  return out;
}

// Every proper prefix of `bytes` must make parse(prefix) throw IoError naming `source`.
template <typename Parse>
void expect_prefixes_fail(const std::string& bytes, const std::string& source, Parse&& parse) {
  for (const std::size_t n : prefix_lengths(bytes.size())) {
    try {
      parse(bytes.substr(0, n));
      ADD_FAILURE() << "prefix of " << n << " / " << bytes.size() << " bytes parsed without error";
    } catch (const IoError& e) {
      if (std::string(e.what()).find(source) == std::string::npos)
        ADD_FAILURE() << "message does not name " << source << ": " << e.what();
    }
  }
}

// Flips one byte at each of the prefix_lengths() positions, cycling through three masks:
// parse must succeed or throw IoError/Unsupported naming `source`.
template <typename Parse>
void expect_flips_safe(const std::string& bytes, const std::string& source, Parse&& parse) {
  constexpr unsigned char kMasks[] = {0x01, 0x80, 0xFF};
  std::size_t round = 0;
  for (const std::size_t at : prefix_lengths(bytes.size())) {
    std::string corrupt = bytes;
    corrupt[at] = static_cast<char>(static_cast<unsigned char>(corrupt[at]) ^ kMasks[round++ % 3]);
    try {
      parse(corrupt);
    } catch (const IoError& e) {
      if (std::string(e.what()).find(source) == std::string::npos) ADD_FAILURE() << e.what();
    } catch (const Unsupported& e) {
      if (std::string(e.what()).find(source) == std::string::npos) ADD_FAILURE() << e.what();
    }
  }
}

}  // namespace moegnn::datasets::io::testing
