// SPDX-License-Identifier: Apache-2.0
// Reverse-mode autograd. One Tape records one step; Var is a (tape, id) handle. Nodes are appended in
// execution order, which is a topological order, so backward() is a reverse loop. Each op records its
// backward rule next to its forward code (core/ops/*.cpp, layers/ops/*.cpp). Parameters are owned by
// layers; tape.param(p) makes a leaf whose gradient accumulates straight into p.grad.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace moegnn {

// A trainable tensor and its gradient buffer (same shape, zeroed by the optimizer).
struct Parameter {
  Parameter() = default;
  explicit Parameter(Tensor initial, std::string parameter_name = {});
  Tensor value;
  Tensor grad;
  std::string name;
  void zero_grad();
};

class Tape;

class Var {
 public:
  Var() = default;
  bool valid() const { return tape_ != nullptr; }
  Tape& tape() const;
  int id() const { return id_; }
  const Tensor& value() const;
  Index rows() const { return value().rows(); }
  Index cols() const { return value().cols(); }
  bool requires_grad() const;
  // The gradient after Tape::backward; throws InvalidArgument when none reached this node.
  const Tensor& grad() const;

 private:
  friend class Tape;
  Var(Tape* tape, int id) : tape_(tape), id_(id) {}
  Tape* tape_ = nullptr;
  int id_ = -1;
};

class Tape {
 public:
  enum class Mode { Training, Inference };  // Inference keeps values and drops backward rules

  // What a backward rule sees. grad_in[i] is nullptr when input i needs no gradient; otherwise a
  // buffer to add into: zero-initialised or partly accumulated. A rule recorded with
  // Writes::Assign may instead get a new, uninitialised buffer for an input that no rule has
  // reached yet (fresh(i)): the rule must then overwrite all of it, which saves zero-filling the
  // buffer and reading it back (the first contribution to most gradients). A path of such a rule
  // that only knows how to add calls zeroed(i) first.
  struct Step {
    const Tensor& grad_out;
    const Tensor& out;
    std::vector<const Tensor*> in;
    std::vector<Tensor*> grad_in;
    std::vector<char> fresh_in;  // fresh_in[i] != 0: grad_in[i] is uninitialised
    bool grad_out_dies = false;  // backward() frees grad_out right after this rule

    bool fresh(std::size_t i) const { return fresh_in[i] != 0; }
    // grad_in[i], zero-filled first when it is fresh (then no longer fresh).
    Tensor& zeroed(std::size_t i);
    // grad_in[i] = grad_out for a rule whose local derivative is the identity: when grad_in[i] is
    // fresh and grad_out dies after the rule, the input's gradient takes over grad_out's storage
    // (no copy); otherwise it is copied or added. Later contributions add into it in place.
    void pass_through(std::size_t i);
  };
  using BackwardFn = std::function<void(Step&)>;

  explicit Tape(Mode mode = Mode::Training) : mode_(mode) {}
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  Mode mode() const { return mode_; }
  bool recording() const { return mode_ == Mode::Training; }

  Var constant(Tensor value);
  Var param(Parameter& parameter);

  // Which values a backward rule reads from its Step: its inputs' (Step::in), its own output's
  // (Step::out), both, or neither. A value that no recorded rule reads can be freed during the
  // forward (release_value, take_value); the default, All, is always safe.
  enum class Reads : unsigned { Nothing = 0, Inputs = 1, Output = 2, All = 3 };

  // How a backward rule writes its inputs' gradients: Add into zeroed buffers (the default, always
  // safe), or Assign where Step::fresh(i) says the buffer is new (see Step).
  enum class Writes { Add, Assign };

  // Appends an op's output. The rule runs during backward() only if some input requires a gradient.
  Var record(Tensor value, const std::vector<Var>& inputs, BackwardFn backward,
             Reads reads = Reads::All, Writes writes = Writes::Add);

  // Frees var's value now: for a temporary of a layer's forward that no later op will take as an
  // input (the peak memory of a step is its live values). var.value() then throws, naming `by`.
  // Throws InvalidArgument when a recorded backward rule reads the value.
  void release_value(Var var, const char* by);
  // release_value when no recorded rule reads the value (and it is not freed yet); otherwise
  // nothing. Returns whether it freed the value. For a caller that is done with a value it made,
  // e.g. a layer stack with the previous layer's output once the next layer has read it.
  bool release_value_if_unread(Var var, const char* by);
  // Moves var's value out, as release_value, for an op `by` that overwrites it in place and records
  // the result as a new node. Also throws when another tensor shares the value's storage.
  Tensor take_value(Var var, const char* by);

  // What backward() frees as it goes, each buffer as soon as no later rule can read it (peak memory
  // of a step: about the forward's values plus the gradients in flight, not plus all gradients).
  //   Intermediates: every node's gradient except the parameters' (and retain_grad()'s) and each
  //     rule with the tensors it saved, right after the rule ran. Values stay readable.
  //   Everything: also every node's value except the loss's, once the rules that read it ran; for a
  //     training step that reads only the loss afterwards (value() of another node then throws).
  enum class Release { Intermediates, Everything };

  // Seeds d(loss) = 1 and runs the rules newest to oldest. loss must be 1 × 1 and on this tape.
  // Throws InvalidArgument otherwise, or when called twice or in Inference mode.
  void backward(Var loss, Release release = Release::Intermediates);

  // Keeps var's gradient after backward() (Var::grad), which otherwise frees it once consumed.
  void retain_grad(Var var);

  std::size_t size() const { return nodes_.size(); }
  const Tensor& value(int id) const;
  bool requires_grad(int id) const { return node(id).requires_grad; }
  const Tensor* grad(int id) const;

 private:
  struct Node {
    Tensor value;
    Tensor grad;  // empty until some rule accumulates into it
    bool has_grad = false;
    bool requires_grad = false;
    bool retain_grad = false;
    bool grad_released = false;   // freed by backward() after its rule ran
    bool value_released = false;  // freed by backward(loss, Release::Everything) or release_value
    bool value_read = false;      // some recorded backward rule reads the value
    bool assigns = false;         // the rule was recorded with Writes::Assign
    const char* released_by = nullptr;  // the op that freed the value during the forward
    Index rows = 0;  // the value's shape and device, kept for the gradient buffer once it is freed
    Index cols = 0;
    Device device = Device::Cpu;
    std::vector<int> inputs;
    BackwardFn backward;
    Parameter* parameter = nullptr;  // leaves made by param(): grad aliases parameter->grad
  };
  const Node& node(int id) const;
  Node& node(int id);
  Tensor* grad_buffer(Node& n);
  // grad_in for input k of `n`'s rule; marks it fresh when the rule may assign it.
  Tensor* input_grad(const Node& n, std::size_t k, Step& step);
  void check_var(const Var& var, const char* function) const;
  Var append(Node n);
  Node& releasable(Var var, const char* by);

  Mode mode_;
  std::deque<Node> nodes_;  // deque: references handed out stay valid while nodes are appended
  bool backward_done_ = false;
};

// dst += src, elementwise, on dst's device (the one in-place operation: gradient accumulation).
void accumulate(Tensor& dst, const Tensor& src);

}  // namespace moegnn
