// SPDX-License-Identifier: Apache-2.0
// Concatenation, slicing, gather and scatter-add on the tape. Every op copies (Tensor has no
// strided views); each backward rule adds the output gradient back into the place its input came
// from, and gather's backward is the same deterministic bucketed scatter-add as scatter_add_rows.
#include "core/ops/shape.h"

#include <algorithm>
#include <utility>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cpu/shape.h"
#include "core/ops/cuda/shape.h"
#include "core/ops/detail/dispatch.h"

namespace moegnn::ops {
namespace {

// dst[0, count) (+)= src[0, count), in parallel over fixed chunks.
void copy_block(const float* src, float* dst, Index count, bool accumulate) {
  if (accumulate) {
    cpu::accumulate_elements(dst, count, [src](Index e) { return src[e]; });
  } else {
    cpu::for_each_chunk(count,
                        [&](Index lo, Index hi) { std::copy(src + lo, src + hi, dst + lo); });
  }
}

// copy_block on the tensors' device.
void copy_block_on(Device device, const char* op, const float* src, float* dst, Index count,
                   bool accumulate) {
  detail::on_device(
      op, device, [&] { copy_block(src, dst, count, accumulate); },
      [&] { cuda::copy_block(src, dst, count, accumulate); });
}

// cpu::copy_cols or its CUDA twin, by the device of `to`.
void copy_cols_on(const char* op, const Tensor& from, Index from_col0, Tensor& to, Index to_col0,
                  Index cols, bool accumulate) {
  detail::on_device(
      op, to.device(), [&] { cpu::copy_cols(from, from_col0, to, to_col0, cols, accumulate); },
      [&] { cuda::copy_cols(from, from_col0, to, to_col0, cols, accumulate); });
}

// out[index[i]] += x[i] on CUDA: the CPU's destination buckets, built from a host copy of the
// index and uploaded, so the device sums each row's sources in the CPU's order (no atomics).
void scatter_add_rows_cuda(const Tensor& x, const IndexArray32& host_index, Tensor& out) {
  const cpu::Buckets buckets =
      cpu::bucket_by_destination(host_index.data(), host_index.size(), out.rows());
  const IndexArray64 offsets = IndexArray64(buckets.offsets).to(Device::Cuda);
  IndexArray64 order;  // stays empty (and on the host) when the index was already sorted
  if (!buckets.order.empty()) order = IndexArray64(buckets.order).to(Device::Cuda);
  detail::on_cuda("scatter_add_rows", [&] {
    cuda::scatter_add_rows(x, offsets.data(), order.empty() ? nullptr : order.data(), out);
  });
}

// Throws InvalidArgument naming `op` at the first entry of `index` outside [0, limit).
void check_index_range(const char* op, const IndexArray32& index, Index limit) {
  const std::int32_t* p = index.data();
  for (Index i = 0; i < index.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, op, p[i] >= 0 && p[i] < limit, "index[", i, "] = ", p[i],
                    " out of range vs [0, ", limit, ")");
}

void check_index_device(const char* op, const Tensor& x, const IndexArray32& index) {
  MOEGNN_CHECK_AS(InvalidArgument, op, index.device() == x.device(), "index is on ",
                  to_string(index.device()), " vs x on ", to_string(x.device()));
}

// Checks the parts of a concatenation: at least one, one device, and equal column counts when
// stacking rows (equal row counts otherwise).
void check_parts(const char* op, const std::vector<Var>& parts, bool stacking_rows) {
  MOEGNN_CHECK_AS(InvalidArgument, op, !parts.empty(), "no parts vs at least one");
  const Tensor& first = parts[0].value();
  for (std::size_t p = 1; p < parts.size(); ++p) {
    const Tensor& t = parts[p].value();
    const Index got = stacking_rows ? t.cols() : t.rows();
    const Index want = stacking_rows ? first.cols() : first.rows();
    MOEGNN_CHECK_AS(InvalidArgument, op, got == want, "part ", p, " has shape ", t.shape_string(),
                    " vs part 0 ", first.shape_string(), "; ", stacking_rows ? "columns" : "rows",
                    " must be equal");
    MOEGNN_CHECK_AS(InvalidArgument, op, t.device() == first.device(), "part ", p, " is on ",
                    to_string(t.device()), " vs part 0 on ", to_string(first.device()));
  }
}

void check_range(const char* op, Index begin, Index end, Index size, const char* axis) {
  MOEGNN_CHECK_AS(InvalidArgument, op, 0 <= begin && begin <= end && end <= size, axis, " range [",
                  begin, ", ", end, ") vs 0 <= begin <= end <= ", size);
}

}  // namespace

Var concat_rows(Tape& tape, const std::vector<Var>& parts) {
  check_parts("concat_rows", parts, true);
  const Index cols = parts[0].cols();
  std::vector<Index> offsets{0};  // first row of each part in the output
  for (const Var& part : parts) offsets.push_back(offsets.back() + part.rows());
  const Device device = parts[0].value().device();
  Tensor out = Tensor::empty(offsets.back(), cols, device);
  for (std::size_t p = 0; p < parts.size(); ++p)
    copy_block_on(device, "concat_rows", parts[p].value().data(), out.data() + offsets[p] * cols,
                  parts[p].value().size(), false);
  return tape.record(std::move(out), parts, [offsets, cols](Tape::Step& s) {
    for (std::size_t p = 0; p < s.grad_in.size(); ++p)
      if (s.grad_in[p] != nullptr)
        copy_block_on(s.out.device(), "concat_rows", s.grad_out.data() + offsets[p] * cols,
                      s.grad_in[p]->data(), s.grad_in[p]->size(), true);
  });
}

Var concat_cols(Tape& tape, const std::vector<Var>& parts) {
  check_parts("concat_cols", parts, false);
  const Index rows = parts[0].rows();
  std::vector<Index> offsets{0};  // first column of each part in the output
  for (const Var& part : parts) offsets.push_back(offsets.back() + part.cols());
  const Device device = parts[0].value().device();
  Tensor out = Tensor::empty(rows, offsets.back(), device);
  for (std::size_t p = 0; p < parts.size(); ++p)
    copy_cols_on("concat_cols", parts[p].value(), 0, out, offsets[p], parts[p].cols(), false);
  return tape.record(std::move(out), parts, [offsets](Tape::Step& s) {
    for (std::size_t p = 0; p < s.grad_in.size(); ++p)
      if (s.grad_in[p] != nullptr)
        copy_cols_on("concat_cols", s.grad_out, offsets[p], *s.grad_in[p], 0, s.grad_in[p]->cols(),
                     true);
  });
}

Var slice_rows(Tape& tape, Var x, Index begin, Index end) {
  const Tensor& xv = x.value();
  check_range("slice_rows", begin, end, xv.rows(), "row");
  const Index cols = xv.cols();
  Tensor out = Tensor::empty(end - begin, cols, xv.device());
  copy_block_on(xv.device(), "slice_rows", xv.data() + begin * cols, out.data(), out.size(), false);
  return tape.record(std::move(out), {x}, [begin, cols](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    copy_block_on(s.out.device(), "slice_rows", s.grad_out.data(),
                  s.grad_in[0]->data() + begin * cols, s.grad_out.size(), true);
  });
}

Var slice_cols(Tape& tape, Var x, Index begin, Index end) {
  const Tensor& xv = x.value();
  check_range("slice_cols", begin, end, xv.cols(), "column");
  Tensor out = Tensor::empty(xv.rows(), end - begin, xv.device());
  copy_cols_on("slice_cols", xv, begin, out, 0, end - begin, false);
  return tape.record(std::move(out), {x}, [begin](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    copy_cols_on("slice_cols", s.grad_out, 0, *s.grad_in[0], begin, s.grad_out.cols(), true);
  });
}

Tensor gather_rows(const Tensor& x, const IndexArray32& index) {
  check_index_device("gather_rows", x, index);
  Tensor out = Tensor::empty(index.size(), x.cols(), x.device());
  detail::on_device(
      "gather_rows", x.device(),
      [&] {
        check_index_range("gather_rows", index, x.rows());
        cpu::gather_rows(x, index.data(), out, false);
      },
      [&] {
        check_index_range("gather_rows", index.to(Device::Cpu), x.rows());
        cuda::gather_rows(x, index.data(), out, false);
      });
  return out;
}

Var gather_rows(Tape& tape, Var x, const IndexArray32& index) {
  Tensor out = gather_rows(x.value(), index);
  // The backward scatter-add buckets rows on the host; CUDA keeps a host copy of the index for it.
  const IndexArray32 host_index = index.to(Device::Cpu);
  return tape.record(std::move(out), {x}, [host_index](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    detail::on_device(
        "gather_rows", s.out.device(),
        [&] { cpu::scatter_add_rows(s.grad_out, host_index.data(), *s.grad_in[0]); },
        [&] { scatter_add_rows_cuda(s.grad_out, host_index, *s.grad_in[0]); });
  });
}

Tensor scatter_add_rows(const Tensor& x, const IndexArray32& index, Index num_rows) {
  MOEGNN_CHECK(num_rows >= 0, "num_rows = ", num_rows, " vs >= 0");
  MOEGNN_CHECK(index.size() == x.rows(), "index has ", index.size(), " entries vs x with ",
               x.rows(), " rows; one destination per row of x");
  check_index_device("scatter_add_rows", x, index);
  Tensor out = Tensor::zeros(num_rows, x.cols(), x.device());
  detail::on_device(
      "scatter_add_rows", x.device(),
      [&] {
        check_index_range("scatter_add_rows", index, num_rows);
        cpu::scatter_add_rows(x, index.data(), out);
      },
      [&] {
        const IndexArray32 host_index = index.to(Device::Cpu);
        check_index_range("scatter_add_rows", host_index, num_rows);
        scatter_add_rows_cuda(x, host_index, out);
      });
  return out;
}

Var scatter_add_rows(Tape& tape, Var x, const IndexArray32& index, Index num_rows) {
  Tensor out = scatter_add_rows(x.value(), index, num_rows);
  return tape.record(std::move(out), {x}, [index](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    detail::on_device(
        "scatter_add_rows", s.out.device(),
        [&] { cpu::gather_rows(s.grad_out, index.data(), *s.grad_in[0], true); },
        [&] { cuda::gather_rows(s.grad_out, index.data(), *s.grad_in[0], true); });
  });
}

}  // namespace moegnn::ops
