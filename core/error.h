// SPDX-License-Identifier: Apache-2.0
// Exceptions and the checking macros. Bad input throws with a message shaped
// `<function>: <what is wrong>: <got> vs <expected>[; <what to do>]`; internal invariants use
// MOEGNN_ASSERT, compiled per MOEGNN_ASSERT_LEVEL. Nothing in the library exits on bad input.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

#include "core/config.h"

namespace moegnn {

class InvalidArgument : public std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
class IoError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};
class Unsupported : public std::runtime_error {
  using std::runtime_error::runtime_error;
};
class CudaError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {

template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream message;
  (message << ... << parts);
  return message.str();
}

template <typename Error, typename... Parts>
[[noreturn]] void throw_error(const char* function, const Parts&... parts) {
  throw Error(concat(function, ": ", parts...));
}

[[noreturn]] void assert_failed(const char* condition, const char* file, int line) noexcept;

}  // namespace detail
}  // namespace moegnn

// MOEGNN_CHECK(cond, parts...): throws InvalidArgument "<function>: <parts...>" when cond is false.
// The message is built only on failure.
#define MOEGNN_CHECK(condition, ...)                                                         \
  do {                                                                                     \
    if (!(condition)) [[unlikely]]                                                         \
      ::moegnn::detail::throw_error<::moegnn::InvalidArgument>(__func__, __VA_ARGS__);     \
  } while (false)

// MOEGNN_CHECK_AS(Error, function_name, cond, parts...): the same with an explicit type and name
// (for lambdas and helpers whose __func__ would say nothing useful).
#define MOEGNN_CHECK_AS(Error, function, condition, ...)                                     \
  do {                                                                                     \
    if (!(condition)) [[unlikely]]                                                         \
      ::moegnn::detail::throw_error<Error>(function, __VA_ARGS__);                          \
  } while (false)

// MOEGNN_FAIL(Error, function_name, parts...): throw unconditionally.
#define MOEGNN_FAIL(Error, function, ...) ::moegnn::detail::throw_error<Error>(function, __VA_ARGS__)

// Internal invariants (never user input): file:line and abort, compiled in per MOEGNN_ASSERT_LEVEL.
#define MOEGNN_ASSERT(condition)                                                             \
  do {                                                                                     \
    if constexpr (::moegnn::build::kAssertLevel >= ::moegnn::build::AssertLevel::Light) {  \
      if (!(condition)) [[unlikely]]                                                       \
        ::moegnn::detail::assert_failed(#condition, __FILE__, __LINE__);                   \
    }                                                                                      \
  } while (false)
#define MOEGNN_ASSERT_HEAVY(condition)                                                       \
  do {                                                                                     \
    if constexpr (::moegnn::build::kAssertLevel >= ::moegnn::build::AssertLevel::Heavy) {  \
      if (!(condition)) [[unlikely]]                                                       \
        ::moegnn::detail::assert_failed(#condition, __FILE__, __LINE__);                   \
    }                                                                                      \
  } while (false)
