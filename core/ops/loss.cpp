// SPDX-License-Identifier: Apache-2.0
// Losses on the tape: checks (shapes, devices, labels and rows in range, targets in [0, 1]), the
// non-finite guard and the backward rules. Row subsets become per-row weights (how often each row
// is selected), so a repeated row counts twice in forward and backward, and row-parallel backward
// kernels never write one row from two tasks.
#include "core/ops/loss.h"

#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "core/ops/cpu/elementwise.h"
#include "core/ops/cpu/loss.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/cuda/loss.h"
#include "core/ops/detail/dispatch.h"

namespace moegnn::ops {
namespace {

struct Selection {
  std::shared_ptr<std::vector<float>> weight;  // per row; shared with the backward rule
  Index count = 0;                             // selected rows, repeats included
  Tensor device_weight;                        // weight as m × 1 on CUDA (CUDA inputs only)
};

// Shape and device checks shared by cross_entropy and nll_loss (no data is read here).
void check_labelled(const char* op, const Tensor& x, const IndexArray32& labels,
                    const IndexArray32& rows) {
  MOEGNN_CHECK_AS(InvalidArgument, op, x.cols() > 0, "input has shape ", x.shape_string(),
                  " vs at least one class column");
  MOEGNN_CHECK_AS(InvalidArgument, op, labels.size() == x.rows(), "labels has ", labels.size(),
                  " entries vs ", x.rows(), " rows of the input");
  MOEGNN_CHECK_AS(InvalidArgument, op, labels.device() == x.device(), "labels are on ",
                  to_string(labels.device()), " vs the input on ", to_string(x.device()));
  MOEGNN_CHECK_AS(InvalidArgument, op, rows.empty() || rows.device() == x.device(), "rows are on ",
                  to_string(rows.device()), " vs the input on ", to_string(x.device()));
}

// Row weights for `rows` (empty: every row once), then the labels of the selected rows, which must
// lie in [0, classes). CPU data only.
Selection select_rows(const char* op, Index m, Index classes, const IndexArray32& labels,
                      const IndexArray32& rows) {
  Selection sel;
  sel.weight = std::make_shared<std::vector<float>>(static_cast<std::size_t>(m), 0.0f);
  std::vector<float>& weight = *sel.weight;
  if (rows.empty()) {
    std::fill(weight.begin(), weight.end(), 1.0f);
    sel.count = m;
  } else {
    const std::int32_t* r = rows.data();
    for (Index k = 0; k < rows.size(); ++k) {
      MOEGNN_CHECK_AS(InvalidArgument, op, r[k] >= 0 && r[k] < m, "rows[", k, "] = ", r[k],
                      " out of range vs [0, ", m, ")");
      weight[static_cast<std::size_t>(r[k])] += 1.0f;
    }
    sel.count = rows.size();
  }
  MOEGNN_CHECK_AS(InvalidArgument, op, sel.count > 0, "no rows to average over: the input has ", m,
                  " rows vs at least one");
  const std::int32_t* l = labels.data();
  for (Index i = 0; i < m; ++i)
    MOEGNN_CHECK_AS(InvalidArgument, op,
                    weight[static_cast<std::size_t>(i)] == 0.0f || (l[i] >= 0 && l[i] < classes),
                    "labels[", i, "] = ", l[i], " out of range vs [0, ", classes, ") classes");
  return sel;
}

// select_rows for labels and rows on CUDA: both are read on the host (m + |rows| integers), and
// the weights go back to the device for the kernels.
Selection select_rows_cuda(const char* op, Index m, Index classes, const IndexArray32& labels,
                           const IndexArray32& rows) {
  Selection sel = select_rows(op, m, classes, labels.to(Device::Cpu), rows.to(Device::Cpu));
  sel.device_weight = Tensor::from_vector(m, 1, *sel.weight).to(Device::Cuda);
  return sel;
}

// A 1 × 1 loss on `device` (the tape runs its backward rule where the value lives).
Tensor loss_value(float loss, Device device) {
  return device == Device::Cpu ? Tensor::scalar(loss) : Tensor::full(1, 1, loss, device);
}

// A non-finite loss stops the run here, with the op's name, instead of poisoning the parameters.
float checked_loss(const char* op, double total, Index count) {
  const auto loss = static_cast<float>(total / static_cast<double>(count));
  MOEGNN_CHECK_AS(InvalidArgument, op, std::isfinite(loss), "loss is not finite: ", loss,
                  " vs a finite value; check the inputs for NaN/inf and lower the learning rate");
  return loss;
}

// dx += scale · d(element) for every element: the backward of the elementwise mean losses.
template <typename Local>
void add_scaled(Tensor& dx, float scale, Local local) {
  float* pd = dx.data();
  cpu::accumulate_elements(pd, dx.size(), [&](Index e) { return scale * local(e); });
}

}  // namespace

Var cross_entropy(Tape& tape, Var logits, const IndexArray32& labels, const IndexArray32& rows) {
  const Tensor& z = logits.value();
  check_labelled("cross_entropy", z, labels, rows);
  Selection sel;
  // Row max and log Σ exp(z - max), for backward.
  Tensor shift = Tensor::empty(z.rows(), 1, z.device());
  Tensor log_sum = Tensor::empty(z.rows(), 1, z.device());
  const float loss = detail::on_device(
      "cross_entropy", z.device(),
      [&] {
        sel = select_rows("cross_entropy", z.rows(), z.cols(), labels, rows);
        const double total =
            cpu::cross_entropy(z, labels.data(), sel.weight->data(), shift.data(), log_sum.data());
        return checked_loss("cross_entropy", total, sel.count);
      },
      [&] {
        sel = select_rows_cuda("cross_entropy", z.rows(), z.cols(), labels, rows);
        const double total = cuda::cross_entropy(z, labels.data(), sel.device_weight.data(),
                                                 shift.data(), log_sum.data());
        return checked_loss("cross_entropy", total, sel.count);
      });
  return tape.record(
      loss_value(loss, z.device()), {logits}, [labels, sel, shift, log_sum](Tape::Step& s) {
        if (s.grad_in[0] == nullptr) return;
        const float scale = s.grad_out.item() / static_cast<float>(sel.count);
        detail::on_device(
            "cross_entropy", s.out.device(),
            [&] {
              cpu::cross_entropy_backward(*s.in[0], labels.data(), sel.weight->data(), shift.data(),
                                          log_sum.data(), scale, *s.grad_in[0]);
            },
            [&] {
              cuda::cross_entropy_backward(*s.in[0], labels.data(), sel.device_weight.data(),
                                           shift.data(), log_sum.data(), scale, *s.grad_in[0]);
            });
      });
}

Var nll_loss(Tape& tape, Var log_probs, const IndexArray32& labels, const IndexArray32& rows) {
  const Tensor& lp = log_probs.value();
  check_labelled("nll_loss", lp, labels, rows);
  Selection sel;
  const float loss = detail::on_device(
      "nll_loss", lp.device(),
      [&] {
        sel = select_rows("nll_loss", lp.rows(), lp.cols(), labels, rows);
        return checked_loss("nll_loss", cpu::nll(lp, labels.data(), sel.weight->data()), sel.count);
      },
      [&] {
        sel = select_rows_cuda("nll_loss", lp.rows(), lp.cols(), labels, rows);
        return checked_loss("nll_loss", cuda::nll(lp, labels.data(), sel.device_weight.data()),
                            sel.count);
      });
  return tape.record(loss_value(loss, lp.device()), {log_probs}, [labels, sel](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const float scale = s.grad_out.item() / static_cast<float>(sel.count);
    detail::on_device(
        "nll_loss", s.out.device(),
        [&] {
          const Index c = s.grad_in[0]->cols();
          float* pd = s.grad_in[0]->data();
          const float* w = sel.weight->data();
          const std::int32_t* l = labels.data();
          for (Index i = 0; i < s.grad_in[0]->rows(); ++i)
            if (w[i] != 0.0f) pd[i * c + l[i]] -= scale * w[i];
        },
        [&] { cuda::nll_backward(labels.data(), sel.device_weight.data(), scale, *s.grad_in[0]); });
  });
}

Var bce_with_logits(Tape& tape, Var logits, const Tensor& targets) {
  const Tensor& z = logits.value();
  detail::check_same_shape("bce_with_logits", z, "logits", targets, "targets");
  detail::check_same_device("bce_with_logits", z, "logits", targets, "targets");
  MOEGNN_CHECK(!z.empty(), "logits are empty: ", z.shape_string(), " vs at least one element");
  const float loss = detail::on_device(
      "bce_with_logits", z.device(),
      [&] {
        const float* t = targets.data();
        for (Index e = 0; e < targets.size(); ++e)
          MOEGNN_CHECK_AS(InvalidArgument, "bce_with_logits", t[e] >= 0.0f && t[e] <= 1.0f,
                          "targets element ", e, " = ", t[e], " out of range vs [0, 1]");
        return checked_loss("bce_with_logits", cpu::bce_with_logits(z, targets), z.size());
      },
      [&] {
        const long long bad = cuda::first_outside_unit(targets);
        MOEGNN_CHECK_AS(InvalidArgument, "bce_with_logits", bad < 0, "targets element ", bad, " = ",
                        bad < 0 ? 0.0f : targets.to(Device::Cpu).data()[bad],
                        " out of range vs [0, 1]");
        return checked_loss("bce_with_logits", cuda::bce_with_logits(z, targets), z.size());
      });
  return tape.record(loss_value(loss, z.device()), {logits}, [targets](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const float scale = s.grad_out.item() / static_cast<float>(targets.size());
    detail::on_device(
        "bce_with_logits", s.out.device(),
        [&] {
          const float* pz = s.in[0]->data();
          const float* pt = targets.data();
          add_scaled(*s.grad_in[0], scale,
                     [&](Index e) { return 1.0f / (1.0f + std::exp(-pz[e])) - pt[e]; });
        },
        [&] { cuda::bce_with_logits_backward(*s.in[0], targets, scale, *s.grad_in[0]); });
  });
}

Var mse(Tape& tape, Var prediction, const Tensor& target) {
  const Tensor& p = prediction.value();
  detail::check_same_shape("mse", p, "prediction", target, "target");
  detail::check_same_device("mse", p, "prediction", target, "target");
  MOEGNN_CHECK(!p.empty(), "prediction is empty: ", p.shape_string(), " vs at least one element");
  const float loss = detail::on_device(
      "mse", p.device(),
      [&] { return checked_loss("mse", cpu::squared_distance(p, target), p.size()); },
      [&] { return checked_loss("mse", cuda::squared_distance(p, target), p.size()); });
  return tape.record(loss_value(loss, p.device()), {prediction}, [target](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const float scale = 2.0f * s.grad_out.item() / static_cast<float>(target.size());
    detail::on_device(
        "mse", s.out.device(),
        [&] {
          const float* pp = s.in[0]->data();
          const float* pt = target.data();
          add_scaled(*s.grad_in[0], scale, [&](Index e) { return pp[e] - pt[e]; });
        },
        [&] { cuda::squared_distance_backward(*s.in[0], target, scale, *s.grad_in[0]); });
  });
}

Var l2_penalty(Tape& tape, const std::vector<Var>& vars, float scale) {
  MOEGNN_CHECK(std::isfinite(scale), "scale = ", scale, " vs a finite value");
  double total = 0.0;
  for (std::size_t v = 0; v < vars.size(); ++v) {
    const Tensor& x = vars[v].value();
    total += detail::on_device(
        "l2_penalty", x.device(), [&] { return cpu::squared_norm(x); },
        [&] { return cuda::squared_norm(x); });
  }
  const float loss = checked_loss("l2_penalty", total * scale, 1);
  // The penalty lives where its inputs do (CPU when there are none).
  const Device device = vars.empty() ? Device::Cpu : vars[0].value().device();
  return tape.record(loss_value(loss, device), vars, [scale](Tape::Step& s) {
    const float factor = 2.0f * scale * s.grad_out.item();
    for (std::size_t v = 0; v < s.grad_in.size(); ++v) {
      if (s.grad_in[v] == nullptr) continue;
      detail::on_device(
          "l2_penalty", s.in[v]->device(),
          [&] {
            const float* px = s.in[v]->data();
            add_scaled(*s.grad_in[v], factor, [&](Index e) { return px[e]; });
          },
          [&] { cuda::accumulate_scaled(*s.in[v], factor, *s.grad_in[v]); });
    }
  });
}

}  // namespace moegnn::ops
