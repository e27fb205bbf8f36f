// SPDX-License-Identifier: Apache-2.0
// Argument checks shared by the message-passing ops, so every op words its errors the same way:
// `<op>: <what is wrong>: <got> vs <expected>`. All throw InvalidArgument, except
// require_cpu_kernel, which throws Unsupported.
#pragma once

#include "core/tensor.h"
#include "graph/types.h"

namespace moegnn::ops::detail {

// t.rows() == expected; `expected_what` names where the expectation comes from ("a.num_cols()").
void check_rows(const char* function, const char* name, const Tensor& t, Index expected,
                const char* expected_what);
// t.cols() == expected.
void check_cols(const char* function, const char* name, const Tensor& t, Index expected,
                const char* expected_what);
// actual == expected; `expected_what` names whose device that is ("the graph's device").
void check_device(const char* function, const char* name, Device actual, Device expected,
                  const char* expected_what = "the graph's device");
// heads >= 1 and width % heads == 0.
void check_heads(const char* function, const char* name, Index width, Index heads);
// Throws Unsupported("<function>: no CUDA kernel yet") unless `device` is the CPU.
void require_cpu_kernel(const char* function, Device device);

// offsets: at least one entry, offsets[0] == 0, non-decreasing, last == num_rows, on `device`.
void check_offsets(const char* function, const graph::EdgeIds& offsets, Index num_rows,
                   Device device);

}  // namespace moegnn::ops::detail
