// SPDX-License-Identifier: Apache-2.0
// PyValue accessors over the heap nodes built by the unpickler.
#include "datasets/io/py_value.h"

#include "core/error.h"
#include "datasets/io/detail/py_node.h"

namespace moegnn::datasets::io {
namespace {

const std::string kNoSource;

bool is_sequence(PyKind kind) {
  return kind == PyKind::List || kind == PyKind::Tuple || kind == PyKind::Set ||
         kind == PyKind::NdArray;
}

}  // namespace

std::string_view to_string(PyKind kind) {
  switch (kind) {
  case PyKind::None:
    return "None";
  case PyKind::Bool:
    return "bool";
  case PyKind::Int:
    return "int";
  case PyKind::BigInt:
    return "int (beyond int64)";
  case PyKind::Float:
    return "float";
  case PyKind::String:
    return "str";
  case PyKind::Bytes:
    return "bytes";
  case PyKind::List:
    return "list";
  case PyKind::Tuple:
    return "tuple";
  case PyKind::Dict:
    return "dict";
  case PyKind::Set:
    return "set";
  case PyKind::Global:
    return "global";
  case PyKind::Object:
    return "object";
  case PyKind::NdArray:
    return "ndarray";
  case PyKind::PersistentId:
    return "persistent id";
  }
  return "?";
}

template <typename... Parts>
void PyValue::fail(const char* function, const Parts&... parts) const {
  ::moegnn::detail::throw_error<IoError>(function, source(), ": ", parts...);
}

const detail::PyNode& PyValue::expect(const char* function, PyKind kind) const {
  if (this->kind() != kind) fail(function, "value is ", describe(), " vs ", to_string(kind));
  return *node_;
}

PyKind PyValue::kind() const { return node_ == nullptr ? PyKind::None : node_->kind; }

const std::string& PyValue::source() const { return heap_ ? heap_->source : kNoSource; }

std::string PyValue::describe() const {
  const PyKind k = kind();
  if (k == PyKind::Global || k == PyKind::Object)
    return ::moegnn::detail::concat(to_string(k), " ", node_->text, ".", node_->name);
  if (k == PyKind::NdArray) {  // never throws: messages call this on any value
    if (node_->array) return ::moegnn::detail::concat("ndarray ", node_->array->shape_string());
    if (node_->flag) return "ndarray without state";
    return ::moegnn::detail::concat("object ndarray of ", node_->items.size());
  }
  if (is_sequence(k)) return ::moegnn::detail::concat(to_string(k), " of ", node_->items.size());
  if (k == PyKind::Dict) return ::moegnn::detail::concat("dict of ", node_->items.size() / 2);
  return std::string(to_string(k));
}

bool PyValue::as_bool() const { return expect("PyValue::as_bool", PyKind::Bool).flag; }

std::int64_t PyValue::as_int() const {
  if (kind() == PyKind::Bool) return node_->flag ? 1 : 0;
  if (kind() == PyKind::BigInt) fail("PyValue::as_int", "integer does not fit in int64");
  return expect("PyValue::as_int", PyKind::Int).i;
}

double PyValue::as_float() const {
  if (kind() == PyKind::Int || kind() == PyKind::Bool) return static_cast<double>(as_int());
  return expect("PyValue::as_float", PyKind::Float).f;
}

std::string_view PyValue::as_string() const {
  if (kind() == PyKind::Bytes) return node_->text;
  return expect("PyValue::as_string", PyKind::String).text;
}

std::string_view PyValue::as_bytes() const {
  if (kind() == PyKind::BigInt) return node_->text;
  return expect("PyValue::as_bytes", PyKind::Bytes).text;
}

std::size_t PyValue::size() const {
  const PyKind k = kind();
  if (k == PyKind::Dict) return node_->items.size() / 2;
  if (!is_sequence(k)) fail("PyValue::size", "value is ", describe(), " vs a container");
  if (k == PyKind::NdArray && !is_object_array()) return static_cast<std::size_t>(ndarray().size());
  return node_->items.size();
}

PyValue PyValue::operator[](std::size_t i) const {
  if (!is_sequence(kind()) || (kind() == PyKind::NdArray && !is_object_array()))
    fail("PyValue::operator[]", "value is ", describe(), " vs a list, tuple, set or object array");
  if (i >= node_->items.size())
    fail("PyValue::operator[]", "index ", i, " vs size ", node_->items.size());
  return PyValue(heap_, node_->items[i]);
}

PyValue PyValue::key(std::size_t i) const {
  const detail::PyNode& n = expect("PyValue::key", PyKind::Dict);
  if (2 * i >= n.items.size()) fail("PyValue::key", "entry ", i, " vs size ", n.items.size() / 2);
  return PyValue(heap_, n.items[2 * i]);
}

PyValue PyValue::value(std::size_t i) const {
  const detail::PyNode& n = expect("PyValue::value", PyKind::Dict);
  if (2 * i >= n.items.size()) fail("PyValue::value", "entry ", i, " vs size ", n.items.size() / 2);
  return PyValue(heap_, n.items[2 * i + 1]);
}

std::optional<PyValue> PyValue::find(std::string_view key) const {
  const detail::PyNode& n = expect("PyValue::find", PyKind::Dict);
  for (std::size_t k = n.items.size() / 2; k-- > 0;) {  // the last of duplicate keys wins
    const detail::PyNode* candidate = n.items[2 * k];
    if (candidate != nullptr &&
        (candidate->kind == PyKind::String || candidate->kind == PyKind::Bytes) &&
        candidate->text == key)
      return PyValue(heap_, n.items[2 * k + 1]);
  }
  return std::nullopt;
}

std::optional<PyValue> PyValue::find(std::int64_t key) const {
  const detail::PyNode& n = expect("PyValue::find", PyKind::Dict);
  for (std::size_t k = n.items.size() / 2; k-- > 0;) {  // the last of duplicate keys wins
    const detail::PyNode* candidate = n.items[2 * k];
    if (candidate != nullptr && candidate->kind == PyKind::Int && candidate->i == key)
      return PyValue(heap_, n.items[2 * k + 1]);
  }
  return std::nullopt;
}

PyValue PyValue::at(std::string_view key) const {
  const std::optional<PyValue> found = find(key);
  if (!found) fail("PyValue::at", "dict has no key '", key, "' (", describe(), ")");
  return *found;
}

const std::string& PyValue::module() const {
  if (kind() != PyKind::Global) return expect("PyValue::module", PyKind::Object).text;
  return node_->text;
}

const std::string& PyValue::name() const {
  if (kind() != PyKind::Global) return expect("PyValue::name", PyKind::Object).name;
  return node_->name;
}

PyValue PyValue::args() const {
  return PyValue(heap_, expect("PyValue::args", PyKind::Object).items[0]);
}

PyValue PyValue::state() const {
  return PyValue(heap_, expect("PyValue::state", PyKind::Object).items[1]);
}

PyValue PyValue::pid() const {
  return PyValue(heap_, expect("PyValue::pid", PyKind::PersistentId).items[0]);
}

bool PyValue::is_object_array() const {
  return kind() == PyKind::NdArray && !node_->flag && !node_->array;
}

NpyArray PyValue::ndarray() const {
  const detail::PyNode& n = expect("PyValue::ndarray", PyKind::NdArray);
  if (n.flag) fail("PyValue::ndarray", "ndarray was never given its state (no BUILD)");
  if (!n.array) fail("PyValue::ndarray", "object ndarray vs a numeric dtype");
  return *n.array;
}

std::vector<Index> PyValue::array_shape() const {
  const detail::PyNode& n = expect("PyValue::array_shape", PyKind::NdArray);
  if (n.array) return n.array->shape();
  if (n.flag) fail("PyValue::array_shape", "ndarray was never given its state (no BUILD)");
  return n.shape;
}

}  // namespace moegnn::datasets::io
