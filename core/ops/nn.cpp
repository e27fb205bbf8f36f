// SPDX-License-Identifier: Apache-2.0
// Dropout, batch norm and layer norm on the tape: checks, the device switch, running statistics and
// the backward rules (kernels in cpu/nn.cpp). Statistics the backward pass needs (batch mean and
// 1/σ, or per-row ones for layer norm) are small tensors captured by the rule; x̂ is recomputed.
#include "core/ops/nn.h"

#include <cmath>
#include <utility>

#include "core/ops/cpu/nn.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/cuda/nn.h"
#include "core/ops/detail/dispatch.h"

namespace moegnn::ops {
namespace {

// Gives empty running statistics their initial values (mean 0, variance 1) and checks the rest.
void prepare_stats(BatchNormStats& stats, const Tensor& x) {
  const Index n = x.cols();
  if (stats.running_mean.empty() && stats.running_var.empty() && n > 0) {
    stats.running_mean = Tensor::zeros(1, n, x.device());
    stats.running_var = Tensor::ones(1, n, x.device());
  }
  detail::check_row_vector("batch_norm", stats.running_mean, "stats.running_mean", n);
  detail::check_row_vector("batch_norm", stats.running_var, "stats.running_var", n);
  detail::check_same_device("batch_norm", x, "x", stats.running_mean, "stats.running_mean");
  detail::check_same_device("batch_norm", x, "x", stats.running_var, "stats.running_var");
}

// running = (1 - momentum)·running + momentum·batch, with the unbiased batch variance (as PyTorch).
// New tensors replace the old ones, so copies a caller kept are not changed behind its back.
void update_stats(BatchNormStats& stats, const Tensor& mean, const Tensor& var, Index m,
                  float momentum) {
  Tensor running_mean = Tensor::empty(1, mean.cols());
  Tensor running_var = Tensor::empty(1, mean.cols());
  const float unbias = static_cast<float>(m) / static_cast<float>(m - 1);
  for (Index j = 0; j < mean.cols(); ++j) {
    running_mean.data()[j] =
        (1.0f - momentum) * stats.running_mean.data()[j] + momentum * mean.data()[j];
    running_var.data()[j] =
        (1.0f - momentum) * stats.running_var.data()[j] + momentum * var.data()[j] * unbias;
  }
  stats.running_mean = std::move(running_mean);
  stats.running_var = std::move(running_var);
  ++stats.num_batches;
}

float* data_or_null(Tensor* t) { return t != nullptr ? t->data() : nullptr; }

}  // namespace

Var dropout(Tape& tape, Var x, float p, Rng& rng, bool training) {
  MOEGNN_CHECK(p >= 0.0f && p < 1.0f, "drop probability p = ", p, " vs 0 <= p < 1");
  if (!training || p == 0.0f) return x;
  const Tensor& xv = x.value();
  const std::uint64_t key = rng.split();
  // The CUDA kernel draws the CPU's mask: keep ⇔ (bits >> 40) >= ⌈p·2²⁴⌉ (cpu/nn.cpp).
  const auto threshold = static_cast<std::uint64_t>(std::ceil(static_cast<double>(p) * 16777216.0));
  const float scale = 1.0f / (1.0f - p);
  Tensor out = Tensor::empty(xv.rows(), xv.cols(), xv.device());
  detail::on_device(
      "dropout", xv.device(), [&] { cpu::dropout(xv, key, p, out); },
      [&] { cuda::dropout(xv, key, threshold, scale, out); });
  // The rule redraws the mask from the key: it reads neither x nor the output.
  return tape.record(
      std::move(out), {x},
      [key, p, threshold, scale](Tape::Step& s) {
        if (s.grad_in[0] == nullptr) return;
        detail::on_device(
            "dropout", s.grad_out.device(),
            [&] { cpu::dropout_backward(s.grad_out, key, p, *s.grad_in[0], !s.fresh(0)); },
            [&] { cuda::dropout_backward(s.grad_out, key, threshold, scale, s.zeroed(0)); });
      },
      Tape::Reads::Nothing, Tape::Writes::Assign);
}

Var batch_norm(Tape& tape, Var x, Var gamma, Var beta, BatchNormStats& stats, bool training,
               float momentum, float eps) {
  // 1. Validate.
  const Tensor& xv = x.value();
  const Index m = xv.rows();
  const Index n = xv.cols();
  detail::check_row_vector("batch_norm", gamma.value(), "gamma", n);
  detail::check_row_vector("batch_norm", beta.value(), "beta", n);
  detail::check_same_device("batch_norm", xv, "x", gamma.value(), "gamma");
  detail::check_same_device("batch_norm", xv, "x", beta.value(), "beta");
  MOEGNN_CHECK(momentum >= 0.0f && momentum <= 1.0f, "momentum = ", momentum, " vs [0, 1]");
  MOEGNN_CHECK(eps > 0.0f && std::isfinite(eps), "eps = ", eps, " vs a finite value > 0");
  MOEGNN_CHECK(!training || m >= 2, "x has ", m, " rows vs at least 2 in training mode; ",
               "batch statistics need two samples");
  prepare_stats(stats, xv);
  // 2. Statistics: the batch's (and update the running ones) or the running ones.
  Tensor mean = Tensor::empty(1, n, xv.device());
  Tensor inv_std = Tensor::empty(1, n, xv.device());
  Tensor out = detail::on_device(
      "batch_norm", xv.device(),
      [&] {
        if (training) {
          Tensor var = Tensor::empty(1, n);
          cpu::column_moments(xv, mean.data(), var.data());
          update_stats(stats, mean, var, m, momentum);
          for (Index j = 0; j < n; ++j) inv_std.data()[j] = 1.0f / std::sqrt(var.data()[j] + eps);
        } else {
          mean = stats.running_mean;
          for (Index j = 0; j < n; ++j)
            inv_std.data()[j] = 1.0f / std::sqrt(stats.running_var.data()[j] + eps);
        }
        Tensor y = Tensor::empty(m, n, xv.device());
        cpu::normalize_columns(xv, mean.data(), inv_std.data(), gamma.value().data(),
                               beta.value().data(), y);
        return y;
      },
      [&] {
        if (training) {
          Tensor var = Tensor::empty(1, n, xv.device());
          cuda::column_moments(xv, mean.data(), var.data());
          BatchNormStats updated{Tensor::empty(1, n, xv.device()), Tensor::empty(1, n, xv.device()),
                                 stats.num_batches + 1};
          cuda::update_running(stats.running_mean.data(), stats.running_var.data(), mean.data(),
                               var.data(), m, n, momentum, updated.running_mean.data(),
                               updated.running_var.data());
          stats = std::move(updated);
          cuda::inverse_std(var.data(), eps, n, inv_std.data());
        } else {
          mean = stats.running_mean;
          cuda::inverse_std(stats.running_var.data(), eps, n, inv_std.data());
        }
        Tensor y = Tensor::empty(m, n, xv.device());
        cuda::normalize_columns(xv, mean.data(), inv_std.data(), gamma.value().data(),
                                beta.value().data(), y);
        return y;
      });
  // 3. Backward: through the batch statistics in training, through fixed ones in evaluation.
  // The rule reads x and gamma (Reads::Inputs), not the output.
  return tape.record(std::move(out), {x, gamma, beta}, [mean, inv_std, training](Tape::Step& s) {
    detail::on_device(
        "batch_norm", s.grad_out.device(),
        [&] {
          // gamma's and beta's gradients add (parameters); x's is written when fresh.
          for (const std::size_t i : {std::size_t{1}, std::size_t{2}})
            if (s.grad_in[i] != nullptr) s.zeroed(i);
          cpu::batch_norm_backward(*s.in[0], s.grad_out, mean.data(), inv_std.data(),
                                   s.in[1]->data(), training, s.grad_in[0],
                                   data_or_null(s.grad_in[1]), data_or_null(s.grad_in[2]),
                                   s.grad_in[0] != nullptr && !s.fresh(0));
        },
        [&] {
          for (const std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{2}})
            if (s.grad_in[i] != nullptr) s.zeroed(i);
          cuda::batch_norm_backward(*s.in[0], s.grad_out, mean.data(), inv_std.data(),
                                    s.in[1]->data(), training, s.grad_in[0],
                                    data_or_null(s.grad_in[1]), data_or_null(s.grad_in[2]));
        });
  }, Tape::Reads::Inputs, Tape::Writes::Assign);
}

