// SPDX-License-Identifier: Apache-2.0
// The halo exchange: one layer's input rows of the owned nodes -> the rows of every local node
// (owned, then the halo nodes' rows fetched from their owners by the part's plan: Part::send,
// Part::recv_offset), on the tape. Its backward sends the halo rows' gradients back to their
// owners, which add them to their owned rows' gradients, so the gradient of a distributed forward
// equals the single-process one. Every rank must call it (and run backward) in the same order.
#pragma once

#include <vector>

#include "core/tape.h"
#include "dist/comm.h"
#include "dist/part.h"

namespace moegnn::dist {

// owned: part.num_owned() × F -> part.num_local() × F. CPU tensors. Throws InvalidArgument on a
// row count other than num_owned() or a plan whose sizes disagree with the part, IoError from MPI.
Var halo_exchange(Tape& tape, Var owned, const Part& part, Communicator& comm);

// The same on a tensor (no tape).
Tensor halo_exchange(const Tensor& owned, const Part& part, Communicator& comm);

// The same on one double per node (e.g. degrees): owned.size() == num_owned() -> num_local().
std::vector<double> halo_exchange(const std::vector<double>& owned, const Part& part,
                                  Communicator& comm);

}  // namespace moegnn::dist
