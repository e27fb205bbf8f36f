// SPDX-License-Identifier: Apache-2.0
// The main of moegnn_models_bench and its GCN-on-a-graph-file timer, the moegnn side of
// bench/compare/gcn_vs_pyg.sh (the other modes live in cora_epoch.cpp and sage_epoch.cpp):
//   --write-graph FILE [--seed S] [--features F] [--classes C]
//       writes graph::arxiv_scale_graph(S) (169,343 nodes, ~2.3M edges with self-loops) with
//       F random N(0, 1) features and uniform random labels in [0, C) to FILE, atomically;
//   --graph FILE [--model gcn] [--epochs N] [--warmup W] [--threads T] [--hidden H] [--layers L]
//                [--device cpu|cuda|auto]
//       reads FILE and times N full-batch training epochs (after W untimed ones) of the GCN of
//       PyG's ogbn-arxiv example: L GCNConv layers, BatchNorm + ReLU + dropout 0.5 between them,
//       cross-entropy on all nodes, Adam lr 0.01 (on --device; each epoch ends with the loss
//       copied to the host, so GPU epochs are timed to completion);
//   --graph FILE --model sage [--fanouts 15,10,5] [--batch-size B] [--train-nodes N] ...
//       neighbour-sampled GraphSAGE epochs (sage_epoch.cpp);
//   --planetoid DIR --model gcn|gat [--epochs N] [--warmup W] [--threads T]
//       full-batch GCN / GAT epochs on a Planetoid set as PyG's examples (cora_epoch.cpp).
// Each timer prints one JSON line (epoch_common.h) on stdout. Without any of these flags the
// program runs the Google Benchmark registrations of the other bench/models sources.
// File layout (little-endian; read by bench/compare/*_pyg.py with numpy):
//   char magic[8] = "MOEGCNB1"; uint64 n, nnz, F, C;
//   int64 row_ptr[n + 1]; int32 col_idx[nnz]; float32 features[n · F]; int32 labels[n].
// Row i of the CSR lists the sources of the edges into node i (moegnn's convention).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/models/epoch_common.h"
#include "core/device.h"
#include "core/error.h"
#include "core/host_cache.h"
#include "core/ops/loss.h"
#include "core/optim/adam.h"
#include "core/parallel.h"
#include "graph/generators.h"
#include "graph/normalize.h"
#include "models/node/gcn.h"

namespace moegnn::bench {
namespace {

constexpr char kMagic[8] = {'M', 'O', 'E', 'G', 'C', 'N', 'B', '1'};
constexpr const char* kProgram = "moegnn_models_bench";

std::vector<int> parse_fanouts(const std::string& value) {
  std::vector<int> out;
  std::stringstream in(value);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
  MOEGNN_CHECK_AS(InvalidArgument, kProgram, !out.empty(), "--fanouts ", value,
                  " vs a comma-separated list such as 15,10,5");
  return out;
}

EpochArgs parse(int argc, char** argv) {
  EpochArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    MOEGNN_CHECK_AS(InvalidArgument, kProgram, i + 1 < argc, "flag ", flag,
                    " has no value vs one value after every flag");
    const std::string value = argv[++i];
    if (flag == "--write-graph") a.write_graph = value;
    else if (flag == "--graph") a.graph = value;
    else if (flag == "--planetoid") a.planetoid = value;
    else if (flag == "--model") a.model = value;
    else if (flag == "--epochs") a.epochs = std::stoll(value);
    else if (flag == "--warmup") a.warmup = std::stoll(value);
    else if (flag == "--threads") a.threads = std::stoi(value);
    else if (flag == "--hidden") a.hidden = std::stoll(value);
    else if (flag == "--layers") a.layers = std::stoll(value);
    else if (flag == "--features") a.features = std::stoll(value);
    else if (flag == "--classes") a.classes = std::stoll(value);
    else if (flag == "--fanouts") a.fanouts = parse_fanouts(value);
    else if (flag == "--batch-size") a.batch_size = std::stoll(value);
    else if (flag == "--train-nodes") a.train_nodes = std::stoll(value);
    else if (flag == "--seed") a.seed = std::stoull(value);
    else if (flag == "--device") a.device = value;
    else MOEGNN_FAIL(InvalidArgument, kProgram, "unknown flag ", flag);
  }
  const int modes = static_cast<int>(!a.write_graph.empty()) + static_cast<int>(!a.graph.empty()) +
                    static_cast<int>(!a.planetoid.empty());
  MOEGNN_CHECK_AS(InvalidArgument, kProgram, modes == 1,
                  "need exactly one of --write-graph FILE, --graph FILE and --planetoid DIR");
  MOEGNN_CHECK_AS(InvalidArgument, kProgram, a.epochs >= 1 && a.warmup >= 0, "epochs ", a.epochs,
                  ", warmup ", a.warmup, " vs epochs >= 1, warmup >= 0");
  return a;
}

template <typename T>
void put(std::ofstream& out, const T* data, std::size_t count) {
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
}

// Writes to a temporary file beside `path`, syncs it and renames it over `path`.
void write_graph(const EpochArgs& a) {
  const graph::Csr g = graph::arxiv_scale_graph(a.seed);
  const auto n = static_cast<std::uint64_t>(g.num_nodes());
  const auto nnz = static_cast<std::uint64_t>(g.num_edges());
  const std::uint64_t header[4] = {n, nnz, static_cast<std::uint64_t>(a.features),
                                   static_cast<std::uint64_t>(a.classes)};
  Rng rng(a.seed + 1);
  std::vector<float> features(n * header[2]);
  for (float& f : features) f = rng.normal();
  std::vector<std::int32_t> labels(n);
  for (auto& y : labels) y = static_cast<std::int32_t>(rng.below(header[3]));
  const std::string tmp = a.write_graph + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    MOEGNN_CHECK_AS(IoError, kProgram, out.good(), "cannot open ", tmp);
    out.write(kMagic, sizeof(kMagic));
    put(out, header, 4);
    put(out, g.row_ptr().data(), n + 1);
    put(out, g.col_idx().data(), nnz);
    put(out, features.data(), features.size());
    put(out, labels.data(), labels.size());
    out.flush();
    MOEGNN_CHECK_AS(IoError, kProgram, out.good(), "write failed: ", tmp);
  }
  if (FILE* f = std::fopen(tmp.c_str(), "rb")) {
    ::fsync(::fileno(f));
    std::fclose(f);
  }
  std::filesystem::rename(tmp, a.write_graph);
  std::cerr << "wrote " << a.write_graph << ": " << n << " nodes, " << nnz << " edges\n";
}

