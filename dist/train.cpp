// SPDX-License-Identifier: Apache-2.0
// Data-parallel full-graph training: the local graph, the distributed node-classification task and
// the run around the single-process Trainer.
#include "dist/train.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "dist/halo.h"
#include "dist/sampler.h"
#include "models/registry.h"
#include "models/training/task.h"
#include "models/training/trainer.h"

namespace moegnn::dist {
using graph::EdgeIds;
using graph::NodeIds;
using graph::EdgeId;
using graph::NodeId;
namespace {

void check_part(const Part& part, const Communicator& comm, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function,
                  part.num_parts == comm.size() && part.part_id == comm.rank(), "part ",
                  part.part_id, " of ", part.num_parts, " on rank ", comm.rank(), " of ",
                  comm.size(), " vs part r of P on rank r of P; launch one rank per part");
  MOEGNN_CHECK_AS(InvalidArgument, function,
                  part.graph.num_rows() == part.num_owned() &&
                      part.graph.num_cols() == part.num_local() &&
                      part.features.rows() == part.num_owned() &&
                      part.labels.size() == part.num_owned(),
                  "part ", part.part_id, " has a ", part.graph.num_rows(), " × ",
                  part.graph.num_cols(), " graph, ", part.features.rows(), " feature rows and ",
                  part.labels.size(), " labels vs ", part.num_owned(), " owned and ",
                  part.num_local(), " local nodes");
}

// The first `rows` rows of g (all its columns).
graph::Csr first_rows(const graph::Csr& g, Index rows, Index cols) {
  const auto ptr = g.row_ptr().host();
  const EdgeId nnz = ptr[static_cast<std::size_t>(rows)];
  EdgeIds row_ptr(rows + 1);
  std::copy(ptr.begin(), ptr.begin() + rows + 1, row_ptr.host().begin());
  NodeIds col(nnz);
  std::copy(g.col_idx().host().begin(), g.col_idx().host().begin() + nnz, col.host().begin());
  Tensor values;
  if (g.has_values()) {
    values = Tensor::empty(nnz, 1);
    std::copy(g.values().data(), g.values().data() + nnz, values.data());
  }
  return graph::Csr(rows, cols, std::move(row_ptr), std::move(col), std::move(values));
}

// GCN's Â rows of the owned nodes: loops added where missing (weight 1), then
// d_col^-1/2 · w · d_row^-1/2 with d the weighted in-degree after the loops (graph::gcn_norm's
// formula, in double), the halo nodes' d from their owners.
graph::Csr gcn_local(const Part& part, Communicator& comm) {
  const graph::Csr& g = part.graph;
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  const float* val = g.has_values() ? g.values().data() : nullptr;
  const Index no = part.num_owned();
  std::vector<EdgeId> out_ptr{0};
  std::vector<NodeId> out_col;
  std::vector<double> out_w;
  std::vector<double> degree(static_cast<std::size_t>(no), 0.0);
  for (Index r = 0; r < no; ++r) {
    bool loop = false;
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) loop = loop || col[k] == r;
    bool placed = loop;
    for (EdgeId k = ptr[r]; k <= ptr[r + 1]; ++k) {
      if (!placed && (k == ptr[r + 1] || col[k] > r)) {
        out_col.push_back(static_cast<NodeId>(r));
        out_w.push_back(1.0);
        placed = true;
      }
      if (k == ptr[r + 1]) break;
      out_col.push_back(col[k]);
      out_w.push_back(val != nullptr ? val[k] : 1.0);
    }
    out_ptr.push_back(static_cast<EdgeId>(out_col.size()));
    for (EdgeId k = out_ptr[static_cast<std::size_t>(r)]; k < out_ptr.back(); ++k)
      degree[static_cast<std::size_t>(r)] += out_w[static_cast<std::size_t>(k)];
  }
  for (double& d : degree) d = d == 0 ? 0.0 : 1.0 / std::sqrt(d);
  const std::vector<double> dis = halo_exchange(degree, part, comm);
  Tensor w = Tensor::empty(static_cast<Index>(out_w.size()), 1);
  for (Index r = 0; r < no; ++r)
    for (EdgeId k = out_ptr[static_cast<std::size_t>(r)]; k < out_ptr[static_cast<std::size_t>(r) + 1]; ++k)
      w.data()[k] = static_cast<float>(dis[static_cast<std::size_t>(out_col[static_cast<std::size_t>(k)])] *
                                       out_w[static_cast<std::size_t>(k)] * dis[static_cast<std::size_t>(r)]);
  return graph::Csr(no, part.num_local(), EdgeIds(out_ptr), NodeIds(out_col), std::move(w));
}

