// SPDX-License-Identifier: Apache-2.0
// What the epoch timers of moegnn_models_bench share (the moegnn side of bench/compare/*_vs_pyg.sh):
// the command line, the benchmark graph file, and the JSON line each run prints. The program's main
// (gcn_epoch.cpp) dispatches on the flags: --write-graph, --graph (GCN full batch or sampled SAGE),
// --planetoid (GCN or GAT on a Planetoid set); with none of them it runs the Google Benchmark
// registrations of the other bench/models sources.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::bench {

struct EpochArgs {
  std::string write_graph;  // --write-graph FILE
  std::string graph;        // --graph FILE
  std::string planetoid;    // --planetoid DIR (e.g. ../shared/datasets/cora)
  std::string model = "gcn";
  Index epochs = 10;
  Index warmup = 2;
  int threads = 0;
  Index hidden = 0;  // 0: the mode's default (arxiv-scale GCN / SAGE 256; Cora GCN 16, GAT 8)
  Index layers = 0;  // 0: the mode's default (arxiv-scale 3; Cora 2)
  Index features = 128;  // --write-graph only
  Index classes = 40;    // --write-graph only
  std::vector<int> fanouts{15, 10, 5};  // seeds outward (PyG's num_neighbors order)
  Index batch_size = 1024;
  Index train_nodes = 0;  // sampled SAGE: nodes 0 .. train_nodes-1 are the seeds (0: all)
  std::uint64_t seed = 1;
  std::string device = "cpu";  // --device cpu|cuda|auto (the arxiv-scale GCN timer only)
};

// The graph file both sides read (layout in gcn_epoch.cpp).
struct BenchGraph {
  graph::Csr graph;
  Tensor features;
  IndexArray32 labels;
  Index num_classes = 0;
};
BenchGraph read_bench_graph(const std::string& path);

// Per-epoch wall-clock and process CPU seconds (all threads) of the timed epochs, and the last
// loss. CPU time is reported too because the benchmark machine is often shared: wall time then
// includes time spent waiting for a core, CPU time does not.
// Every epoch, warm-up included, also gets its wall seconds and minor page faults (cold start: the
// first epoch against the rest; fault counts do not depend on the machine's load).
struct EpochTimes {
  std::vector<double> seconds;
  std::vector<double> cpu_seconds;
  std::vector<double> all_seconds;
  std::vector<long> all_faults;
  float final_loss = 0.0f;
};

inline long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Times one epoch: construct at its start, call stop() at its end.
class EpochClock {
 public:
  EpochClock()
      : wall_(std::chrono::steady_clock::now()), cpu_(std::clock()), faults_(minor_faults()) {}
  // Appends this epoch's times to `times` when `keep` (false for warm-up epochs).
  void stop(EpochTimes& times, bool keep) const {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
    const double cpu = static_cast<double>(std::clock() - cpu_) / CLOCKS_PER_SEC;
    times.all_seconds.push_back(wall);
    times.all_faults.push_back(minor_faults() - faults_);
    if (!keep) return;
    times.seconds.push_back(wall);
    times.cpu_seconds.push_back(cpu);
  }

 private:
  std::chrono::steady_clock::time_point wall_;
  std::clock_t cpu_;
  long faults_;
};

// {"framework":"moegnn","model":...,"threads":...,"epochs":...,"final_loss":...,
//  "epoch_seconds":[...],"median":...,"cpu_seconds":[...],"cpu_median":...<extra>} on stdout; extra is "" or ',"key":value,...'.
void print_epoch_json(const std::string& model, const EpochArgs& args, const EpochTimes& times,
                      const std::string& extra = "");

// The timers behind each mode (cora_epoch.cpp, sage_epoch.cpp).
void time_planetoid_epochs(const EpochArgs& args);
void time_sampled_sage_epochs(const EpochArgs& args);

}  // namespace moegnn::bench
