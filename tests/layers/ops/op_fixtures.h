// SPDX-License-Identifier: Apache-2.0
// Fixtures for the message-passing op tests: tiny named graphs (drawn below), seeded random graphs
// with empty rows, naive reference loops written independently of the kernels, "CUDA" tensors and
// graphs that only carry the device tag (for device-mismatch tests in CPU-only builds) and a check
// that an exception has the right type and names the function. Graphs are built straight from
// row_ptr/col_idx arrays.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/parallel.h"
#include "core/rng.h"
#include "core/storage.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/ops/spmm.h"

namespace moegnn::test {

// Edges point from source to destination; row i of the Csr lists i's in-neighbours (sources).
//
//     0 ───► 1
//     │ ╲    │
//     ▼   ╲  ▼
//     2 ───► 3        4 (isolated)
//
// Rows: 0 {}, 1 {0}, 2 {0}, 3 {0, 1, 2}, 4 {}; edge ids in row order: (1←0)=0, (2←0)=1, (3←0)=2,
// (3←1)=3, (3←2)=4. Rows 0 and 4 are empty.
inline graph::Csr diamond(Tensor values = {}) {
  return graph::Csr(5, 5, graph::EdgeIds{0, 0, 1, 2, 5, 5}, graph::NodeIds{0, 0, 0, 1, 2},
                    std::move(values));
}

// A bipartite (rectangular) graph: 3 sources (columns) feed 2 destinations (rows).
//
//   sources       0   1   2
//                  ╲ ╱ ╲ ╱
//   destinations    0   1
//
// Rows: 0 {0, 1}, 1 {1, 2}.
inline graph::Csr bipartite() {
  return graph::Csr(2, 3, graph::EdgeIds{0, 2, 4}, graph::NodeIds{0, 1, 1, 2});
}

// rows × cols, each (i, j) present with probability `density`, no duplicates, sorted columns;
// every fifth row (0, 5, 10, ...) is empty.
inline graph::Csr random_graph(Index rows, Index cols, double density, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<graph::EdgeId> row_ptr{0};
  std::vector<graph::NodeId> col_idx;
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < cols; ++j) {
      const bool take = rng.uniform() < density;
      if (take && i % 5 != 0) col_idx.push_back(static_cast<graph::NodeId>(j));
    }
    row_ptr.push_back(static_cast<graph::EdgeId>(col_idx.size()));
  }
  return graph::Csr(rows, cols, graph::EdgeIds(row_ptr), graph::NodeIds(col_idx));
}

// rows × cols with up to `per_row` random distinct columns per row (duplicates drawn are merged),
// every fifth row empty: for graphs too large for random_graph's per-entry draws.
inline graph::Csr sparse_random_graph(Index rows, Index cols, Index per_row, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<graph::EdgeId> row_ptr{0};
  std::vector<graph::NodeId> col_idx;
  for (Index i = 0; i < rows; ++i) {
    const auto start = static_cast<std::ptrdiff_t>(col_idx.size());
    for (Index d = 0; i % 5 != 0 && d < per_row; ++d)
      col_idx.push_back(static_cast<graph::NodeId>(rng.below(static_cast<std::uint64_t>(cols))));
    std::sort(col_idx.begin() + start, col_idx.end());
    col_idx.erase(std::unique(col_idx.begin() + start, col_idx.end()), col_idx.end());
    row_ptr.push_back(static_cast<graph::EdgeId>(col_idx.size()));
  }
  return graph::Csr(rows, cols, graph::EdgeIds(row_ptr), graph::NodeIds(col_idx));
}

// The graph as a dense rows × cols matrix (values, or 1 per edge).
inline Matrix dense(const graph::Csr& a) {
  Matrix m = Matrix::Zero(a.num_rows(), a.num_cols());
  const auto ptr = a.row_ptr().host();
  const auto cols = a.col_idx().host();
  for (Index i = 0; i < a.num_rows(); ++i)
    for (graph::EdgeId k = ptr[i]; k < ptr[i + 1]; ++k)
      m(i, cols[k]) += a.has_values() ? a.values().data()[k] : 1.0f;
  return m;
}

// Naive SpMM: weight(k, h) from edge_weight (nnz × H) when given, else the graph's values or 1.
inline Tensor reference_spmm(const graph::Csr& a, const Tensor* edge_weight, const Tensor& x,
                             ops::Reduce reduce) {
  const Index width = x.cols();
  const Index heads = edge_weight != nullptr ? edge_weight->cols() : 1;
  const Index channels = width / heads;
  Tensor out = Tensor::zeros(a.num_rows(), width);
  const auto ptr = a.row_ptr().host();
  const auto cols = a.col_idx().host();
  for (Index i = 0; i < a.num_rows(); ++i) {
    for (Index f = 0; f < width; ++f) {
      double sum = 0.0;
      double best = 0.0;
      for (graph::EdgeId k = ptr[i]; k < ptr[i + 1]; ++k) {
        const double w = edge_weight != nullptr ? edge_weight->data()[k * heads + f / channels]
                         : a.has_values()       ? a.values().data()[k]
                                                : 1.0;
        const double v = w * x.data()[cols[k] * width + f];
        sum += v;
        best = k == ptr[i] ? v : std::max(best, v);
      }
      const auto degree = static_cast<double>(ptr[i + 1] - ptr[i]);
      const double result = reduce == ops::Reduce::Sum    ? sum
                            : reduce == ops::Reduce::Mean ? (degree > 0 ? sum / degree : 0.0)
                                                          : best;
      out.data()[i * width + f] = static_cast<float>(result);
    }
  }
  return out;
}