// ops::dropout with each mask element keyed by the row's global node id: element (i, j) is kept
// iff (Rng::bits(key, rows[i]·F + j) >> 40) >= ⌈p·2²⁴⌉, the formula of ops::dropout (core/ops/cpu/nn.cpp)
// on the whole graph, whose row i is node i. With the trainer's key (the same on every rank) each
// rank draws its rows of the single-process mask, so training does not depend on P.
Var global_row_dropout(Tape& tape, Var x, float p, Rng& rng, bool training,
                       const IndexArray32& rows) {
  if (!training || p == 0.0f) return x;
  const std::uint64_t key = rng.split();
  const std::uint64_t threshold =
      static_cast<std::uint64_t>(std::ceil(static_cast<double>(p) * 16777216.0));
  const float scale = 1.0f / (1.0f - p);
  const Tensor& xv = x.value();
  const Index F = xv.cols();
  // mask[k] = 1 where kept; shared by forward and backward.
  auto mask = std::make_shared<std::vector<std::uint8_t>>(static_cast<std::size_t>(xv.size()));
  Tensor out = Tensor::empty(xv.rows(), F);
  for (Index i = 0; i < xv.rows(); ++i) {
    const auto base = static_cast<std::uint64_t>(rows[i]) * static_cast<std::uint64_t>(F);
    for (Index j = 0; j < F; ++j) {
      const Index e = i * F + j;
      const bool keep = (Rng::bits(key, base + static_cast<std::uint64_t>(j)) >> 40) >= threshold;
      (*mask)[static_cast<std::size_t>(e)] = keep ? 1 : 0;
      const std::uint32_t bits = 0u - static_cast<std::uint32_t>(keep);
      out.data()[e] = std::bit_cast<float>(std::bit_cast<std::uint32_t>(xv.data()[e] * scale) & bits);
    }
  }
  return tape.record(std::move(out), {x}, [mask, scale](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    float* g = s.grad_in[0]->data();
    const float* go = s.grad_out.data();
    for (std::size_t e = 0; e < mask->size(); ++e) {
      const std::uint32_t bits = 0u - static_cast<std::uint32_t>((*mask)[e]);
      g[e] += std::bit_cast<float>(std::bit_cast<std::uint32_t>(go[e] * scale) & bits);
    }
  });
}

// A model option's value: `config`'s, else the registered default.
float option_value(const std::string& model, const models::ModelConfig& config,
                   const std::string& key) {
  if (const auto it = config.find(key); it != config.end()) return std::stof(it->second);
  for (const models::OptionInfo& o : models::node_model_entry_named(model).options())
    if (o.key == key) return std::stof(o.value);
  return 0.0f;
}

// Seconds since `start`.
double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Node classification over the ranks' parts (see the file comment of train.h).
class DistNodeTask final : public training::Task {
 public:
  DistNodeTask(models::NodeModel& model, const Part& part, Communicator& comm,
               graph::Csr local_graph, std::uint64_t seed,
               std::optional<training::SamplingOptions> sampling)
      : model_(model), part_(part), comm_(comm), seed_(seed), sampling_(std::move(sampling)) {
    if (sampling_)
      sampler_.emplace(part, comm, local_graph, sampling_->fanouts);
    graph::Block block;
    block.adj = std::move(local_graph);
    block.num_dst = part.num_owned();
    std::vector<NodeId> src(part.owned.host().begin(), part.owned.host().end());
    src.insert(src.end(), part.halo.host().begin(), part.halo.host().end());
    block.src_nodes = NodeIds(src);
    blocks_.assign(static_cast<std::size_t>(model.num_hops()), block);
    std::int64_t counts[3] = {part.train.size(), part.val.size(), part.test.size()};
    comm.allreduce_sum(counts);
    global_train_ = counts[0];
    global_val_ = counts[1];
    global_test_ = counts[2];
    MOEGNN_CHECK_AS(InvalidArgument, "dist::train_distributed", global_train_ > 0,
                    "no training node in any part vs at least one");
    const char* kill = std::getenv("MOEGNN_TEST_KILL_RANK_AT_EPOCH");  // tests only: "rank:epoch"
    if (kill != nullptr) {
      const std::string spec = kill;
      const std::size_t colon = spec.find(':');
      if (colon != std::string::npos) {
        kill_rank_ = std::stoi(spec.substr(0, colon));
        kill_epoch_ = std::stoi(spec.substr(colon + 1));
      }
    }
  }

