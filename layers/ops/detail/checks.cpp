// SPDX-License-Identifier: Apache-2.0
// Shared argument checks of the message-passing ops (see checks.h).
#include "layers/ops/detail/checks.h"

#include "core/error.h"

namespace moegnn::ops::detail {

void check_rows(const char* function, const char* name, const Tensor& t, Index expected,
                const char* expected_what) {
  MOEGNN_CHECK_AS(InvalidArgument, function, t.rows() == expected, name,
                  " has the wrong number of rows: ", t.rows(), " vs ", expected, " (",
                  expected_what, ")");
}

void check_cols(const char* function, const char* name, const Tensor& t, Index expected,
                const char* expected_what) {
  MOEGNN_CHECK_AS(InvalidArgument, function, t.cols() == expected, name,
                  " has the wrong number of columns: ", t.cols(), " vs ", expected, " (",
                  expected_what, ")");
}

void check_device(const char* function, const char* name, Device actual, Device expected,
                  const char* expected_what) {
  MOEGNN_CHECK_AS(InvalidArgument, function, actual == expected, name,
                  " is on the wrong device: ", to_string(actual), " vs ", to_string(expected), " (",
                  expected_what, "); move it with .to()");
}

void check_heads(const char* function, const char* name, Index width, Index heads) {
  MOEGNN_CHECK_AS(InvalidArgument, function, heads >= 1, "heads must be positive: ", heads,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, function, width % heads == 0, name,
                  " width is not divisible by the number of heads: ", width, " columns vs a ",
                  "multiple of ", heads, " heads");
}

void require_cpu_kernel(const char* function, Device device) {
  MOEGNN_CHECK_AS(Unsupported, function, device == Device::Cpu, "no CUDA kernel yet");
}

void check_offsets(const char* function, const graph::EdgeIds& offsets, Index num_rows,
                   Device device) {
  MOEGNN_CHECK_AS(InvalidArgument, function, offsets.size() >= 1,
                  "offsets are empty: 0 entries vs >= 1 (S + 1 for S segments)");
  check_device(function, "offsets", offsets.device(), device, "x's device");
  if (offsets.device() != Device::Cpu) return;  // the CUDA kernel (when written) checks on device
  const auto o = offsets.host();
  MOEGNN_CHECK_AS(InvalidArgument, function, o.front() == 0, "offsets[0] is wrong: ", o.front(),
                  " vs 0");
  MOEGNN_CHECK_AS(InvalidArgument, function, o.back() == num_rows,
                  "offsets[S] is wrong: ", o.back(), " vs ", num_rows, " (x.rows())");
  for (std::size_t s = 0; s + 1 < o.size(); ++s) {
    MOEGNN_CHECK_AS(InvalidArgument, function, o[s] <= o[s + 1], "offsets decrease at segment ", s,
                    ": ", o[s + 1], " vs >= ", o[s]);
  }
}

}  // namespace moegnn::ops::detail
