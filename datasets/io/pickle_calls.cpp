// SPDX-License-Identifier: Apache-2.0
// What REDUCE/NEWOBJ/BUILD mean for the callables data pickles use. Everything else becomes an
// Object that records its class, arguments and state for the converters (py_convert.h) to read.
#include <cstring>

#include "datasets/io/detail/npy_build.h"
#include "datasets/io/detail/unpickler.h"

namespace moegnn::datasets::io::detail {
namespace {

bool is(const PyNode* g, std::string_view module, std::string_view name) {
  return g->text == module && g->name == name;
}

bool is_numpy_multiarray(const PyNode* g, std::string_view name) {
  return g->name == name &&
         (g->text == "numpy.core.multiarray" || g->text == "numpy._core.multiarray");
}

bool is_text(const PyNode* n) {
  return n != nullptr && (n->kind == PyKind::String || n->kind == PyKind::Bytes);
}

bool is_sequence(const PyNode* n) {
  return n != nullptr &&
         (n->kind == PyKind::List || n->kind == PyKind::Tuple || n->kind == PyKind::Set);
}

// _codecs.encode(text, encoding) and bytearray(text, encoding): Python 3 bytes in protocols 0-2.
PyNode* encode(Machine& m, const std::vector<PyNode*>& a, const char* what) {
  if (a.empty() || !is_text(a[0])) m.fail(what, " needs a string argument");
  if (a[0]->kind == PyKind::Bytes) return m.make_string(PyKind::Bytes, a[0]->text);
  const std::string_view encoding =
      a.size() > 1 && is_text(a[1]) ? std::string_view(a[1]->text) : std::string_view("utf-8");
  if (encoding == "latin1" || encoding == "latin-1" || encoding == "iso-8859-1")
    return m.make_string(PyKind::Bytes, utf8_to_latin1(m, a[0]->text));
  if (encoding == "utf-8" || encoding == "utf8") return m.make_string(PyKind::Bytes, a[0]->text);
  m.fail(what, " with encoding '", encoding, "' is not supported vs latin1 or utf-8");
}

std::vector<Index> shape_of(Machine& m, const PyNode* shape) {
  if (shape == nullptr || shape->kind != PyKind::Tuple)
    m.fail("ndarray state: shape is not a tuple");
  std::vector<Index> out;
  for (const PyNode* d : shape->items) {
    if (d == nullptr || d->kind != PyKind::Int || d->i < 0)
      m.fail("ndarray state: bad dimension in the shape");
    out.push_back(d->i);
  }
  return out;
}

// numpy.dtype(kind, align, copy) with BUILD state (version, byteorder, subarray, names, ...).
std::string dtype_string(Machine& m, const PyNode* dtype) {
  if (dtype == nullptr || dtype->kind != PyKind::Object || dtype->name != "dtype" ||
      !dtype->text.starts_with("numpy"))
    m.fail("ndarray state: the dtype is not a numpy.dtype");
  const PyNode* args = dtype->items[0];
  if (args == nullptr || args->kind != PyKind::Tuple || args->items.empty() ||
      !is_text(args->items[0]))
    m.fail("ndarray state: numpy.dtype has no type string");
  const std::string& kind = args->items[0]->text;
  const PyNode* st = dtype->items[1];
  char order = '|';
  if (st != nullptr && st->kind == PyKind::Tuple && st->items.size() >= 2 &&
      is_text(st->items[1]) && st->items[1]->text.size() == 1)
    order = st->items[1]->text[0];
  if (st != nullptr && st->kind == PyKind::Tuple && st->items.size() >= 4 &&
      st->items[3] != nullptr)
    m.unsupported("structured dtypes are not supported");
  if (order == '=') order = '<';
  return std::string(1, order) + kind;
}

NpyArray array_from(Machine& m, const std::string& descr, bool fortran, std::vector<Index> shape,
                    const PyNode* data) {
  if (!is_text(data)) m.fail("ndarray state: data is not bytes");
  ByteReader at(m.r.bytes(), m.r.source(), "unpickle");
  at.seek(m.op_pos, "opcode");
  const NpyDescr d = parse_descr(descr, at);
  if (data->kind == PyKind::String)  // NumPy encodes str data as Latin-1
    return build_array(d, fortran, std::move(shape), utf8_to_latin1(m, data->text), m.heap->source,
                       at);
  return build_array(d, fortran, std::move(shape), data->text, m.heap->source, at);
}

void build_ndarray(Machine& m, PyNode* node, const PyNode* state) {
  if (state == nullptr || state->kind != PyKind::Tuple ||
      (state->items.size() != 4 && state->items.size() != 5))
    m.fail("ndarray state is not a (version, shape, dtype, fortran, data) tuple");
  const std::size_t o = state->items.size() == 5 ? 1 : 0;
  std::vector<Index> shape = shape_of(m, state->items[o]);
  const std::string descr = dtype_string(m, state->items[o + 1]);
  const PyNode* fortran = state->items[o + 2];
  const bool is_fortran =
      fortran != nullptr && (fortran->kind == PyKind::Bool ? fortran->flag : fortran->i != 0);
  const PyNode* data = state->items[o + 3];
  if (descr.size() >= 2 && descr[1] == 'O') {  // object array: the elements come as a list
    std::uint64_t count = 1;
    for (const Index d : shape)
      if (!checked_mul(count, static_cast<std::uint64_t>(d), count))
        m.fail("ndarray shape overflows");
    if (data == nullptr || data->kind != PyKind::List || data->items.size() != count)
      m.fail("object ndarray state: data is not a list of ", count, " elements");
    if (is_fortran && shape.size() > 1)
      m.unsupported("Fortran-order object arrays are not supported");
    node->items = data->items;
    node->shape = std::move(shape);
  } else {
    node->array =
        std::make_unique<NpyArray>(array_from(m, descr, is_fortran, std::move(shape), data));
  }
  node->flag = false;
}

// numpy.core.multiarray.scalar(dtype, bytes): a numpy scalar becomes the plain Python value.
PyNode* numpy_scalar(Machine& m, const std::vector<PyNode*>& a) {
  if (a.size() != 2) m.fail("numpy scalar needs (dtype, data)");
  const std::string descr = dtype_string(m, a[0]);
  const NpyArray array = array_from(m, descr, false, {}, a[1]);
  if (array.dtype() == NpyDType::Unicode)
    return m.make_string(PyKind::String, array.to_strings()[0]);
  if (array.dtype() == NpyDType::Bool) {
    PyNode* b = m.make(PyKind::Bool);
    b->flag = array.to_bool()[0];
    return b;
  }
  if (is_integer(array.dtype())) return m.make_int(array.to_int64()[0]);
  PyNode* f = m.make(PyKind::Float);
  if (array.dtype() == NpyDType::Float64)
    std::memcpy(&f->f, array.data(), sizeof(double));
  else
    f->f = *static_cast<const float*>(array.data());
  return f;
}

// Dict-like classes: defaultdict(factory[, items]) and OrderedDict([[k, v], ...]).
PyNode* make_dict(Machine& m, const std::vector<PyNode*>& a, std::size_t items_at) {
  PyNode* dict = m.make(PyKind::Dict);
  if (a.size() > items_at && a[items_at] != nullptr) {
    const PyNode* pairs = a[items_at];
    if (pairs->kind == PyKind::Dict) {
      dict->items = pairs->items;
      return dict;
    }
    if (!is_sequence(pairs)) m.fail("dict items are not a sequence of pairs");
    for (const PyNode* pair : pairs->items) {
      if (!is_sequence(pair) || pair->items.size() != 2)
        m.fail("dict item is not a (key, value) pair");
      dict->items.push_back(pair->items[0]);
      dict->items.push_back(pair->items[1]);
    }
  }
  return dict;
}

PyNode* make_collection(Machine& m, PyKind kind, const std::vector<PyNode*>& a) {
  PyNode* node = m.make(kind);
  if (!a.empty()) {
    if (!is_sequence(a[0])) m.fail(to_string(kind), "() needs a list, tuple or set argument");
    node->items = a[0]->items;
  }
  return node;
}

}  // namespace

PyNode* make_global(Machine& m, std::string module, std::string name) {
  // Python 2 names, as pickle's fix_imports maps them.
  if (module == "__builtin__") module = "builtins";
  if (module == "copy_reg") module = "copyreg";
  PyNode* g = m.make(PyKind::Global);
  g->text = std::move(module);
  g->name = std::move(name);
  return g;
}

PyNode* call(Machine& m, PyNode* callable, PyNode* args) {
  if (callable == nullptr || callable->kind != PyKind::Global)
    m.fail("REDUCE/NEWOBJ needs a class or function, got ",
           to_string(callable ? callable->kind : PyKind::None));
  if (args == nullptr || args->kind != PyKind::Tuple)
    m.fail("REDUCE/NEWOBJ arguments are not a tuple");
  const std::vector<PyNode*>& a = args->items;
  const PyNode* g = callable;
  if (is(g, "builtins", "set") || is(g, "builtins", "frozenset"))
    return make_collection(m, PyKind::Set, a);
  if (is(g, "builtins", "list")) return make_collection(m, PyKind::List, a);
  if (is(g, "builtins", "tuple")) return make_collection(m, PyKind::Tuple, a);
  if (is(g, "builtins", "dict")) return make_dict(m, a, 0);
  if (is(g, "builtins", "bytes") && a.empty()) return m.make_string(PyKind::Bytes, "");
  if (is(g, "builtins", "bytearray"))
    return a.empty() ? m.make_string(PyKind::Bytes, "") : encode(m, a, "bytearray");
  if (is(g, "_codecs", "encode")) return encode(m, a, "_codecs.encode");
  if (is(g, "collections", "defaultdict")) return make_dict(m, a, 1);
  if (is(g, "collections", "OrderedDict")) return make_dict(m, a, 0);
  if (is_numpy_multiarray(g, "_reconstruct")) {
    PyNode* array = m.make(PyKind::NdArray);
    array->flag = true;  // filled in by BUILD
    return array;
  }
  if (is_numpy_multiarray(g, "scalar")) return numpy_scalar(m, a);
  if (is(g, "copyreg", "_reconstructor") && a.size() == 3 && a[0] != nullptr &&
      a[0]->kind == PyKind::Global && a[0]->name != "_reconstructor")
    return call(m, a[0], m.make(PyKind::Tuple));
  PyNode* object = m.make(PyKind::Object);
  object->text = g->text;
  object->name = g->name;
  object->items = {args, nullptr};
  return object;
}

void build(Machine& m, PyNode* target, PyNode* state) {
  if (target == nullptr) m.fail("BUILD on None");
  switch (target->kind) {
  case PyKind::NdArray:
    if (!target->flag) m.fail("BUILD on an ndarray that already has its state");
    build_ndarray(m, target, state);
    return;
  case PyKind::Object:
    target->items[1] = state;
    return;
  case PyKind::Dict:
    if (state == nullptr) return;
    if (state->kind != PyKind::Dict)
      m.fail("BUILD on a dict with a ", to_string(state->kind), " state");
    target->items.insert(target->items.end(), state->items.begin(), state->items.end());
    return;
  default:
    m.fail("BUILD on a ", to_string(target->kind), " vs an object or ndarray");
  }
}

}  // namespace moegnn::datasets::io::detail
