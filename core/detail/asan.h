// SPDX-License-Identifier: Apache-2.0
// MOEGNN_ASAN is defined in AddressSanitizer builds (GCC's __SANITIZE_ADDRESS__, Clang's
// __has_feature), for the debugging aids that only those builds pay for (private to core/).
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define MOEGNN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOEGNN_ASAN 1
#endif
#endif