template <typename T>
void get(std::ifstream& in, T* data, std::size_t count, const std::string& path) {
  in.read(reinterpret_cast<char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
  MOEGNN_CHECK_AS(IoError, kProgram, in.good(), path, ": truncated file");
}

// Bytes of large buffers (host_cache: every buffer of 1 MiB or more) in use per phase of an epoch.
// fresh_mb: per epoch, MiB the host cache had to allocate (and fault in) anew.
struct PhaseMemory {
  std::size_t forward_end = 0, forward_peak = 0, backward_peak = 0, step_peak = 0;
  std::vector<std::size_t> fresh_mb;
  std::string json() const {
    const auto mb = [](std::size_t b) { return std::to_string(b >> 20); };
    std::string out = ",\"fresh_mb\":[";
    for (std::size_t i = 0; i < fresh_mb.size(); ++i) {
      if (i > 0) out += ",";
      out += std::to_string(fresh_mb[i]);
    }
    out += "],\"large_buffers_mb\":{\"forward_end\":";
    out += mb(forward_end);
    out += ",\"forward_peak\":";
    out += mb(forward_peak);
    out += ",\"backward_peak\":";
    out += mb(backward_peak);
    out += ",\"step_peak\":";
    out += mb(step_peak);
    out += "}";
    return out;
  }
};

double peak_rss_mb() {  // the process's maximum resident set (Linux: ru_maxrss in KiB)
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

void time_gcn_epochs(const EpochArgs& a) {
  const Device device = parse_device(a.device);
  const BenchGraph d = read_bench_graph(a.graph);
  const Tensor features = d.features.to(device);
  Rng rng(a.seed);
  models::Gcn model({.in_channels = d.features.cols(),
                     .hidden_channels = a.hidden > 0 ? a.hidden : 256,
                     .out_channels = d.num_classes,
                     .num_layers = a.layers > 0 ? a.layers : 3,
                     .dropout = 0.5f,
                     .batch_norm = true},
                    rng);
  const models::PreparedGraph adj = model.prepare(d.graph).to(device);  // Â = gcn_norm
  model.to(device);
  optim::Adam adam({optim::ParamGroup{model.parameters(), 0.01f, 0.0f}});
  EpochTimes times;
  PhaseMemory memory;  // of the last epoch
  for (Index epoch = 0; epoch < a.warmup + a.epochs; ++epoch) {
    const EpochClock timer;
    const std::size_t fresh_before = host_cache::stats().fresh_bytes;
    model.train();
    adam.zero_grad();
    Tape tape;
    host_cache::reset_peak();
    const Var logits = model.forward(tape, adj, tape.constant(features), rng);
    const Var loss = ops::cross_entropy(tape, logits, d.labels);
    memory.forward_end = host_cache::stats().in_use_bytes;
    memory.forward_peak = host_cache::stats().peak_in_use_bytes;
    host_cache::reset_peak();
    tape.backward(loss, Tape::Release::Everything);  // as training::Stepper does
    memory.backward_peak = host_cache::stats().peak_in_use_bytes;
    host_cache::reset_peak();
    adam.step();
    memory.step_peak = host_cache::stats().peak_in_use_bytes;
    times.final_loss = loss.value().item();
    timer.stop(times, epoch >= a.warmup);
    memory.fresh_mb.push_back((host_cache::stats().fresh_bytes - fresh_before) >> 20);
  }
  print_epoch_json("gcn", a, times, memory.json());
}

// True when argv names one of the epoch modes (anything else goes to Google Benchmark).
bool epoch_mode(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--write-graph" || flag == "--graph" || flag == "--planetoid") return true;
  }
  return false;
}

}  // namespace