// Entries 0.1 · (a random permutation of 1..rows·cols) - offset: all distinct, 0.1 apart, so a
// finite-difference step of 0.01 never changes which element is the maximum.
inline Tensor distinct_tensor(Index rows, Index cols, std::uint64_t seed, float offset = 0.0f) {
  std::vector<float> values(static_cast<std::size_t>(rows * cols));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.1f * static_cast<float>(i + 1);
  Rng rng(seed);
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[rng.below(i)]);
  for (float& v : values) v -= offset;
  return Tensor::from_vector(rows, cols, values);
}

// A tensor that claims to live on CUDA; its bytes are host memory that is never read. Lets the
// tests reach device checks in a CPU-only build.
inline Tensor fake_cuda_tensor(Index rows, Index cols) {
  const std::size_t bytes = static_cast<std::size_t>(rows * cols) * sizeof(float);
  void* data =
      std::aligned_alloc(kAlignment, ((bytes + kAlignment - 1) / kAlignment + 1) * kAlignment);
  return Tensor::from_storage(
      Storage::adopt(data, bytes, Device::Cuda, [](void* p) { std::free(p); }), rows, cols);
}

template <typename T>
IndexArray<T> fake_cuda_indices(const std::vector<T>& values) {
  const std::size_t bytes = values.size() * sizeof(T);
  void* data =
      std::aligned_alloc(kAlignment, ((bytes + kAlignment - 1) / kAlignment + 1) * kAlignment);
  if (bytes > 0) std::memcpy(data, values.data(), bytes);
  return IndexArray<T>(Storage::adopt(data, bytes, Device::Cuda, [](void* p) { std::free(p); }),
                       static_cast<Index>(values.size()));
}

// The same structure tagged as a CUDA graph (never dereferenced by the ops under test).
inline graph::Csr fake_cuda_graph(const graph::Csr& a) {
  return graph::Csr(a.num_rows(), a.num_cols(), fake_cuda_indices(a.row_ptr().to_vector()),
                    fake_cuda_indices(a.col_idx().to_vector()));
}

// Runs f, expecting an exception of type Error whose message starts with "<function>: ".
template <typename Error>
void expect_error(const std::function<void()>& f, const std::string& function,
                  const std::string& fragment = "") {
  try {
    f();
    ADD_FAILURE() << "expected an exception from " << function;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(function + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(fragment), std::string::npos)
        << message << " lacks '" << fragment << "'";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type from " << function << ": " << e.what();
  }
}

// Bitwise equality (the determinism tests demand identical bits, not closeness).
inline bool same_bits(const Tensor& a, const Tensor& b) {
  return a.same_shape(b) &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(float)) == 0;
}
inline bool same_bits(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_bits(a[i], b[i])) return false;
  return true;
}

// The output of f on `inputs` followed by d(Σ R ⊙ out)/d(input) for each input (R a fixed random
// projection), all from one tape: what the determinism tests compare across thread counts.
inline std::vector<Tensor>
value_and_grads(const std::function<Var(Tape&, const std::vector<Var>&)>& f,
                const std::vector<Tensor>& inputs) {
  std::vector<Parameter> params;
  params.reserve(inputs.size());
  for (const Tensor& t : inputs) params.emplace_back(t.clone());
  Tape tape;
  std::vector<Var> vars;
  for (Parameter& p : params) vars.push_back(tape.param(p));
  const Var out = f(tape, vars);
  Rng rng(99);
  Tensor projection = Tensor::empty(out.rows(), out.cols());
  for (Index i = 0; i < projection.size(); ++i) projection.data()[i] = rng.uniform(-1.0f, 1.0f);
  const Var loss = tape.record(Tensor::scalar(0.0f), {out}, [projection](Tape::Step& s) {
    for (Index i = 0; i < projection.size(); ++i)
      s.grad_in[0]->data()[i] += s.grad_out.data()[0] * projection.data()[i];
  });
  tape.backward(loss);
  std::vector<Tensor> result{out.value().clone()};
  for (const Parameter& p : params) result.push_back(p.grad.clone());
  return result;
}

// Runs f with 1 thread and then with 2, restoring the default (all threads) afterwards.
template <typename F>
auto with_one_then_two_threads(F&& f) {
  struct Restore {
    ~Restore() { set_num_threads(0); }
  } restore;
  set_num_threads(1);
  auto one = f();
  set_num_threads(2);
  auto two = f();
  return std::make_pair(one, two);
}

}  // namespace moegnn::test
