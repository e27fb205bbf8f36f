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
  const bool found = std::filesystem::is_regular_file(path, error);
  MOEGNN_CHECK_AS(IoError, function, found, what, " missing: no such file: ", path.string(),
                  " vs an existing file; check the data directory or let the registry download it");
}

}  // namespace moegnn::datasets
