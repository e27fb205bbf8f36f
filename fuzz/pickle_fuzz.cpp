// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the unpickler, then a bounded walk over the decoded value calling every accessor,
// and the scipy.sparse / adjacency converters on whatever the input built.
#include <vector>

#include "datasets/io/pickle.h"
#include "datasets/io/py_convert.h"

#include "fuzz/fuzz_util.h"

namespace {

using namespace moegnn::datasets::io;

// Visits at most kBudget values (pickles may hold cycles), breadth-first.
void walk(const PyValue& root) {
  constexpr std::size_t kBudget = 4096;
  std::vector<PyValue> queue{root};
  for (std::size_t i = 0; i < queue.size() && i < kBudget; ++i) {
    const PyValue v = queue[i];
    v.describe();
    moegnn::fuzz::expect_only_io_errors([&] {
      switch (v.kind()) {
      case PyKind::Dict:
        for (std::size_t k = 0; k < v.size(); ++k) {
          queue.push_back(v.key(k));
          queue.push_back(v.value(k));
        }
        v.find("data");
        break;
      case PyKind::List:
      case PyKind::Tuple:
      case PyKind::Set:
        for (std::size_t k = 0; k < v.size(); ++k) queue.push_back(v[k]);
        break;
      case PyKind::Object:
        queue.push_back(v.args());
        queue.push_back(v.state());
        // Densified at whatever shape the input declares: the converter must refuse shapes the
        // stored entries cannot justify (within -malloc_limit_mb) on its own.
        if (is_sparse_matrix(v)) to_dense_tensor(v);
        break;
      case PyKind::NdArray:
        if (v.is_object_array()) {
          for (std::size_t k = 0; k < v.size(); ++k) queue.push_back(v[k]);
        } else {
          v.ndarray().to_tensor();
        }
        break;
      case PyKind::PersistentId:
        queue.push_back(v.pid());
        break;
      default:
        v.is(PyKind::Float) ? (void)v.as_float() : (void)v.describe();
      }
    });
  }
  moegnn::fuzz::expect_only_io_errors([&] { adjacency_dict_to_csr(root, 1 << 16); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  moegnn::fuzz::expect_only_io_errors(
      [&] { walk(unpickle(moegnn::fuzz::as_text(data, size), "fuzz.pkl")); });
  return 0;
}
