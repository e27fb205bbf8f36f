// SPDX-License-Identifier: Apache-2.0
// Loading libmoegnn_cuda.so on first use (core/cuda_backend.h). The library is looked for in this
// order: $MOEGNN_CUDA_BACKEND (a file; when set, a missing file means no backend), beside the program and in ../lib from it (an installed
// tree), the build tree it was built in, the install prefix, then the loader's own search
// (LD_LIBRARY_PATH, the cache).
#include "core/cuda_backend.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <vector>

#include "core/config.h"
#include "core/error.h"

namespace moegnn::cuda_backend {
namespace {

constexpr const char* kLibrary = "libmoegnn_cuda.so";
// Set per build (core/CMakeLists.txt): where this build puts the library, and where it installs it.
constexpr const char* kBuildTreePath = MOEGNN_CUDA_BACKEND_BUILD_PATH;
constexpr const char* kInstallPath = MOEGNN_CUDA_BACKEND_INSTALL_PATH;

struct Backend {
  void* handle = nullptr;
  std::string reason{};
};

std::vector<std::string> candidates() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("MOEGNN_CUDA_BACKEND"); env != nullptr && *env != '\0')
    paths.emplace_back(env);
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    paths.push_back((exe.parent_path() / kLibrary).string());
    paths.push_back((exe.parent_path().parent_path() / "lib" / kLibrary).string());
  }
  if (*kBuildTreePath != '\0') paths.emplace_back(kBuildTreePath);
  if (*kInstallPath != '\0') paths.emplace_back(kInstallPath);
  paths.emplace_back(kLibrary);  // the dynamic loader's search
  return paths;
}

Backend load() {
  Backend b;
  if constexpr (!build::kWithCuda) {
    b.reason = "this build has no CUDA backend (MOEGNN_WITH_CUDA=OFF)";
    return b;
  }
  if (const char* env = std::getenv("MOEGNN_CUDA_BACKEND"); env != nullptr && *env != '\0') {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(env, ec)) {  // an explicit choice: no fallback
      b.reason = "MOEGNN_CUDA_BACKEND=";
      b.reason += env;
      b.reason += " is not a file";
      return b;
    }
  }
  std::string tried;
  for (const std::string& path : candidates()) {
    const bool bare = path.find('/') == std::string::npos;
    std::error_code ec;
    if (!bare && !std::filesystem::is_regular_file(path, ec)) continue;
    b.handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (b.handle != nullptr) return b;
    const char* error = ::dlerror();
    tried += "\n  ";
    tried += error != nullptr ? error : path;
  }
  b.reason = "libmoegnn_cuda.so could not be loaded (set MOEGNN_CUDA_BACKEND to its path, or "
             "install the CUDA runtime it needs); tried:";
  b.reason += tried.empty() ? std::string("\n  no library file found") : tried;
  return b;
}

const Backend& backend() {
  static const Backend b = load();  // thread-safe, once
  return b;
}

}  // namespace

bool available() noexcept {
  try {
    return backend().handle != nullptr;
  } catch (...) {  // allocation failure while building the message
    return false;
  }
}

std::string reason() { return backend().reason; }

const void* table(const char* symbol, std::size_t table_size) {
  const Backend& b = backend();
  MOEGNN_CHECK_AS(Unsupported, "cuda_backend::table", b.handle != nullptr,
                  "CUDA was asked for but ", b.reason);
  using TableFn = const void* (*)(std::size_t);
  ::dlerror();
  void* address = ::dlsym(b.handle, symbol);
  MOEGNN_CHECK_AS(Unsupported, "cuda_backend::table", address != nullptr, "libmoegnn_cuda.so has no ",
                  symbol, " vs a backend built from this version of moegnn");
  const auto fn = reinterpret_cast<TableFn>(address);
  const void* t = fn(table_size);
  MOEGNN_CHECK_AS(Unsupported, "cuda_backend::table", t != nullptr, "libmoegnn_cuda.so's ", symbol,
                  " has another layout vs this program's (", table_size,
                  " bytes); the library comes from another build of moegnn: point "
                  "MOEGNN_CUDA_BACKEND at the one built with this program");
  return t;
}

}  // namespace moegnn::cuda_backend
