// SPDX-License-Identifier: Apache-2.0
// check_writable: the programs' output paths (--out, --save, --log) are checked before training, so
// a run does not train for hours and then fail to write its results.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"

namespace moegnn::apps {

// Throws InvalidArgument naming `flag` unless `path`'s folder exists, `path` is not a folder and a
// file can be created in that folder. An empty path (flag not given) passes.
inline void check_writable(const char* flag, const std::filesystem::path& path) {
  if (path.empty()) return;
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  MOEGNN_CHECK_AS(InvalidArgument, flag, std::filesystem::is_directory(folder), "folder '",
                  folder.string(), "' of ", path.string(), " does not exist vs an existing folder");
  MOEGNN_CHECK_AS(InvalidArgument, flag, !std::filesystem::is_directory(path), "'", path.string(),
                  "' is a directory vs a file path");
  const std::filesystem::path probe =
      folder / (".moegnn-write-test." + std::to_string(::getpid()));
  std::ofstream file(probe);
  const bool ok = file.good();
  file.close();
  std::error_code ignored;
  std::filesystem::remove(probe, ignored);
  MOEGNN_CHECK_AS(InvalidArgument, flag, ok, "folder '", folder.string(),
                  "' is not writable vs a folder where ", path.filename().string(),
                  " can be written");
}

}  // namespace moegnn::apps
