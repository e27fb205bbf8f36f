// SPDX-License-Identifier: Apache-2.0
// CPU segment reductions: segments are spread over row-balanced chunks (offsets play the part of a
// CSR row_ptr), each segment summed by one serial, vectorised loop.
#include "layers/ops/cpu/segment.h"

#include "layers/ops/detail/row_chunks.h"

namespace moegnn::ops::cpu {

using graph::EdgeId;

namespace {
float segment_scale(const EdgeId* offsets, Index s, bool mean) {
  const EdgeId length = offsets[s + 1] - offsets[s];
  if (!mean) return 1.0f;
  return length > 0 ? 1.0f / static_cast<float>(length) : 0.0f;
}
}  // namespace

void segment_reduce(const EdgeId* offsets, Index num_segments, const Tensor& x, bool mean,
                    Tensor& out) {
  const Index width = x.cols();
  const float* xd = x.data();
  float* od = out.data();
  detail::parallel_over_rows(offsets, num_segments, width, [&](Index lo, Index hi) {
    for (Index s = lo; s < hi; ++s) {
      float* o = od + s * width;
      for (Index f = 0; f < width; ++f) o[f] = 0.0f;
      for (EdgeId r = offsets[s]; r < offsets[s + 1]; ++r) {
        const float* xr = xd + r * width;
        for (Index f = 0; f < width; ++f) o[f] += xr[f];
      }
      const float scale = segment_scale(offsets, s, mean);
      for (Index f = 0; f < width; ++f) o[f] *= scale;
    }
  });
}

void segment_broadcast(const EdgeId* offsets, Index num_segments, const Tensor& grad_out, bool mean,
                       Tensor& grad_x, bool accumulate) {
  const Index width = grad_out.cols();
  const float* g = grad_out.data();
  float* gx = grad_x.data();
  detail::parallel_over_rows(offsets, num_segments, width, [&](Index lo, Index hi) {
    for (Index s = lo; s < hi; ++s) {
      const float scale = segment_scale(offsets, s, mean);
      const float* gs = g + s * width;
      for (EdgeId r = offsets[s]; r < offsets[s + 1]; ++r) {
        float* o = gx + r * width;
        if (accumulate) {
          for (Index f = 0; f < width; ++f) o[f] += scale * gs[f];
        } else {
          for (Index f = 0; f < width; ++f) o[f] = scale * gs[f];
        }
      }
    }
  });
}

void segment_max(const EdgeId* offsets, Index num_segments, const Tensor& x, Tensor& out,
                 EdgeId* arg) {
  const Index width = x.cols();
  const float* xd = x.data();
  float* od = out.data();
  detail::parallel_over_rows(offsets, num_segments, width, [&](Index lo, Index hi) {
    for (Index s = lo; s < hi; ++s) {
      float* o = od + s * width;
      EdgeId* a = arg + s * width;
      if (offsets[s] == offsets[s + 1]) {
        for (Index f = 0; f < width; ++f) o[f] = 0.0f, a[f] = -1;
        continue;
      }
      const float* first = xd + offsets[s] * width;
      for (Index f = 0; f < width; ++f) o[f] = first[f], a[f] = offsets[s];
      for (EdgeId r = offsets[s] + 1; r < offsets[s + 1]; ++r) {
        const float* xr = xd + r * width;
        for (Index f = 0; f < width; ++f)
          if (xr[f] > o[f]) o[f] = xr[f], a[f] = r;
      }
    }
  });
}

void segment_max_backward(const EdgeId* arg, Index num_segments, const Tensor& grad_out,
                          Tensor& grad_x) {
  // Serial: two segments never share a row, but the work is tiny next to the forward pass.
  const Index width = grad_out.cols();
  const float* g = grad_out.data();
  float* gx = grad_x.data();
  for (Index s = 0; s < num_segments; ++s)
    for (Index f = 0; f < width; ++f) {
      const EdgeId r = arg[s * width + f];
      if (r >= 0) gx[r * width + f] += g[s * width + f];
    }
}

}  // namespace moegnn::ops::cpu
