// SPDX-License-Identifier: Apache-2.0
// Test data locations (see data_dir.h).
#include "tests/support/data_dir.h"

#include <cstdlib>

namespace moegnn::support {

std::filesystem::path test_data_dir() {
  if (const char* dir = std::getenv("MOEGNN_TEST_DATA")) return dir;
  return std::filesystem::path("tests") / "data";
}

std::filesystem::path shared_datasets_dir() {
  if (const char* dir = std::getenv("MOEGNN_DATA_DIR")) return dir;
  return std::filesystem::path("..") / "shared" / "datasets";
}

std::filesystem::path require_dataset(const std::string& name) {
  const std::filesystem::path dir = shared_datasets_dir() / name;
  return std::filesystem::exists(dir) ? dir : std::filesystem::path();
}

}  // namespace moegnn::support
