// SPDX-License-Identifier: Apache-2.0
// Data-parallel full-graph training over parts (issue 22): every rank holds one part (dist/part.h),
// builds the registered model from the same registry, seed and options as single-process training
// (hence the same initial parameters), and runs it layer by layer on its local graph (its owned
// rows over owned + halo columns) with a halo exchange before every layer
// (NodeModel::forward_blocks_hooked + dist/halo.h). The loss is the sum over all ranks' training
// nodes divided by the global training count; the gradients are summed by the communicator's
// deterministic allreduce (rank order), and every rank runs the same optimiser on the same
// gradients, so the parameters stay identical on every rank and P ranks reproduce single-process
// training (within float rounding: the sums run in another order) bit-identically run to run.
// Evaluation is a distributed eval-mode forward whose correct counts and loss sums are summed over
// ranks. The Trainer around it is the single-process one: model selection, early stopping, the
// JSON-lines log and checkpoints (written by rank 0 only; every rank reads them on --resume).
//
// Dropout: for GCN and SAGE the stack's dropouts are applied by the layer-input hook instead, with
// mask elements keyed by global node id and the trainer's key (identical on every rank), so a run
// with dropout does not depend on P and equals single-process training. Other models' masks are
// indexed by the local row (P-dependent, reproducible for a given P and seed). BatchNorm is
// refused: its batch statistics would be per rank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dist/comm.h"
#include "dist/part.h"
#include "models/node/node_model.h"
#include "models/options.h"
#include "models/training/history.h"
#include "models/training/options.h"

namespace moegnn::dist {

// The model's prepared graph restricted to this part: rows = owned nodes, columns = local nodes
// (owned, then halo), equal to the rows of model.prepare(whole graph) with columns mapped to local
// ids. GCN's Â needs every column's degree: owned nodes' come from their rows, halo nodes' from
// their owners (one exchange). Other models' preparations are per row (GAT's self-loops, SAGE's
// unweighted rows). Throws InvalidArgument for a part that does not match the communicator.
graph::Csr prepare_local_graph(const models::NodeModel& model, const Part& part, Communicator& comm);

// One rank's share of the work, for the summary at the end of a run.
struct RankSummary {
  Index rank = 0;
  Index owned = 0;
  Index halo = 0;
  Index train = 0;
  double compute_seconds = 0.0;  // training and evaluation time outside communication
  double wait_seconds = 0.0;     // time inside collectives (transfer plus waiting for other ranks)
  std::int64_t bytes_sent = 0;    // everything this rank sent
  std::int64_t reduce_bytes = 0;  // of which the gradient allreduce (the rest: halo, sampling)
};

struct DistFitResult {
  training::FitResult fit;         // identical on every rank
  std::vector<RankSummary> ranks;  // every rank's, on every rank
};

// Trains model `model_name` (models/registry.h) with `config` on this rank's part; every rank calls
// it with the same arguments. options as single-process (TrainOptions): log_path, progress and
// checkpoint writes apply on rank 0 only; with options.resume every rank loads the checkpoint rank 0
// finds. Throws InvalidArgument for a part that does not match the communicator, a metric other
// than accuracy, a model with buffers (BatchNorm) or without layer-wise block support, and what
// the Trainer throws. Any exception leaves the other ranks in a collective: the caller aborts
// (Communicator::abort).
// With `sampling`, training runs on neighbour-sampled mini-batches (dist/sampler.h):
// sampling->batch_size is the global batch, each rank drawing ceil(batch_size / P) of its own
// training nodes per step; evaluation stays full-graph. Only batch_size, fanouts and shuffle are
// read.
DistFitResult train_distributed(const Part& part, Communicator& comm, const std::string& model_name,
                                const models::ModelConfig& config, training::TrainOptions options,
                                std::optional<training::SamplingOptions> sampling = std::nullopt);

}  // namespace moegnn::dist
