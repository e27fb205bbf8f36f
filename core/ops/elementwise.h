// SPDX-License-Identifier: Apache-2.0
// Elementwise arithmetic and activations on the tape. Binary ops broadcast the right operand b over
// a (m × n): b may be m × n, 1 × n (one row, added to every row: bias), m × 1 (one column) or 1 × 1.
// Anything else throws InvalidArgument naming both shapes.
#pragma once

#include "core/tape.h"

namespace moegnn::ops {

Var add(Tape& tape, Var a, Var b);
Var sub(Tape& tape, Var a, Var b);
Var mul(Tape& tape, Var a, Var b);
Var div(Tape& tape, Var a, Var b);  // b must have no zeros where it is used; not checked
// x + bias with bias 1 × n: the layers' bias add (same as add with row broadcast, named for intent).
Var add_bias(Tape& tape, Var x, Var bias);
// The same, written over x's value, which the tape gives up to it (Tape::take_value): for a layer's
// temporary that no backward rule reads, such as GCNConv's SpMM or matmul output; saves a tensor of
// x's size at the step's peak. x.value() then throws. Throws InvalidArgument (naming add_bias_)
// when a recorded rule reads x's value or another tensor shares its storage.
Var add_bias_(Tape& tape, Var x, Var bias);
Var add_scalar(Tape& tape, Var x, float value);
Var mul_scalar(Tape& tape, Var x, float value);
Var neg(Tape& tape, Var x);

Var exp(Tape& tape, Var x);
Var log(Tape& tape, Var x);           // natural log; x > 0 expected
Var pow(Tape& tape, Var x, float p);  // x^p; for non-integer p, x >= 0 expected
Var sqrt(Tape& tape, Var x);
Var clamp(Tape& tape, Var x, float lo, float hi);  // gradient 0 outside [lo, hi]; throws if lo > hi

Var relu(Tape& tape, Var x);
Var leaky_relu(Tape& tape, Var x, float negative_slope = 0.01f);
Var elu(Tape& tape, Var x, float alpha = 1.0f);
Var gelu(Tape& tape, Var x);  // exact form x·Φ(x), as PyTorch's default
Var sigmoid(Tape& tape, Var x);
Var tanh(Tape& tape, Var x);

}  // namespace moegnn::ops
