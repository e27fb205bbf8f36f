// SPDX-License-Identifier: Apache-2.0
// moegnn_gin_graph_bench: the moegnn side of bench/compare/gin_graph_vs_pyg.sh. Loads a TU dataset
// (PROTEINS by default) and times training epochs of PyG examples/gin.py's model (5 × GINConv with
// MLP [in, hidden, hidden] + batch norm, ReLU, global sum pool, head MLP [hidden, hidden, classes]
// with dropout 0.5) over every graph in shuffled mini-batches, Adam lr 0.01: batching
// (select_graphs), forward, backward and step, as PyG's DataLoader loop does. Prints one JSON line
// like bench/compare/pyg_common.py: wall and process-CPU seconds per timed epoch, their medians,
// the last loss and the peak RSS.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "core/optim/adam.h"
#include "core/parallel.h"
#include "datasets/tu.h"
#include "models/graph/gin_graph.h"
#include "models/training/graph_task.h"
#include "models/training/stepper.h"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double cpu_now() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string list(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    char item[32];
    std::snprintf(item, sizeof item, "%s%.6f", i > 0 ? ", " : "", v[i]);
    s += item;
  }
  s += "]";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace moegnn;
  std::string dir;
  int threads = 1, epochs = 5, warmup = 1;
  Index hidden = 32, layers = 5, batch_size = 128;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--dataset-dir")
      dir = value;
    else if (flag == "--threads")
      threads = std::stoi(value);
    else if (flag == "--epochs")
      epochs = std::stoi(value);
    else if (flag == "--warmup")
      warmup = std::stoi(value);
    else if (flag == "--hidden")
      hidden = std::stoll(value);
    else if (flag == "--layers")
      layers = std::stoll(value);
    else if (flag == "--batch-size")
      batch_size = std::stoll(value);
    else {
      std::fprintf(stderr, "error: unknown flag %s\n", flag.c_str());
      return 1;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr,
                 "error: --dataset-dir DIR (a TU folder, e.g. .../tu/PROTEINS) is required\n");
    return 1;
  }
  try {
    set_num_threads(threads);
    const datasets::GraphDataset d = datasets::load_tu_dataset(dir);
    Rng init(1);
    models::GinGraphOptions o;
    o.in_channels = d.num_features();
    o.out_channels = d.num_classes;
    o.hidden_channels = hidden;
    o.num_layers = layers;
    models::GinGraph model(o, init);
    std::vector<graph::NodeId> all(static_cast<std::size_t>(d.num_graphs()));
    std::iota(all.begin(), all.end(), 0);
    training::GraphClassificationTask task(model, d.graphs, {d.labels, all, {}, {}},
                                           {.batch_size = batch_size});
    optim::Adam adam({optim::ParamGroup{model.parameters(), 0.01f, 0.0f}});
    training::Stepper stepper(model, adam);
    Rng rng(2);
    std::vector<double> wall, cpu;
    double loss = 0.0;
    for (int e = 0; e < warmup + epochs; ++e) {
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = cpu_now();
      loss = task.train_epoch(e + 1, rng, &stepper);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (e >= warmup) wall.push_back(seconds), cpu.push_back(cpu_now() - cpu_start);
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "{\"framework\": \"moegnn\", \"model\": \"gin-graph\", \"epochs\": %d, \"dataset\": "
        "\"%s\", \"graphs\": %lld, \"threads\": %d, "
        "\"hidden\": %lld, \"layers\": %lld, \"batch_size\": %lld, \"final_loss\": %.6f, "
        "\"peak_rss_mb\": %.1f, \"epoch_seconds\": %s, \"median\": %.6f, \"cpu_seconds\": %s, "
        "\"cpu_median\": %.6f}\n",
        epochs, d.name.c_str(), static_cast<long long>(d.num_graphs()), threads,
        static_cast<long long>(hidden), static_cast<long long>(layers),
        static_cast<long long>(batch_size), loss, static_cast<double>(usage.ru_maxrss) / 1024.0,
        list(wall).c_str(), median(wall), list(cpu).c_str(), median(cpu));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
