// SPDX-License-Identifier: Apache-2.0
// The unpickler's opcode handlers, one function per group (opcode table: CPython
// Lib/pickletools.py). Each returns whether it knew the opcode.
#include <bit>
#include <cstring>

#include "datasets/io/detail/unpickler.h"

namespace moegnn::datasets::io::detail {
namespace {

// A length field that must be non-negative (Python writes signed 32-bit lengths in BINSTRING).
std::uint64_t signed_length(Machine& m) {
  const auto n = m.r.le<std::int32_t>("length");
  if (n < 0) m.fail("negative length ", n);
  return static_cast<std::uint64_t>(n);
}

PyNode* make_sequence(Machine& m, PyKind kind, std::vector<PyNode*> items) {
  PyNode* node = m.make(kind);
  node->items = std::move(items);
  return node;
}

// The container that APPEND/SETITEM/ADDITEMS modify, checked for its kind.
PyNode* target(Machine& m, PyKind kind, const char* op) {
  PyNode* t = m.top();
  if (t == nullptr || t->kind != kind)
    m.fail(op, " needs a ", to_string(kind), " below its items, got ",
           to_string(t == nullptr ? PyKind::None : t->kind));
  return t;
}

void set_items(Machine& m, PyNode* dict, std::vector<PyNode*> items, const char* op) {
  if (items.size() % 2 != 0)
    m.fail(op, " got an odd number (", items.size(), ") of keys and values");
  dict->items.insert(dict->items.end(), items.begin(), items.end());
}

PyNode* string_of(Machine& m, PyNode* node, const char* what) {
  if (node == nullptr || (node->kind != PyKind::String && node->kind != PyKind::Bytes))
    m.fail(what, " must be a string");
  return node;
}

}  // namespace

bool number_op(Machine& m, std::uint8_t op) {
  switch (op) {
  case 'N':
    m.push(nullptr);
    return true;
  case 0x88:
  case 0x89: {
    PyNode* b = m.make(PyKind::Bool);
    b->flag = op == 0x88;
    m.push(b);
    return true;
  }
  case 'I': {
    const std::string_view text = m.r.line("INT");
    if (text == "00" || text == "01") {
      PyNode* b = m.make(PyKind::Bool);
      b->flag = text == "01";
      m.push(b);
    } else {
      m.push(make_decimal(m, text, "INT"));
    }
    return true;
  }
  case 'L': {
    std::string_view text = m.r.line("LONG");
    if (text.ends_with('L')) text.remove_suffix(1);
    m.push(make_decimal(m, text, "LONG"));
    return true;
  }
  case 'J':
    m.push(m.make_int(m.r.le<std::int32_t>("BININT")));
    return true;
  case 'K':
    m.push(m.make_int(m.r.u8("BININT1")));
    return true;
  case 'M':
    m.push(m.make_int(m.r.le<std::uint16_t>("BININT2")));
    return true;
  case 0x8a:
    m.push(make_long(m, m.r.take(m.r.u8("LONG1 length"), "LONG1")));
    return true;
  case 0x8b:
    m.push(make_long(m, m.r.take(signed_length(m), "LONG4")));
    return true;
  case 'F': {
    PyNode* f = m.make(PyKind::Float);
    f->f = parse_float_text(m, m.r.line("FLOAT"));
    m.push(f);
    return true;
  }
  case 'G': {
    PyNode* f = m.make(PyKind::Float);
    f->f =
        std::bit_cast<double>(__builtin_bswap64(m.r.le<std::uint64_t>("BINFLOAT")));  // big-endian
    m.push(f);
    return true;
  }
  default:
    return false;
  }
}

bool text_op(Machine& m, std::uint8_t op) {
  auto unicode = [&m](std::string_view text) {
    check_utf8(m, text);
    m.push(m.make_string(PyKind::String, text));
  };
  switch (op) {
  case 'S':
    m.push(m.make_string(PyKind::Bytes, decode_string_repr(m, m.r.line("STRING"))));
    return true;
  case 'T':
    m.push(m.make_string(PyKind::Bytes, m.r.take(signed_length(m), "BINSTRING")));
    return true;
  case 'U':
    m.push(m.make_string(PyKind::Bytes, m.r.take(m.r.u8("length"), "SHORT_BINSTRING")));
    return true;
  case 'V':
    m.push(m.make_string(PyKind::String, decode_raw_unicode_escape(m, m.r.line("UNICODE"))));
    return true;
  case 'X':
    unicode(m.r.take(m.r.le<std::uint32_t>("length"), "BINUNICODE"));
    return true;
  case 0x8c:
    unicode(m.r.take(m.r.u8("length"), "SHORT_BINUNICODE"));
    return true;
  case 0x8d:
    unicode(m.r.take(m.r.le<std::uint64_t>("length"), "BINUNICODE8"));
    return true;
  case 'B':
    m.push(m.make_string(PyKind::Bytes, m.r.take(m.r.le<std::uint32_t>("length"), "BINBYTES")));
    return true;
  case 'C':
    m.push(m.make_string(PyKind::Bytes, m.r.take(m.r.u8("length"), "SHORT_BINBYTES")));
    return true;
  case 0x8e:
    m.push(m.make_string(PyKind::Bytes, m.r.take(m.r.le<std::uint64_t>("length"), "BINBYTES8")));
    return true;
  default:
    return false;
  }
}

bool container_op(Machine& m, std::uint8_t op) {
  switch (op) {
  case '(':
    m.marks.push_back(m.stack.size());
    return true;
  case '1':
    m.pop_mark();
    return true;
  case '0':
    if (m.stack.size() > (m.marks.empty() ? 0 : m.marks.back()))
      m.pop();
    else
      m.pop_mark();
    return true;
  case '2':
    m.push(m.top());
    return true;
  case ')':
    m.push(m.make(PyKind::Tuple));
    return true;
  case ']':
    m.push(m.make(PyKind::List));
    return true;
  case '}':
    m.push(m.make(PyKind::Dict));
    return true;
  case 0x8f:
    m.push(m.make(PyKind::Set));
    return true;
  case 't':
    m.push(make_sequence(m, PyKind::Tuple, m.pop_mark()));
    return true;
  case 'l':
    m.push(make_sequence(m, PyKind::List, m.pop_mark()));
    return true;
  case 0x91:
    m.push(make_sequence(m, PyKind::Set, m.pop_mark()));
    return true;
  case 'd': {
    PyNode* dict = m.make(PyKind::Dict);
    set_items(m, dict, m.pop_mark(), "DICT");
    m.push(dict);
    return true;
  }
  case 0x85:
  case 0x86:
  case 0x87: {
    std::vector<PyNode*> items(static_cast<std::size_t>(op - 0x84));
    for (std::size_t k = items.size(); k-- > 0;) items[k] = m.pop();
    m.push(make_sequence(m, PyKind::Tuple, std::move(items)));
    return true;
  }
  default:
    return false;
  }
}

// Opcodes that add items to the container below them.
bool mutate_op(Machine& m, std::uint8_t op) {
  switch (op) {
  case 'a': {
    PyNode* item = m.pop();
    target(m, PyKind::List, "APPEND")->items.push_back(item);
    return true;
  }
  case 'e': {
    std::vector<PyNode*> items = m.pop_mark();
    PyNode* list = target(m, PyKind::List, "APPENDS");
    list->items.insert(list->items.end(), items.begin(), items.end());
    return true;
  }
  case 's': {
    PyNode* value = m.pop();
    PyNode* key = m.pop();
    set_items(m, target(m, PyKind::Dict, "SETITEM"), {key, value}, "SETITEM");
    return true;
  }
  case 'u': {
    std::vector<PyNode*> items = m.pop_mark();
    set_items(m, target(m, PyKind::Dict, "SETITEMS"), std::move(items), "SETITEMS");
    return true;
  }
  case 0x90: {
    std::vector<PyNode*> items = m.pop_mark();
    PyNode* set = target(m, PyKind::Set, "ADDITEMS");
    set->items.insert(set->items.end(), items.begin(), items.end());
    return true;
  }
  default:
    return false;
  }
}

bool memo_op(Machine& m, std::uint8_t op) {
  auto get = [&m](std::uint64_t index) {
    const auto it = m.memo.find(index);
    if (it == m.memo.end()) m.fail("memo has no entry ", index, " (", m.memo.size(), " stored)");
    m.push(it->second);
  };
  switch (op) {
  case 'p':
    m.memo[static_cast<std::uint64_t>(parse_decimal(m, m.r.line("PUT"), "PUT"))] = m.top();
    return true;
  case 'q':
    m.memo[m.r.u8("BINPUT")] = m.top();
    return true;
  case 'r':
    m.memo[m.r.le<std::uint32_t>("LONG_BINPUT")] = m.top();
    return true;
  case 0x94: {
    const std::uint64_t next = m.memo.size();
    m.memo[next] = m.top();
    return true;
  }
  case 'g':
    get(static_cast<std::uint64_t>(parse_decimal(m, m.r.line("GET"), "GET")));
    return true;
  case 'h':
    get(m.r.u8("BINGET"));
    return true;
  case 'j':
    get(m.r.le<std::uint32_t>("LONG_BINGET"));
    return true;
  default:
    return false;
  }
}

bool object_op(Machine& m, std::uint8_t op) {
  switch (op) {
  case 'c': {
    std::string module(m.r.line("GLOBAL module"));
    m.push(make_global(m, std::move(module), std::string(m.r.line("GLOBAL name"))));
    return true;
  }
  case 0x93: {
    PyNode* name = string_of(m, m.pop(), "STACK_GLOBAL name");
    PyNode* module = string_of(m, m.pop(), "STACK_GLOBAL module");
    m.push(make_global(m, module->text, name->text));
    return true;
  }
  case 'R':
  case 0x81: {
    PyNode* args = m.pop();
    PyNode* callable = m.pop();
    m.push(call(m, callable, args));
    return true;
  }
  case 0x92: {
    m.pop();  // keyword arguments: no callable we interpret takes any
    PyNode* args = m.pop();
    PyNode* callable = m.pop();
    m.push(call(m, callable, args));
    return true;
  }
  case 'b': {
    PyNode* state = m.pop();
    build(m, m.top(), state);
    return true;
  }
  case 'i': {
    std::string module(m.r.line("INST module"));
    PyNode* cls = make_global(m, std::move(module), std::string(m.r.line("INST name")));
    m.push(call(m, cls, make_sequence(m, PyKind::Tuple, m.pop_mark())));
    return true;
  }
  case 'o': {
    std::vector<PyNode*> items = m.pop_mark();
    if (items.empty()) m.fail("OBJ needs a class after its MARK");
    PyNode* cls = items.front();
    items.erase(items.begin());
    m.push(call(m, cls, make_sequence(m, PyKind::Tuple, std::move(items))));
    return true;
  }
  case 'P':
  case 'Q': {
    PyNode* pid = op == 'P' ? m.make_string(PyKind::String, m.r.line("PERSID")) : m.pop();
    m.push(make_sequence(m, PyKind::PersistentId, {pid}));
    return true;
  }
  default:
    return false;
  }
}

bool framing_op(Machine& m, std::uint8_t op) {
  if (op == 0x80) {
    const std::uint8_t version = m.r.u8("PROTO");
    if (version > 5) m.fail("pickle protocol ", int(version), " vs at most 5");
    return true;
  }
  if (op == 0x95) {
    m.r.require(m.r.le<std::uint64_t>("FRAME"), "FRAME");  // frames only batch reads; just bound
    return true;
  }
  return false;
}

}  // namespace moegnn::datasets::io::detail
