// SPDX-License-Identifier: Apache-2.0
#include "core/device.h"

#include "core/config.h"
#include "core/cuda/runtime.h"
#include "core/cuda_backend.h"
#include "core/error.h"

namespace moegnn {

bool device_available(Device device) noexcept {
  if (device == Device::Cpu) return true;
  if constexpr (build::kWithCuda) {
    return cuda::device_count() > 0;
  } else {
    return false;
  }
}

Device parse_device(std::string_view name) {
  if (name == "cpu") return Device::Cpu;
  if (name == "auto") return device_available(Device::Cuda) ? Device::Cuda : Device::Cpu;
  MOEGNN_CHECK_AS(InvalidArgument, "parse_device", name == "cuda", "device '", name,
                  "' vs one of cpu, cuda, auto");
  MOEGNN_CHECK_AS(InvalidArgument, "parse_device", build::kWithCuda,
                  "device 'cuda' in a build with MOEGNN_WITH_CUDA=OFF; rebuild with "
                  "-DMOEGNN_WITH_CUDA=ON, or use --device cpu");
  MOEGNN_CHECK_AS(InvalidArgument, "parse_device", cuda_backend::available(),
                  "device 'cuda' but ", cuda_backend::reason(), "; use --device cpu or auto");
  MOEGNN_CHECK_AS(InvalidArgument, "parse_device", device_available(Device::Cuda),
                  "device 'cuda' but no CUDA device is visible (no GPU or no driver); use "
                  "--device cpu or auto");
  return Device::Cuda;
}

}  // namespace moegnn
