// SPDX-License-Identifier: Apache-2.0
// The unpickler's machine state (stack, MARK positions, memo, heap), shared between the opcode loop
// (pickle.cpp), the opcode handlers (pickle_ops.cpp), the text decoders of protocol 0
// (pickle_text.cpp) and the interpretation of callables and BUILD states (pickle_calls.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/detail/py_node.h"

namespace moegnn::datasets::io::detail {

struct Machine {
  Machine(std::string_view bytes, std::string_view source, std::size_t start)
      : r(bytes, source, "unpickle"),
        heap(std::make_shared<PyHeap>()) {
    heap->source = std::string(source);
    r.seek(start, "pickle start");
  }

  ByteReader r;
  std::shared_ptr<PyHeap> heap;
  std::vector<PyNode*> stack;
  std::vector<std::size_t> marks;  // stack sizes at each MARK
  std::unordered_map<std::uint64_t, PyNode*> memo;
  std::size_t op_pos = 0;  // offset of the opcode being executed, for messages

  template <typename... Parts>
  [[noreturn]] void fail(const Parts&... parts) const {
    r.fail_at_offset(op_pos, parts...);
  }
  template <typename... Parts>
  [[noreturn]] void unsupported(const Parts&... parts) const {
    fail_at<Unsupported>(r.function(), r.source(), op_pos, parts...);
  }
  PyNode* make(PyKind kind) { return heap->make(kind); }
  void push(PyNode* node) { stack.push_back(node); }
  PyNode* pop();
  PyNode* top();
  // The items pushed since the last MARK, removing them and the mark.
  std::vector<PyNode*> pop_mark();
  PyNode* make_int(std::int64_t v);
  PyNode* make_string(PyKind kind, std::string_view text);
};

// Opcode handlers (pickle_ops.cpp): each returns false for an opcode outside its group.
bool number_op(Machine& m, std::uint8_t op);     // NONE, bools, ints, floats
bool text_op(Machine& m, std::uint8_t op);       // str and bytes in all their encodings
bool container_op(Machine& m, std::uint8_t op);  // MARK, POP, DUP, building tuples/lists/dicts/sets
bool mutate_op(Machine& m, std::uint8_t op);     // APPEND(S), SETITEM(S), ADDITEMS
bool memo_op(Machine& m, std::uint8_t op);       // PUT/GET in their forms, MEMOIZE
bool object_op(Machine& m, std::uint8_t op);     // GLOBAL, REDUCE, NEWOBJ, BUILD, INST, OBJ, PERSID
bool framing_op(Machine& m, std::uint8_t op);    // PROTO, FRAME

// Protocol 0 text forms (pickle_text.cpp).
std::int64_t parse_decimal(Machine& m, std::string_view text, const char* what);
double parse_float_text(Machine& m, std::string_view text);
std::string decode_string_repr(Machine& m, std::string_view quoted);      // STRING: a py2 repr
std::string decode_raw_unicode_escape(Machine& m, std::string_view raw);  // UNICODE -> UTF-8
// Checks UTF-8 (surrogates allowed, as pickle writes them with 'surrogatepass').
void check_utf8(Machine& m, std::string_view text);
// UTF-8 -> Latin-1 bytes; throws when a code point exceeds 255.
std::string utf8_to_latin1(Machine& m, std::string_view text);
// INT/LONG text (protocol 0): an Int, or a BigInt when it does not fit int64.
PyNode* make_decimal(Machine& m, std::string_view text, const char* what);
// LONG1/LONG4 payloads: an Int when it fits int64, else a BigInt with the raw bytes.
PyNode* make_long(Machine& m, std::string_view le_bytes);

// Callables and BUILD (pickle_calls.cpp).
PyNode* make_global(Machine& m, std::string module, std::string name);
PyNode* call(Machine& m, PyNode* callable, PyNode* args);
void build(Machine& m, PyNode* target, PyNode* state);

}  // namespace moegnn::datasets::io::detail