Var layer_norm(Tape& tape, Var x, Var gamma, Var beta, float eps) {
  const Tensor& xv = x.value();
  const Index m = xv.rows();
  const Index n = xv.cols();
  detail::check_row_vector("layer_norm", gamma.value(), "gamma", n);
  detail::check_row_vector("layer_norm", beta.value(), "beta", n);
  detail::check_same_device("layer_norm", xv, "x", gamma.value(), "gamma");
  detail::check_same_device("layer_norm", xv, "x", beta.value(), "beta");
  MOEGNN_CHECK(n > 0 || m == 0, "x has ", m, " rows but no columns vs >= 1 column to normalise");
  MOEGNN_CHECK(eps > 0.0f && std::isfinite(eps), "eps = ", eps, " vs a finite value > 0");
  Tensor mean = Tensor::empty(m, 1, xv.device());
  Tensor inv_std = Tensor::empty(m, 1, xv.device());
  Tensor out = Tensor::empty(m, n, xv.device());
  detail::on_device(
      "layer_norm", xv.device(),
      [&] {
        cpu::layer_norm(xv, gamma.value().data(), beta.value().data(), eps, out, mean.data(),
                        inv_std.data());
      },
      [&] {
        cuda::layer_norm(xv, gamma.value().data(), beta.value().data(), eps, out, mean.data(),
                         inv_std.data());
      });
  return tape.record(std::move(out), {x, gamma, beta}, [mean, inv_std](Tape::Step& s) {
    detail::on_device(
        "layer_norm", s.out.device(),
        [&] {
          cpu::layer_norm_backward(*s.in[0], s.grad_out, mean.data(), inv_std.data(),
                                   s.in[1]->data(), s.grad_in[0], data_or_null(s.grad_in[1]),
                                   data_or_null(s.grad_in[2]));
        },
        [&] {
          cuda::layer_norm_backward(*s.in[0], s.grad_out, mean.data(), inv_std.data(),
                                    s.in[1]->data(), s.grad_in[0], data_or_null(s.grad_in[1]),
                                    data_or_null(s.grad_in[2]));
        });
  });
}

}  // namespace moegnn::ops