  std::string metric_name() const override { return "acc"; }

  double train_epoch(Index epoch, Rng& rng, training::Stepper* stepper) override {
    MOEGNN_CHECK_AS(InvalidArgument, "dist::DistNodeTask", stepper != nullptr,
                    "no optimizer step vs the trainer's");
    if (comm_.rank() == kill_rank_ && epoch == kill_epoch_) std::raise(SIGKILL);
    const Clock clock(*this);
    if (sampler_) return train_sampled(epoch, *stepper);
    std::vector<Parameter*> params = model_.parameters();
    const float local = stepper->step(
        [&](Tape& tape) {
          const Var logits = forward(tape, rng);
          if (part_.train.empty())  // zero gradient, but the halo exchanges' backward still runs
            return ops::mul_scalar(tape, ops::sum(tape, logits), 0.0f);
          const Var mean = ops::cross_entropy(tape, logits, part_.labels, part_.train);
          return ops::mul_scalar(tape, mean,
                                 static_cast<float>(static_cast<double>(part_.train.size()) /
                                                    static_cast<double>(global_train_)));
        },
        [&] { sum_gradients(params); });
    double loss[1] = {static_cast<double>(local)};
    comm_.allreduce_sum(loss);
    return loss[0];
  }

  training::Evaluation evaluate(Index /*epoch*/, Rng& rng, bool include_train) override {
    const Clock clock(*this);
    model_.eval();
    Tape tape(Tape::Mode::Inference);
    const Tensor logits = forward(tape, rng).value();
    model_.train();
    // Per set: loss sum, correct count.
    const IndexArray32* sets[3] = {&part_.val, &part_.test, &part_.train};
    double sums[6] = {};
    for (int s = 0; s < 3; ++s) {
      if (s == 2 && !include_train) continue;
      score(logits, *sets[s], sums[2 * s], sums[2 * s + 1]);
    }
    comm_.allreduce_sum(sums);
    const std::int64_t counts[3] = {global_val_, global_test_, global_train_};
    training::Evaluation out;
    training::SetScores* scores[3] = {&out.val, &out.test, &out.train};
    for (int s = 0; s < 3; ++s) {
      if (counts[s] == 0 || (s == 2 && !include_train)) continue;
      scores[s]->loss = sums[2 * s] / static_cast<double>(counts[s]);
      scores[s]->metric = sums[2 * s + 1] / static_cast<double>(counts[s]);
    }
    return out;
  }

  double compute_seconds() const { return compute_seconds_; }

