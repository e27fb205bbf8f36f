// SPDX-License-Identifier: Apache-2.0
// Choosing a device by name, as the apps' --device flag does: "cpu", "cuda" or "auto" (CUDA when
// this build has it and a device is visible, else the CPU).
#pragma once

#include <string_view>

#include "core/types.h"

namespace moegnn {

// Whether tensors can live on `device` in this process: always for the CPU; for CUDA, a build
// with MOEGNN_WITH_CUDA and at least one visible device. Never throws.
bool device_available(Device device) noexcept;

// "cpu" -> Cpu; "cuda" -> Cuda, or InvalidArgument saying why CUDA cannot be used (a build
// without CUDA, or no visible device); "auto" -> Cuda when available, else Cpu. Any other name
// throws InvalidArgument naming the accepted ones.
Device parse_device(std::string_view name);

}  // namespace moegnn
