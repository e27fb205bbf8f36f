// SPDX-License-Identifier: Apache-2.0
// Device selection by name (the apps' --device) and Tensor::copy_from.
#include <gtest/gtest.h>

#include "core/config.h"
#include "core/device.h"
#include "core/error.h"
#include "core/tensor.h"

namespace moegnn {
namespace {

TEST(Device, CpuIsAlwaysAvailable) {
  EXPECT_TRUE(device_available(Device::Cpu));
  EXPECT_EQ(parse_device("cpu"), Device::Cpu);
}

TEST(Device, AutoPicksCudaExactlyWhenAvailable) {
  const Device expected = device_available(Device::Cuda) ? Device::Cuda : Device::Cpu;
  EXPECT_EQ(parse_device("auto"), expected);
  if (!build::kWithCuda) {
    EXPECT_FALSE(device_available(Device::Cuda));
  }
}

TEST(Device, CudaWithoutADeviceSaysWhy) {
  if (device_available(Device::Cuda)) {
    EXPECT_EQ(parse_device("cuda"), Device::Cuda);
    return;
  }
  try {
    parse_device("cuda");
    FAIL() << "parse_device(\"cuda\") accepted a machine without CUDA";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("parse_device"), std::string::npos) << what;
    EXPECT_NE(what.find(build::kWithCuda ? "no CUDA device is visible" : "MOEGNN_WITH_CUDA=OFF"),
              std::string::npos)
        << what;
  }
}

TEST(Device, UnknownNameIsRejected) {
  for (const char* name : {"gpu", "CPU", "", "cuda:0"}) {
    try {
      parse_device(name);
      FAIL() << "accepted '" << name << "'";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("cpu, cuda, auto"), std::string::npos) << e.what();
    }
  }
}

TEST(TensorCopyFrom, OverwritesValuesInPlace) {
  Tensor dst = Tensor::zeros(2, 3);
  const Tensor view = dst;  // shares dst's storage
  const Tensor src = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  dst.copy_from(src);
  EXPECT_TRUE(view.shares_storage_with(dst));
  EXPECT_FLOAT_EQ(view.host()(1, 2), 6.0f);
  EXPECT_FLOAT_EQ(view.host()(0, 0), 1.0f);
  dst.copy_from(dst);  // self-copy is a no-op
  EXPECT_FLOAT_EQ(dst.host()(1, 0), 4.0f);
}

TEST(TensorCopyFrom, RejectsAShapeMismatch) {
  Tensor dst = Tensor::zeros(2, 3);
  EXPECT_THROW(dst.copy_from(Tensor::zeros(3, 2)), InvalidArgument);
  EXPECT_THROW(dst.copy_from(Tensor::zeros(2, 4)), InvalidArgument);
}

}  // namespace
}  // namespace moegnn