 private:
  // Neighbour-sampled epoch: each rank shuffles its training nodes (Rng keyed by seed, epoch and
  // rank) and takes ceil(batch_size / P) per step; every rank runs the largest step count (an empty
  // batch contributes a zero gradient). A step's loss is the sum over all ranks' seeds divided by
  // their total, so a step equals a single-process step on the union of the ranks' batches.
  // Dropout draws from a key of the step (not the trainer's stream, which ranks with an empty
  // batch would not advance), so a resumed run replays it.
  double train_sampled(Index epoch, training::Stepper& stepper) {
    const auto P = static_cast<Index>(comm_.size());
    const Index batch = std::max<Index>(1, (sampling_->batch_size + P - 1) / P);
    std::vector<std::int32_t> order(part_.train.host().begin(), part_.train.host().end());
    if (sampling_->shuffle) {
      Rng rng(Rng::bits(Rng::bits(Rng::bits(seed_, kShuffleStream), static_cast<std::uint64_t>(epoch)),
                        static_cast<std::uint64_t>(comm_.rank())));
      for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
    }
    const auto n = static_cast<Index>(order.size());
    const Index mine = (n + batch - 1) / batch;
    const double local_steps[1] = {static_cast<double>(mine)};
    const std::vector<double> all_steps = comm_.allgather(local_steps);
    const auto steps = static_cast<Index>(*std::max_element(all_steps.begin(), all_steps.end()));
    std::vector<std::int64_t> totals(static_cast<std::size_t>(steps));
    for (Index s = 0; s < steps; ++s)
      totals[static_cast<std::size_t>(s)] = std::clamp<Index>(n - s * batch, 0, batch);
    comm_.allreduce_sum(totals);
    std::vector<double> losses(static_cast<std::size_t>(steps), 0.0);
    std::vector<Parameter*> params = model_.parameters();
    const std::uint64_t epoch_key =
        Rng::bits(Rng::bits(seed_, kSampleStream), static_cast<std::uint64_t>(epoch));
    for (Index s = 0; s < steps; ++s) {
      const Index lo = std::min(n, s * batch);
      const Index hi = std::min(n, lo + batch);
      const std::vector<std::int32_t> seeds(order.begin() + lo, order.begin() + hi);
      const std::uint64_t key = Rng::bits(epoch_key, static_cast<std::uint64_t>(s));
      const SampledBatch b = sampler_->sample(seeds, key);
      const double share = static_cast<double>(seeds.size()) /
                           static_cast<double>(std::max<std::int64_t>(1, totals[static_cast<std::size_t>(s)]));
      const float loss = stepper.step(
          [&](Tape& tape) {
            if (seeds.empty()) return tape.constant(Tensor::zeros(1, 1));
            Rng dropout(Rng::bits(key, kDropoutStream));
            const Var logits =
                model_.forward_blocks(tape, b.blocks, tape.constant(b.features), dropout);
            std::vector<std::int32_t> labels;
            for (const std::int32_t v : seeds) labels.push_back(part_.labels[v]);
            return ops::mul_scalar(tape, ops::cross_entropy(tape, logits, IndexArray32(labels)),
                                   static_cast<float>(share));
          },
          [&] { sum_gradients(params); });
      losses[static_cast<std::size_t>(s)] = static_cast<double>(loss);
    }
    comm_.allreduce_sum(losses);
    double sum = 0.0;
    std::int64_t rows = 0;
    for (Index s = 0; s < steps; ++s) {
      sum += losses[static_cast<std::size_t>(s)] * static_cast<double>(totals[static_cast<std::size_t>(s)]);
      rows += totals[static_cast<std::size_t>(s)];
    }
    return rows > 0 ? sum / static_cast<double>(rows) : training::kNotComputed;
  }

 public:

 private:
  // Adds the time of a train_epoch / evaluate outside communication to compute_seconds_.
  struct Clock {
    explicit Clock(DistNodeTask& t)
        : task(t), start(std::chrono::steady_clock::now()), wait(t.comm_.stats().wait_seconds) {}
    ~Clock() {
      task.compute_seconds_ += since(start) - (task.comm_.stats().wait_seconds - wait);
    }
    Clock(const Clock&) = delete;
    Clock& operator=(const Clock&) = delete;
    DistNodeTask& task;
    std::chrono::steady_clock::time_point start;
    double wait;
  };

  // The halo rows of the input features never change: they are fetched once, and the first
  // layer's exchange is skipped whenever its input is the features themselves (no input dropout,
  // or evaluation mode).
  Var forward(Tape& tape, Rng& rng) {
    if (local_features_.rows() != part_.num_local())
      local_features_ = halo_exchange(part_.features, part_, comm_);
    const Var x = tape.constant(part_.features);
    return model_.forward_blocks_hooked(tape, blocks_, x, rng, [&](Index layer, Var h) {
      if (dropout_) {  // the stack's own dropouts are off; these are keyed by global node id
        h = global_row_dropout(tape, h, layer == 0 ? dropout_->input : dropout_->hidden, rng,
                               model_.training(), part_.owned);
      }
      if (layer == 0 && h.id() == x.id()) return tape.constant(local_features_);
      return halo_exchange(tape, h, part_, comm_);
    });
  }

