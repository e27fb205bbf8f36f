// SPDX-License-Identifier: Apache-2.0
// The tape's bookkeeping and the reverse loop.
#include "core/tape.h"

#include <algorithm>
#include <limits>

#include "core/detail/asan.h"
#include "core/error.h"
#include "core/ops/cuda/elementwise.h"
#include "core/parallel.h"

namespace moegnn {

Parameter::Parameter(Tensor initial, std::string parameter_name)
    : value(std::move(initial)),
      grad(Tensor::zeros(value.rows(), value.cols(), value.device())),
      name(std::move(parameter_name)) {}

void Parameter::zero_grad() {
  if (!grad.same_shape(value)) grad = Tensor::zeros(value.rows(), value.cols(), value.device());
  else grad.fill(0.0f);
}

Tape& Var::tape() const {
  MOEGNN_CHECK(tape_ != nullptr, "Var is empty (default-constructed)");
  return *tape_;
}
const Tensor& Var::value() const { return tape().value(id_); }
bool Var::requires_grad() const { return tape().requires_grad(id_); }
const Tensor& Var::grad() const {
  const Tensor* g = tape().grad(id_);
  MOEGNN_CHECK(g != nullptr, "no gradient reached node ", id_,
               "; call backward() on a loss that depends on it");
  return *g;
}

const Tape::Node& Tape::node(int id) const {
  MOEGNN_CHECK(id >= 0 && static_cast<std::size_t>(id) < nodes_.size(), "node id ", id,
               " out of range vs tape size ", nodes_.size());
  return nodes_[static_cast<std::size_t>(id)];
}
Tape::Node& Tape::node(int id) {
  return const_cast<Node&>(static_cast<const Tape&>(*this).node(id));
}

const Tensor& Tape::value(int id) const {
  const Node& n = node(id);
  MOEGNN_CHECK(n.released_by == nullptr, "the value of node ", id, " was freed by ",
               n.released_by == nullptr ? "" : n.released_by,
               " during the forward (a temporary that no backward rule reads); it is not readable");
  MOEGNN_CHECK(!n.value_released, "the value of node ", id,
               " was freed by backward(loss, Release::Everything); read values before backward or "
               "use Release::Intermediates");
  return n.value;
}

const Tensor* Tape::grad(int id) const {
  const Node& n = node(id);
  MOEGNN_CHECK(!n.grad_released, "the gradient of node ", id,
               " was freed by backward() once consumed; call tape.retain_grad(var) before "
               "backward() to keep it");
  if (!n.has_grad) return nullptr;
  return &n.grad;
}

void Tape::retain_grad(Var var) {
  check_var(var, "Tape::retain_grad");
  MOEGNN_CHECK(!backward_done_, "retain_grad() after backward(); call it before");
  node(var.id_).retain_grad = true;
}

void Tape::check_var(const Var& var, const char* function) const {
  MOEGNN_CHECK_AS(InvalidArgument, function, var.tape_ == this, "Var ", var.id_,
                  " belongs to another tape (or is empty)");
}

Var Tape::append(Node n) {
  n.rows = n.value.rows();
  n.cols = n.value.cols();
  n.device = n.value.device();
  nodes_.push_back(std::move(n));
  return Var(this, static_cast<int>(nodes_.size() - 1));
}

Var Tape::constant(Tensor value) {
  Node n;
  n.value = std::move(value);
  return append(std::move(n));
}

Var Tape::param(Parameter& parameter) {
  Node n;
  n.value = parameter.value;
  n.requires_grad = recording();
  n.parameter = recording() ? &parameter : nullptr;
  return append(std::move(n));
}

Var Tape::record(Tensor value, const std::vector<Var>& inputs, BackwardFn backward, Reads reads,
                 Writes writes) {
  Node n;
  n.value = std::move(value);
  n.assigns = writes == Writes::Assign;
  if (recording()) {
    for (const Var& input : inputs) {
      check_var(input, "Tape::record");
      n.inputs.push_back(input.id_);
      n.requires_grad = n.requires_grad || node(input.id_).requires_grad;
    }
    if (n.requires_grad) {
      n.backward = std::move(backward);
      const auto bits = static_cast<unsigned>(reads);
      if ((bits & static_cast<unsigned>(Reads::Inputs)) != 0) {
        for (const int input : n.inputs) node(input).value_read = true;
      }
      n.value_read = (bits & static_cast<unsigned>(Reads::Output)) != 0;
    }
  }
  return append(std::move(n));
}

Tape::Node& Tape::releasable(Var var, const char* by) {
  check_var(var, by);
  Node& n = node(var.id_);
  MOEGNN_CHECK_AS(InvalidArgument, by, !n.value_released && n.released_by == nullptr,
                  "the value of node ", var.id_, " is already freed");
  MOEGNN_CHECK_AS(InvalidArgument, by, !n.value_read, "the value of node ", var.id_,
                  " is read by a recorded backward rule vs a value that no rule reads; keep it "
                  "(use the op that writes a new tensor)");
  return n;
}

void Tape::release_value(Var var, const char* by) {
  Node& n = releasable(var, by);
  n.value = Tensor();
  n.value_released = true;
  n.released_by = by;
}

bool Tape::release_value_if_unread(Var var, const char* by) {
  check_var(var, by);
  const Node& n = node(var.id_);
  if (n.value_read || n.value_released || n.released_by != nullptr) return false;
  release_value(var, by);
  return true;
}

Tensor Tape::take_value(Var var, const char* by) {
  Node& n = releasable(var, by);
  MOEGNN_CHECK_AS(InvalidArgument, by, n.value.sole_owner(), "the value of node ", var.id_,
                  " shares its storage with another tensor vs sole ownership for an in-place op; "
                  "use the op that writes a new tensor");
  Tensor value = std::move(n.value);
  n.value = Tensor();
  n.value_released = true;
  n.released_by = by;
  return value;
}

Tensor* Tape::grad_buffer(Node& n) {
  if (!n.has_grad) {
    if (n.parameter != nullptr) {
      Parameter& p = *n.parameter;
      if (!p.grad.same_shape(p.value)) p.zero_grad();
      n.grad = p.grad;  // shares storage: rules accumulate straight into the parameter's gradient
    } else {
      n.grad = Tensor::zeros(n.rows, n.cols, n.device);  // the value may be freed already
    }
    n.has_grad = true;
  }
  return &n.grad;
}

Tensor* Tape::input_grad(const Node& n, std::size_t k, Step& step) {
  const int id = n.inputs[k];
  Node& in = nodes_[static_cast<std::size_t>(id)];
  if (!in.requires_grad) return nullptr;
  // Fresh: the rule assigns, nothing has reached the input yet, it is not a parameter (whose
  // gradient accumulates over steps in place) and it is this rule's input once only (a rule given
  // x twice would assign one gradient and then overwrite it).
  const bool fresh = n.assigns && !in.has_grad && in.parameter == nullptr &&
                     std::count(n.inputs.begin(), n.inputs.end(), id) == 1;
  if (!fresh) return grad_buffer(in);
  in.grad = Tensor::empty(in.rows, in.cols, in.device);
#ifdef MOEGNN_ASAN
  // The sanitizer build fills it with NaN, so that a rule that leaves part of it unwritten fails
  // the gradient checks.
  in.grad.fill(std::numeric_limits<float>::quiet_NaN());
#endif
  in.has_grad = true;
  step.fresh_in[k] = 1;
  return &in.grad;
}

void Tape::Step::pass_through(std::size_t i) {
  Tensor& g = *grad_in[i];
  if (!fresh(i)) {
    accumulate(g, grad_out);
  } else if (grad_out_dies) {
    g = grad_out;  // shares the storage, which grad_out's node drops right after this rule
  } else {
    g.copy_from(grad_out);
  }
  fresh_in[i] = 0;
}

Tensor& Tape::Step::zeroed(std::size_t i) {
  if (fresh_in[i] != 0) {
    grad_in[i]->fill(0.0f);
    fresh_in[i] = 0;
  }
  return *grad_in[i];
}

void Tape::backward(Var loss, Release release) {
  check_var(loss, "Tape::backward");
  MOEGNN_CHECK(recording(), "the tape is in Inference mode and recorded no backward rules");
  MOEGNN_CHECK(!backward_done_, "backward() was already called on this tape; record a new step");
  Node& root = node(loss.id_);
  MOEGNN_CHECK(root.value.rows() == 1 && root.value.cols() == 1, "loss must be 1 × 1, got ",
               root.value.shape_string(), "; reduce it with ops::sum or ops::mean");
  backward_done_ = true;
  if (!root.requires_grad) return;  // nothing trainable reaches the loss
  accumulate(*grad_buffer(root), Tensor::ones(1, 1, root.value.device()));

  const bool release_values = release == Release::Everything;
  for (auto id = static_cast<std::ptrdiff_t>(loss.id_); id >= 0; --id) {
    Node& n = nodes_[static_cast<std::size_t>(id)];
    if (n.has_grad && n.backward) {
      Step step{n.grad, n.value, {}, {}, {}};
      step.in.reserve(n.inputs.size());
      step.grad_in.reserve(n.inputs.size());
      step.fresh_in.assign(n.inputs.size(), 0);
      step.grad_out_dies = n.parameter == nullptr && !n.retain_grad;
      for (std::size_t k = 0; k < n.inputs.size(); ++k) {
        step.in.push_back(&nodes_[static_cast<std::size_t>(n.inputs[k])].value);
        step.grad_in.push_back(input_grad(n, k, step));
      }
      n.backward(step);
    }
    // Every rule that reads this node (its consumers have larger ids) has run: free what only
    // backward needed. A parameter's gradient is the parameter's own buffer and stays.
    n.backward = nullptr;
    if (n.has_grad && n.parameter == nullptr && !n.retain_grad) {
      n.grad = Tensor();
      n.has_grad = false;
      n.grad_released = true;
    }
    if (release_values && id != static_cast<std::ptrdiff_t>(loss.id_)) {
      n.value = Tensor();
      n.value_released = true;
    }
  }
}

void accumulate(Tensor& dst, const Tensor& src) {
  MOEGNN_CHECK(dst.same_shape(src), "shapes differ: ", src.shape_string(), " vs ",
               dst.shape_string());
  MOEGNN_CHECK(dst.device() == src.device(), "devices differ: ", to_string(src.device()), " vs ",
               to_string(dst.device()));
  if (dst.device() == Device::Cuda) {
    if constexpr (build::kWithCuda) {
      ops::cuda::accumulate(src, dst);
      return;
    } else {
      MOEGNN_FAIL(Unsupported, "accumulate", "CUDA tensors in a build with MOEGNN_WITH_CUDA=OFF");
    }
  }
  float* d = dst.data();
  const float* s = src.data();
  parallel_for_range(0, dst.size(), [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) d[i] += s[i];
  }, 1 << 14);
}

}  // namespace moegnn
