// SPDX-License-Identifier: Apache-2.0
// Private helpers shared by the message-passing layers: the input checks every forward starts with
// and the root (target-node) rows of x. A graph may be square (full-batch) or a sampled block
// (graph/block.h): rows are the targets, columns the sources, and the first num_rows sources are
// the targets themselves, so x_dst = x[0:num_rows] (PyG's x_target = x[:size[1]]).
#pragma once

#include "core/tape.h"
#include "graph/csr.h"

namespace moegnn::layers::detail {

// x.rows() == graph.num_cols(), graph.num_rows() <= graph.num_cols(), x.cols() == in_channels,
// graph and x on the same device. Throws InvalidArgument naming `function`.
void check_message_input(const char* function, const graph::Csr& graph, const Var& x,
                         Index in_channels);

// x itself when the graph is square, else its first graph.num_rows() rows (a copy on the tape).
Var root_rows(Tape& tape, const graph::Csr& graph, Var x);

// Throws Unsupported("<function>: no CUDA kernel yet") unless `device` is the CPU.
void require_cpu(const char* function, Device device);

}  // namespace moegnn::layers::detail