  // Every parameter's gradient summed over the ranks, in one deterministic allreduce.
  void sum_gradients(const std::vector<Parameter*>& params) {
    std::vector<float> flat;
    for (const Parameter* p : params) flat.insert(flat.end(), p->grad.data(), p->grad.data() + p->grad.size());
    comm_.allreduce_sum(flat);
    std::size_t at = 0;
    for (Parameter* p : params) {
      std::copy(flat.begin() + static_cast<std::ptrdiff_t>(at),
                flat.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(p->grad.size())),
                p->grad.data());
      at += static_cast<std::size_t>(p->grad.size());
    }
  }

  // Cross-entropy sum and correct count (first argmax, as the single-process accuracy) of `rows`.
  void score(const Tensor& logits, const IndexArray32& rows, double& loss, double& correct) const {
    const Index C = logits.cols();
    for (const std::int32_t r : rows.host()) {
      const float* x = logits.data() + static_cast<Index>(r) * C;
      Index best = 0;
      for (Index c = 1; c < C; ++c)
        if (x[c] > x[best]) best = c;
      double z = 0.0;
      for (Index c = 0; c < C; ++c) z += std::exp(static_cast<double>(x[c]) - x[best]);
      const std::int32_t label = part_.labels[r];
      loss += std::log(z) + x[best] - x[label];
      correct += best == label ? 1.0 : 0.0;
    }
  }

  models::NodeModel& model_;
  const Part& part_;
  Communicator& comm_;
  std::vector<graph::Block> blocks_;
  Tensor local_features_;  // features of the local nodes (owned, then halo), fetched once
  std::int64_t global_train_ = 0;
  std::int64_t global_val_ = 0;
  std::int64_t global_test_ = 0;
  double compute_seconds_ = 0.0;
  int kill_rank_ = -1;
  Index kill_epoch_ = -1;
  std::uint64_t seed_ = 0;
  std::optional<training::SamplingOptions> sampling_;
  std::optional<DistSampler> sampler_;

 public:
  // Dropout rates applied by the layer-input hook instead of the model's stack (full graph only).
  struct GlobalDropout {
    float input = 0.0f;
    float hidden = 0.0f;
  };
  std::optional<GlobalDropout> dropout_;

 private:
  static constexpr std::uint64_t kShuffleStream = 0x5348554646ULL;
  static constexpr std::uint64_t kSampleStream = 0x53414d504cULL;
  static constexpr std::uint64_t kDropoutStream = 0x44524f50ULL;
};

}  // namespace

graph::Csr prepare_local_graph(const models::NodeModel& model, const Part& part,
                               Communicator& comm) {
  check_part(part, comm, "dist::prepare_local_graph");
  if (model.class_name() == "Gcn") return gcn_local(part, comm);  // the one with column factors
  // Per-row preparations: pad to a square graph (halo rows empty), prepare, keep the owned rows.
  const Index nl = part.num_local();
  const auto ptr = part.graph.row_ptr().host();
  EdgeIds row_ptr(nl + 1);
  auto rp = row_ptr.host();
  std::copy(ptr.begin(), ptr.end(), rp.begin());
  std::fill(rp.begin() + part.num_owned() + 1, rp.end(), ptr.back());
  const graph::Csr square(nl, nl, std::move(row_ptr), part.graph.col_idx(), part.graph.values());
  return first_rows(model.prepare(square).csr(), part.num_owned(), nl);
}

