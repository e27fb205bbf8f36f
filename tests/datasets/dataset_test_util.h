// SPDX-License-Identifier: Apache-2.0
// Helpers for the dataset loader tests: a temporary folder removed after the test, writing text
// and gzip files (OGB's layout is written by the tests, since no ogbn set is shipped), copying a
// shared dataset folder, corrupting a byte of a file, checking a graph's symmetry, and asserting an exception's type and text.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include "graph/csr.h"
#include "tests/support/temp_dir.h"

namespace moegnn::datasets::testing {

using moegnn::testing::TempDir;

// XORs the byte at `offset` of an existing file with 0x5a (a corruption a checksum must catch).
inline void flip_byte(const std::filesystem::path& path, std::uintmax_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  const char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x5a));
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline void write_gzip(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  gzFile f = gzopen(path.c_str(), "wb6");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  gzclose(f);
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Copies every file of `from` (recursively) into `to`.
inline void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
  for (const auto& e : std::filesystem::recursive_directory_iterator(to))
    std::filesystem::permissions(e.path(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
}

// True when every stored (r, c) has c != r and (c, r) stored too (rows must be sorted).
inline bool symmetric_without_loops(const graph::Csr& g) {
  for (Index r = 0; r < g.num_rows(); ++r) {
    for (const graph::NodeId c : g.neighbors(r)) {
      if (c == r) return false;
      const auto back = g.neighbors(c);
      if (!std::binary_search(back.begin(), back.end(), static_cast<graph::NodeId>(r)))
        return false;
    }
  }
  return true;
}

}  // namespace moegnn::datasets::testing

// Expects `statement` to throw `Error` whose message contains `needle`.
#define EXPECT_THROW_WITH(statement, Error, needle)                                                \
  do {                                                                                             \
    try {                                                                                          \
      statement;                                                                                   \
      ADD_FAILURE() << "no " #Error " thrown (expected one mentioning '" << (needle) << "')";      \
    } catch (const Error& e) {                                                                     \
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();                \
    }                                                                                              \
  } while (false)
