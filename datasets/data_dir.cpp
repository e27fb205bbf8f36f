// SPDX-License-Identifier: Apache-2.0
// Data directory lookup and the missing-file check every loader starts with.
#include "datasets/data_dir.h"

#include <cstdlib>
#include <string>

#include "core/error.h"

namespace moegnn::datasets {

std::filesystem::path default_data_dir() {
  const char* dir = std::getenv("MOEGNN_DATA_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  const char* home = std::getenv("HOME");
  MOEGNN_CHECK_AS(IoError, "default_data_dir", home != nullptr && *home != '\0',
                  "neither MOEGNN_DATA_DIR nor HOME is set vs one of them; set MOEGNN_DATA_DIR");
  return std::filesystem::path(home) / ".cache" / "moegnn";
}

void require_file(const std::filesystem::path& path, const char* function, const char* what) {
  std::error_code error;
  const std::filesystem::file_type type = std::filesystem::status(path, error).type();
  if (type == std::filesystem::file_type::regular) return;
  MOEGNN_CHECK_AS(IoError, function, type != std::filesystem::file_type::directory, what, " ",
                  path.string(), " is a directory vs a regular file; remove it and place the file "
                  "there, or let the registry download it");
  const bool missing =
      type == std::filesystem::file_type::not_found || type == std::filesystem::file_type::none;
  MOEGNN_CHECK_AS(IoError, function, !missing, what, " missing: no such file: ", path.string(),
                  " vs an existing file; check the data directory or let the registry download it");
  MOEGNN_FAIL(IoError, function, what, " ", path.string(),
              " is not a regular file (a device, FIFO or socket) vs a regular file");
}

}  // namespace moegnn::datasets
