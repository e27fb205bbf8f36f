// SPDX-License-Identifier: Apache-2.0
// Where tests find data: MOEGNN_TEST_DATA (tests/data fixtures, set by ctest) and the shared real
// datasets (MOEGNN_DATA_DIR, default ../shared/datasets). Under CI (CI=true) a missing dataset fails
// the test; elsewhere it skips with a message.
#pragma once

#include <filesystem>
#include <string>

namespace moegnn::support {

std::filesystem::path test_data_dir();
std::filesystem::path shared_datasets_dir();
// The dataset folder, or empty after GTEST_SKIP/ADD_FAILURE when it is missing; use via the macro.
std::filesystem::path require_dataset(const std::string& name);

}  // namespace moegnn::support

// Skips (or, under CI, fails) the current test when ../shared/datasets/<name> is missing.
#define MOEGNN_REQUIRE_DATASET(var, name)                                        \
  const std::filesystem::path var = ::moegnn::support::require_dataset(name);    \
  if (var.empty()) {                                                             \
    if (std::getenv("CI") != nullptr && std::string(std::getenv("CI")) == "true") \
      FAIL() << "dataset " << (name) << " missing under CI";                     \
    GTEST_SKIP() << "dataset " << (name) << " not found; set MOEGNN_DATA_DIR";  \
  }