DistFitResult train_distributed(const Part& part, Communicator& comm, const std::string& model_name,
                                const models::ModelConfig& config, training::TrainOptions options,
                                std::optional<training::SamplingOptions> sampling) {
  check_part(part, comm, "dist::train_distributed");
  MOEGNN_CHECK_AS(InvalidArgument, "dist::train_distributed",
                  options.metric == training::Metric::Accuracy,
                  "a metric other than accuracy vs accuracy: distributed evaluation sums correct "
                  "counts; use --metric acc");
  // GCN and SAGE draw randomness only in the stack's dropouts (before each conv, where the
  // layer-input hook runs): full-graph training turns those off and applies the same rates in the
  // hook with masks keyed by global node id, so the run does not depend on P (and matches
  // single-process training). Other models (GAT's attention dropout) keep per-rank masks.
  std::optional<DistNodeTask::GlobalDropout> global_dropout;
  models::ModelConfig build_config = config;
  if (!sampling && (model_name == "gcn" || model_name == "sage")) {
    global_dropout = DistNodeTask::GlobalDropout{option_value(model_name, config, "input-dropout"),
                                                 option_value(model_name, config, "dropout")};
    build_config["dropout"] = "0";
    build_config["input-dropout"] = "0";
  }
  Rng init(options.seed);  // as models::train_node_model: the same initial parameters
  const std::unique_ptr<models::NodeModel> model = models::make_node_model(
      model_name, build_config, {part.features.cols(), part.num_classes}, init);
  MOEGNN_CHECK_AS(InvalidArgument, "dist::train_distributed", model->buffers().empty(),
                  "model '", model_name, "' has buffers (batch norm's running statistics) vs "
                  "none: its batch statistics would be per rank; use --norm none or layer");
  if (sampling) {
    MOEGNN_CHECK_AS(InvalidArgument, "--fanouts",
                    static_cast<Index>(sampling->fanouts.size()) == model->num_hops(), "got ",
                    sampling->fanouts.size(), " fanouts vs one per message-passing layer of ",
                    model_name, " (", model->num_hops(), ")");
    MOEGNN_CHECK_AS(InvalidArgument, "--batch-size", sampling->batch_size >= 1, "got ",
                    sampling->batch_size, " vs >= 1");
  }
  auto task = std::make_unique<DistNodeTask>(*model, part, comm,
                                             prepare_local_graph(*model, part, comm),
                                             options.seed, std::move(sampling));
  task->dropout_ = global_dropout;
  DistNodeTask& dist_task = *task;
  // Rank 0 writes the log and checkpoints and shows progress; every rank resumes from its file.
  bool resume_file = false;
  if (comm.rank() == 0)
    resume_file = options.resume && !options.checkpoint_path.empty() &&
                  std::filesystem::exists(options.checkpoint_path);
  std::byte flag[1] = {static_cast<std::byte>(resume_file ? 1 : 0)};
  comm.broadcast(flag, 0);
  resume_file = flag[0] == std::byte{1};
  const std::filesystem::path checkpoint = options.checkpoint_path;
  if (comm.rank() != 0) {
    options.log_path.clear();
    options.progress = false;
    options.checkpoint_path.clear();
    options.resume = false;
  }
  training::Trainer trainer(*model, std::move(task), std::move(options));
  if (resume_file && comm.rank() != 0) trainer.load_checkpoint(checkpoint);
  DistFitResult out;
  const double wait_before = comm.stats().wait_seconds;  // this run's share of the counters
  const std::int64_t bytes_before = comm.stats().bytes_sent;
  const std::int64_t reduce_before = comm.stats().reduce_bytes;
  out.fit = trainer.fit();
  const CommStats& s = comm.stats();
  const double mine[7] = {static_cast<double>(part.num_owned()), static_cast<double>(part.num_halo()),
                          static_cast<double>(part.train.size()), dist_task.compute_seconds(),
                          s.wait_seconds - wait_before,
                          static_cast<double>(s.bytes_sent - bytes_before),
                          static_cast<double>(s.reduce_bytes - reduce_before)};
  const std::vector<double> all = comm.allgather(mine);
  for (int r = 0; r < comm.size(); ++r) {
    const double* v = all.data() + 7 * r;
    out.ranks.push_back({.rank = r,
                         .owned = static_cast<Index>(v[0]),
                         .halo = static_cast<Index>(v[1]),
                         .train = static_cast<Index>(v[2]),
                         .compute_seconds = v[3],
                         .wait_seconds = v[4],
                         .bytes_sent = static_cast<std::int64_t>(v[5]),
                         .reduce_bytes = static_cast<std::int64_t>(v[6])});
  }
  return out;
}

}  // namespace moegnn::dist
