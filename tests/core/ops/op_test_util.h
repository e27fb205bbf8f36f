// SPDX-License-Identifier: Apache-2.0
// Helpers for the core/ops tests: naive double-precision references, tensor construction from
// lambdas, and the check that a call throws a given type with a message naming the op.
#pragma once

#include <cstring>
#include <exception>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "core/tensor.h"

namespace moegnn::test {

// rows × cols with t[i, j] = f(i, j).
inline Tensor make_tensor(Index rows, Index cols, const std::function<float(Index, Index)>& f) {
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) t.data()[i * cols + j] = f(i, j);
  return t;
}

inline float at(const Tensor& t, Index i, Index j) { return t.data()[i * t.cols() + j]; }

// Transposed copy (for naive references).
inline Tensor transposed(const Tensor& t) {
  return make_tensor(t.cols(), t.rows(), [&](Index i, Index j) { return at(t, j, i); });
}

// a · b by the textbook triple loop, accumulated in double.
inline Tensor naive_matmul(const Tensor& a, const Tensor& b) {
  return make_tensor(a.rows(), b.cols(), [&](Index i, Index j) {
    double total = 0.0;
    for (Index k = 0; k < a.cols(); ++k) total += static_cast<double>(at(a, i, k)) * at(b, k, j);
    return static_cast<float>(total);
  });
}

// Success when fn() throws Error and its message starts with "<op>: ".
template <typename Error, typename Fn>
testing::AssertionResult throws_naming(Fn&& fn, const std::string& op) {
  try {
    fn();
  } catch (const Error& e) {
    const std::string message = e.what();
    if (message.rfind(op + ": ", 0) == 0) return testing::AssertionSuccess() << message;
    return testing::AssertionFailure()
           << "message does not start with '" << op << ": ': " << message;
  } catch (const std::exception& e) {
    return testing::AssertionFailure() << "threw another exception type: " << e.what();
  }
  return testing::AssertionFailure() << "did not throw";
}

// Bitwise equality of two CPU tensors (determinism tests).
inline bool bitwise_equal(const Tensor& a, const Tensor& b) {
  if (!a.same_shape(b)) return false;
  for (Index e = 0; e < a.size(); ++e) {
    const float x = a.data()[e];
    const float y = b.data()[e];
    if (std::memcmp(&x, &y, sizeof(float)) != 0) return false;
  }
  return true;
}

}  // namespace moegnn::test
