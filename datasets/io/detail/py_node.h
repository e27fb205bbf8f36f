// SPDX-License-Identifier: Apache-2.0
// The storage behind PyValue: every object a pickle creates is a PyNode owned by one PyHeap, and
// nodes refer to each other by raw pointer. Pickles may build cycles (a list that contains itself);
// with the heap owning all nodes, cycles cost nothing and everything is freed together when the
// last PyValue handle into the heap goes away. A null PyNode* stands for None.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "datasets/io/npy_array.h"
#include "datasets/io/py_value.h"

namespace moegnn::datasets::io::detail {

struct PyNode {
  PyKind kind = PyKind::None;
  bool flag = false;   // Bool: the value; NdArray: still waiting for its BUILD state
  std::int64_t i = 0;  // Int
  double f = 0.0;      // Float
  std::string text;    // String (UTF-8), Bytes, BigInt (little-endian two's complement); Global and
                       // Object: the module
  std::string name;    // Global and Object: the qualified name
  std::vector<PyNode*> items;  // List, Tuple, Set, object NdArray elements; Dict: k0, v0, k1, v1,
                               // ...; Object: {args, state}; PersistentId: {pid}
  std::unique_ptr<NpyArray> array;  // numeric NdArray
  std::vector<Index> shape;         // object NdArray
};

struct PyHeap {
  std::string source;
  std::deque<PyNode> nodes;  // a deque keeps node addresses stable as it grows

  PyNode* make(PyKind kind) {
    PyNode& node = nodes.emplace_back();
    node.kind = kind;
    return &node;
  }
};

}  // namespace moegnn::datasets::io::detail
