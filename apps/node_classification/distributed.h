// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification --distributed PARTS_DIR: data-parallel training over MPI
// (dist/train.h), one rank per part of a `moegnn-data partition` set, with the same flags and
// outputs as single-process runs (results table, --out, --save / --resume, --log; rank 0 writes
// them) and a per-rank summary. Launched as
//   mpirun -np P moegnn-node-classification --distributed PARTS_DIR --model gcn ...
// Without mpirun it runs a one-part set on one process.
#pragma once

#include <ostream>

#include "apps/node_classification/options.h"

namespace moegnn::apps {

// Runs the distributed mode and returns the exit status. Flags that make no sense distributed
// (--dataset and its data flags, --split other than public, --search, --batch-size, --device cuda,
// --metric f1 / auc, a mixture method) are refused with a message naming them. The part set is
// checked (its manifest against the rank count, each rank's part by load_part) before training.
// Any rank's error prints "rank r/P: <message>" and ends every rank (MPI_Abort).
int run_distributed(const AppOptions& options, std::ostream& out, std::ostream& err);

}  // namespace moegnn::apps
