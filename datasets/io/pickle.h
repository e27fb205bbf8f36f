// SPDX-License-Identifier: Apache-2.0
// Python pickle reader for data files (protocols 0-4). It is a data decoder, not Python: no code
// runs. GLOBAL/REDUCE/NEWOBJ/BUILD produce PyValue objects that record the class and arguments,
// and the few callables data files rely on are interpreted: numpy ndarrays and scalars (numpy.core
// and numpy._core), dtype, _codecs.encode (Python 3 bytes in protocols 0-2), set/frozenset,
// bytes/bytearray, collections.defaultdict/OrderedDict (read as dict) and copyreg._reconstructor.
// Python 2 pickles such as Planetoid's ind.* files read as `pickle.load(f, encoding='latin1')`
// would, except that Python 2 `str` stays bytes. Persistent ids (used by torch.save) become
// PersistentId values. Any unknown opcode, protocol-5 out-of-band buffers and extension codes
// throw IoError naming the opcode and its byte offset; malformed input of any kind throws IoError
// (never reads out of bounds, never allocates more than the input can describe).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "datasets/io/py_value.h"

namespace moegnn::datasets::io {

class Unpickler {
 public:
  // Reads pickles from `bytes`, which must outlive the Unpickler (decoded values do not refer to
  // it). `source` names the data in messages.
  Unpickler(std::string_view bytes, std::string source);

  // Decodes the next pickle, up to and including its STOP opcode. Throws IoError.
  PyValue load();
  std::size_t position() const { return position_; }  // byte offset after the last STOP
  bool at_end() const { return position_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::string source_;
  std::size_t position_ = 0;
};

// The first pickle in `bytes` (trailing bytes are ignored, as Python's pickle.loads does).
PyValue unpickle(std::string_view bytes, std::string source);

// The first pickle in the file at `path`.
PyValue read_pickle(const std::filesystem::path& path);

}  // namespace moegnn::datasets::io