BenchGraph read_bench_graph(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  MOEGNN_CHECK_AS(IoError, kProgram, in.good(), "cannot open ", path);
  char magic[8];
  std::uint64_t h[4];
  get(in, magic, 8, path);
  MOEGNN_CHECK_AS(IoError, kProgram, std::memcmp(magic, kMagic, 8) == 0, path,
                  ": bad magic vs MOEGCNB1");
  get(in, h, 4, path);
  const std::uint64_t expected = 40 + 8 * (h[0] + 1) + 4 * h[1] + 4 * h[0] * h[2] + 4 * h[0];
  MOEGNN_CHECK_AS(IoError, kProgram, std::filesystem::file_size(path) == expected, path, ": ",
                  std::filesystem::file_size(path), " bytes vs ", expected, " from the header");
  const auto n = static_cast<Index>(h[0]);
  graph::EdgeIds row_ptr(n + 1);
  graph::NodeIds col_idx(static_cast<Index>(h[1]));
  get(in, row_ptr.data(), h[0] + 1, path);
  get(in, col_idx.data(), h[1], path);
  BenchGraph d{graph::Csr(n, n, row_ptr, col_idx), Tensor::empty(n, static_cast<Index>(h[2])),
               IndexArray32(n), static_cast<Index>(h[3])};
  get(in, d.features.data(), h[0] * h[2], path);
  get(in, d.labels.data(), h[0], path);
  for (const auto y : d.labels.host())
    MOEGNN_CHECK_AS(IoError, kProgram, y >= 0 && y < d.num_classes, path, ": label ", y,
                    " vs [0, ", d.num_classes, ")");
  return d;
}

void print_epoch_json(const std::string& model, const EpochArgs& args, const EpochTimes& times,
                      const std::string& extra) {
  std::printf("{\"framework\":\"moegnn\",\"model\":\"%s\",\"device\":\"%s\",\"threads\":%d,"
              "\"epochs\":%lld,\"final_loss\":%.6f,\"epoch_seconds\":[",
              model.c_str(), to_string(parse_device(args.device)).data(), num_threads(),
              static_cast<long long>(args.epochs), times.final_loss);
  for (std::size_t i = 0; i < times.seconds.size(); ++i)
    std::printf("%s%.6f", i == 0 ? "" : ",", times.seconds[i]);
  std::printf("],\"median\":%.6f,\"cpu_seconds\":[", median(times.seconds));
  for (std::size_t i = 0; i < times.cpu_seconds.size(); ++i)
    std::printf("%s%.6f", i == 0 ? "" : ",", times.cpu_seconds[i]);
  std::printf("],\"cpu_median\":%.6f,\"all_epoch_seconds\":[", median(times.cpu_seconds));
  for (std::size_t i = 0; i < times.all_seconds.size(); ++i)
    std::printf("%s%.6f", i == 0 ? "" : ",", times.all_seconds[i]);
  std::printf("],\"minor_faults\":[");
  for (std::size_t i = 0; i < times.all_faults.size(); ++i)
    std::printf("%s%ld", i == 0 ? "" : ",", times.all_faults[i]);
  std::printf("],\"peak_rss_mb\":%.1f%s}\n", peak_rss_mb(), extra.c_str());
}

}  // namespace moegnn::bench

int main(int argc, char** argv) {
  if (!moegnn::bench::epoch_mode(argc, argv)) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
  }
  try {
    namespace b = moegnn::bench;
    const b::EpochArgs args = b::parse(argc, argv);
    moegnn::set_num_threads(args.threads);
    if (!args.write_graph.empty()) b::write_graph(args);
    else if (!args.planetoid.empty()) b::time_planetoid_epochs(args);
    else if (args.model == "sage") b::time_sampled_sage_epochs(args);
    else if (args.model == "gcn") b::time_gcn_epochs(args);
    else MOEGNN_FAIL(moegnn::InvalidArgument, "moegnn_models_bench", "--model ", args.model,
                     " with --graph vs gcn or sage");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
