// SPDX-License-Identifier: Apache-2.0
// The MPI tests' shared state: the world communicator mpi_main.cpp creates (every rank runs every
// test in the same order, so the collectives inside tests match up).
#pragma once

#include "dist/comm.h"

namespace moegnn::test {

dist::Communicator& world();

}  // namespace moegnn::test
