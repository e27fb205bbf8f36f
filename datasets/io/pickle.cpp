// SPDX-License-Identifier: Apache-2.0
// The unpickler's machine (stack, MARKs) and opcode loop; the handlers of each opcode group live in
// pickle_ops.cpp. The STOP opcode ends a pickle.
#include "datasets/io/pickle.h"

#include <bit>
#include <cstring>

#include "datasets/io/detail/unpickler.h"
#include "datasets/io/file.h"

namespace moegnn::datasets::io {
namespace detail {

PyNode* Machine::pop() {
  const std::size_t base = marks.empty() ? 0 : marks.back();
  if (stack.size() <= base) fail("stack underflow: the opcode needs a value above the last MARK");
  PyNode* node = stack.back();
  stack.pop_back();
  return node;
}

PyNode* Machine::top() {
  const std::size_t base = marks.empty() ? 0 : marks.back();
  if (stack.size() <= base) fail("stack underflow: the opcode needs a value above the last MARK");
  return stack.back();
}

std::vector<PyNode*> Machine::pop_mark() {
  if (marks.empty()) fail("no MARK on the stack for an opcode that needs one");
  const std::size_t base = marks.back();
  marks.pop_back();
  std::vector<PyNode*> items(stack.begin() + static_cast<std::ptrdiff_t>(base), stack.end());
  stack.resize(base);
  return items;
}

PyNode* Machine::make_int(std::int64_t v) {
  PyNode* node = make(PyKind::Int);
  node->i = v;
  return node;
}

PyNode* Machine::make_string(PyKind kind, std::string_view text) {
  PyNode* node = make(kind);
  node->text = std::string(text);
  return node;
}

namespace {

std::string hex(std::uint8_t op) {
  constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[op >> 4] + kDigits[op & 15];
}

std::string_view known_unsupported(std::uint8_t op) {
  switch (op) {
  case 0x82:
    return "EXT1";
  case 0x83:
    return "EXT2";
  case 0x84:
    return "EXT4";
  case 0x96:
    return "BYTEARRAY8";
  case 0x97:
    return "NEXT_BUFFER";
  case 0x98:
    return "READONLY_BUFFER";
  default:
    return {};
  }
}

PyValue run(Machine& m) {
  while (true) {
    m.op_pos = m.r.pos();
    const std::uint8_t op = m.r.u8("opcode (the pickle ends without STOP)");
    if (op == '.') {
      PyNode* result = m.pop();
      return PyValue(m.heap, result);
    }
    if (number_op(m, op) || text_op(m, op) || container_op(m, op) || mutate_op(m, op) ||
        memo_op(m, op) || object_op(m, op) || framing_op(m, op))
      continue;
    const std::string_view name = known_unsupported(op);
    if (!name.empty()) m.fail("opcode ", name, " (", hex(op), ") is not supported");
    m.fail("unknown opcode ", hex(op), "; not a pickle or a corrupt one");
  }
}

}  // namespace
}  // namespace detail

Unpickler::Unpickler(std::string_view bytes, std::string source)
    : bytes_(bytes),
      source_(std::move(source)) {}

PyValue Unpickler::load() {
  detail::Machine m(bytes_, source_, position_);
  PyValue value = detail::run(m);
  position_ = m.r.pos();
  return value;
}

PyValue unpickle(std::string_view bytes, std::string source) {
  return Unpickler(bytes, std::move(source)).load();
}

PyValue read_pickle(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  return unpickle(bytes, path.string());
}

}  // namespace moegnn::datasets::io
