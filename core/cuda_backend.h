// SPDX-License-Identifier: Apache-2.0
// The CUDA backend boundary. In a CUDA build the kernels, the CUDA runtime, cuBLAS and cuSPARSE
// live in one shared library, libmoegnn_cuda.so, that the programs do not link: it is loaded with
// dlopen the first time CUDA is asked for (a CUDA tensor, --device cuda or auto), as PyTorch
// initialises CUDA lazily and ggml loads its backends. A CPU run therefore starts, and works, on a
// machine without the CUDA runtime or a GPU, with no CUDA library mapped. Each module's CUDA entry
// points (its cuda/*.h) are defined in the static library as forwarders into a table of function
// pointers that the backend exports (its cuda/backend.inc lists them); docs/architecture.md has
// the design.
#pragma once

#include <cstddef>
#include <string>

namespace moegnn::cuda_backend {

// True once the backend library is loaded; the first call tries to load it (thread-safe, once per
// process). False in a CPU-only build and when the library or the CUDA runtime it needs cannot be
// loaded; reason() then says why.
bool available() noexcept;

// Why available() is false: the paths tried and the loader's messages; empty when it is true.
std::string reason();

// The library's table `symbol` (a function `const void* symbol(std::size_t)` that returns its
// table when `table_size` matches the size it was built with). Throws Unsupported naming the
// reason when the backend cannot be loaded, and when the library lacks the table or was built
// from another version (a size mismatch).
const void* table(const char* symbol, std::size_t table_size);

// The table `symbol` as a Table, looked up once per Table type (the forwarders' accessor). Throws as
// table(); a failed lookup is retried on the next call.
template <typename Table>
const Table& table_of(const char* symbol) {
  static const Table& t = *static_cast<const Table*>(table(symbol, sizeof(Table)));
  return t;
}

}  // namespace moegnn::cuda_backend
