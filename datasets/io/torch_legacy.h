// SPDX-License-Identifier: Apache-2.0
// Reader for PyTorch's legacy (non-zip) serialization, torch.save(..., _use_new_zipfile_
// serialization=False), as OGB ships split/*/*.pt: five parts back to back — a pickle of the magic
// number 0x1950a86a20f9469cfc6c, a pickle of protocol version 1001, a pickle of a sys-info dict
// (little_endian must be true), the main pickle whose tensors are torch._utils._rebuild_tensor_v2
// (storage, offset, size, stride, ...) with storages given as persistent ids ('storage',
// torch.<Type>Storage, key, location, numel), a pickle of the list of storage keys, and then per
// key an 8-byte little-endian element count followed by the raw little-endian elements. The main
// object must be a dict (or one tensor); its values may be tensors or numpy ndarrays (OGB's
// ogbl-ddi files hold ndarrays). Tensors must be C-contiguous (Unsupported otherwise); Long, Int,
// Short, Char, Byte, Bool, Float and Double storages are read.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "datasets/io/npy_array.h"

namespace moegnn::datasets::io {

// name -> array for every entry of the saved dict (key "" when the file holds a single tensor).
// Throws IoError (bad magic, truncated or inconsistent storages, offsets out of range, non-tensor
// values) or Unsupported (big-endian files, non-contiguous tensors, other storage types).
std::map<std::string, NpyArray> parse_torch_legacy(std::string_view bytes,
                                                   const std::string& source);

// Reads `path` (see parse_torch_legacy).
std::map<std::string, NpyArray> read_torch_legacy(const std::filesystem::path& path);

}  // namespace moegnn::datasets::io
