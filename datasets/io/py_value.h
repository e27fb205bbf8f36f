// SPDX-License-Identifier: Apache-2.0
// PyValue: a read-only handle to one Python object decoded from a pickle (datasets/io/pickle.h):
// None, bool, int (int64; larger ints are kept as raw BigInt bytes), float, str (UTF-8), bytes
// (also Python 2 `str`), list, tuple, dict (insertion order), set, a global reference (module +
// name), an object built by a call (module, name, args, BUILD state), a numpy ndarray, or a
// persistent id. Handles are cheap to copy and keep the whole decoded pickle alive. Accessors
// check the kind and throw IoError naming the pickle's source on a mismatch, because a mismatch
// means the file does not hold what the caller expected.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "datasets/io/npy_array.h"

namespace moegnn::datasets::io {

enum class PyKind {
  None,
  Bool,
  Int,
  BigInt,
  Float,
  String,
  Bytes,
  List,
  Tuple,
  Dict,
  Set,
  Global,
  Object,
  NdArray,
  PersistentId
};

std::string_view to_string(PyKind kind);

namespace detail {
struct PyNode;
struct PyHeap;
}  // namespace detail

class PyValue {
 public:
  PyValue() = default;  // None
  PyValue(std::shared_ptr<const detail::PyHeap> heap, const detail::PyNode* node)
      : heap_(std::move(heap)),
        node_(node) {}

  PyKind kind() const;
  bool is(PyKind kind) const { return this->kind() == kind; }
  bool is_none() const { return kind() == PyKind::None; }
  const std::string& source() const;  // the pickle's file name ("" for a default None)
  std::string describe() const;       // "list of 3", "object scipy.sparse._csr.csr_matrix", ...

  // Scalars. as_int accepts Bool; as_float accepts Int and Bool; as_string accepts String and
  // Bytes (a Python 2 str is bytes); as_bytes accepts Bytes and BigInt (its raw bytes).
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_float() const;
  std::string_view as_string() const;
  std::string_view as_bytes() const;

  // Sequences: List, Tuple, Set and object NdArray elements; for a Dict, size() counts entries.
  std::size_t size() const;
  PyValue operator[](std::size_t i) const;  // throws IoError when i >= size()

  // Dict entries in insertion order, and lookup by str/bytes or int key (linear in size()). A key
  // set twice appears twice in the entries; find() returns its last value, as Python keeps.
  PyValue key(std::size_t i) const;
  PyValue value(std::size_t i) const;
  std::optional<PyValue> find(std::string_view key) const;
  std::optional<PyValue> find(std::int64_t key) const;
  PyValue at(std::string_view key) const;  // throws IoError naming the missing key

  // Global and Object: the class or function; Object: call arguments (a Tuple) and BUILD state
  // (None when never built). PersistentId: pid() is the persistent id value.
  const std::string& module() const;
  const std::string& name() const;
  PyValue args() const;
  PyValue state() const;
  PyValue pid() const;

  // NdArray: numeric arrays as NpyArray (IoError for object arrays, whose elements are reached
  // through size() and operator[]); array_shape() works for both.
  bool is_object_array() const;
  NpyArray ndarray() const;  // a handle sharing the element storage
  std::vector<Index> array_shape() const;

 private:
  template <typename... Parts>
  [[noreturn]] void fail(const char* function, const Parts&... parts) const;
  const detail::PyNode& expect(const char* function, PyKind kind) const;
  std::shared_ptr<const detail::PyHeap> heap_;
  const detail::PyNode* node_ = nullptr;
};

}  // namespace moegnn::datasets::io
