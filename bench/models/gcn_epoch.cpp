// SPDX-License-Identifier: Apache-2.0
// GCN epoch timer, the moegnn side of bench/compare/gcn_vs_pyg.sh. Two modes:
//   --write-graph FILE [--seed S] [--features F] [--classes C]
//       writes graph::arxiv_scale_graph(S) (169,343 nodes, ~2.3M edges with self-loops) with
//       F random N(0, 1) features and uniform random labels in [0, C) to FILE, atomically;
//   --graph FILE [--epochs N] [--warmup W] [--threads T] [--hidden H] [--layers L] [--seed S]
//       reads FILE and times N full-batch training epochs (after W untimed ones) of the GCN of
//       PyG's ogbn-arxiv example: L GCNConv layers, BatchNorm + ReLU + dropout 0.5 between them,
//       cross-entropy on all nodes, Adam lr 0.01; prints
//       {"framework":"moegnn","epoch_seconds":[...],"median":...} on stdout.
// File layout (little-endian; read by bench/compare/gcn_pyg.py with numpy):
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
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ops/loss.h"
#include "core/optim/adam.h"
#include "core/parallel.h"
#include "graph/generators.h"
#include "graph/normalize.h"
#include "models/gcn.h"

namespace {

using moegnn::Index;
constexpr char kMagic[8] = {'M', 'O', 'E', 'G', 'C', 'N', 'B', '1'};

struct Args {
  std::string write_graph;
  std::string graph;
  Index epochs = 10;
  Index warmup = 2;
  int threads = 0;
  Index hidden = 256;
  Index layers = 3;
  Index features = 128;
  Index classes = 40;
  std::uint64_t seed = 1;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    MOEGNN_CHECK_AS(moegnn::InvalidArgument, "gcn_epoch", i + 1 < argc, "flag ", flag,
                    " has no value vs one value after every flag");
    const std::string value = argv[++i];
    if (flag == "--write-graph") a.write_graph = value;
    else if (flag == "--graph") a.graph = value;
    else if (flag == "--epochs") a.epochs = std::stoll(value);
    else if (flag == "--warmup") a.warmup = std::stoll(value);
    else if (flag == "--threads") a.threads = std::stoi(value);
    else if (flag == "--hidden") a.hidden = std::stoll(value);
    else if (flag == "--layers") a.layers = std::stoll(value);
    else if (flag == "--features") a.features = std::stoll(value);
    else if (flag == "--classes") a.classes = std::stoll(value);
    else if (flag == "--seed") a.seed = std::stoull(value);
    else MOEGNN_FAIL(moegnn::InvalidArgument, "gcn_epoch", "unknown flag ", flag);
  }
  MOEGNN_CHECK_AS(moegnn::InvalidArgument, "gcn_epoch", a.write_graph.empty() != a.graph.empty(),
                  "need exactly one of --write-graph FILE and --graph FILE");
  MOEGNN_CHECK_AS(moegnn::InvalidArgument, "gcn_epoch", a.epochs >= 1 && a.warmup >= 0,
                  "epochs ", a.epochs, ", warmup ", a.warmup, " vs epochs >= 1, warmup >= 0");
  return a;
}

template <typename T>
void put(std::ofstream& out, const T* data, std::size_t count) {
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
}

// Writes to a temporary file beside `path`, syncs it and renames it over `path`.
void write_graph(const Args& a) {
  const moegnn::graph::Csr g = moegnn::graph::arxiv_scale_graph(a.seed);
  const auto n = static_cast<std::uint64_t>(g.num_nodes());
  const auto nnz = static_cast<std::uint64_t>(g.num_edges());
  const std::uint64_t header[4] = {n, nnz, static_cast<std::uint64_t>(a.features),
                                   static_cast<std::uint64_t>(a.classes)};
  moegnn::Rng rng(a.seed + 1);
  std::vector<float> features(n * header[2]);
  for (float& f : features) f = rng.normal();
  std::vector<std::int32_t> labels(n);
  for (auto& y : labels) y = static_cast<std::int32_t>(rng.below(header[3]));
  const std::string tmp = a.write_graph + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", out.good(), "cannot open ", tmp);
    out.write(kMagic, sizeof(kMagic));
    put(out, header, 4);
    put(out, g.row_ptr().data(), n + 1);
    put(out, g.col_idx().data(), nnz);
    put(out, features.data(), features.size());
    put(out, labels.data(), labels.size());
    out.flush();
    MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", out.good(), "write failed: ", tmp);
  }
  if (FILE* f = std::fopen(tmp.c_str(), "rb")) {
    ::fsync(::fileno(f));
    std::fclose(f);
  }
  std::filesystem::rename(tmp, a.write_graph);
  std::cerr << "wrote " << a.write_graph << ": " << n << " nodes, " << nnz << " edges\n";
}

struct BenchData {
  moegnn::graph::Csr graph;
  moegnn::Tensor features;
  moegnn::IndexArray32 labels;
  Index num_classes = 0;
};

template <typename T>
void get(std::ifstream& in, T* data, std::size_t count, const std::string& path) {
  in.read(reinterpret_cast<char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
  MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", in.good(), path, ": truncated file");
}

BenchData read_graph(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", in.good(), "cannot open ", path);
  char magic[8];
  std::uint64_t h[4];
  get(in, magic, 8, path);
  MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", std::memcmp(magic, kMagic, 8) == 0, path,
                  ": bad magic vs MOEGCNB1");
  get(in, h, 4, path);
  const std::uint64_t expected = 40 + 8 * (h[0] + 1) + 4 * h[1] + 4 * h[0] * h[2] + 4 * h[0];
  MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", std::filesystem::file_size(path) == expected,
                  path, ": ", std::filesystem::file_size(path), " bytes vs ", expected,
                  " from the header");
  const auto n = static_cast<Index>(h[0]);
  moegnn::graph::EdgeIds row_ptr(n + 1);
  moegnn::graph::NodeIds col_idx(static_cast<Index>(h[1]));
  get(in, row_ptr.data(), h[0] + 1, path);
  get(in, col_idx.data(), h[1], path);
  BenchData d{moegnn::graph::Csr(n, n, row_ptr, col_idx),
              moegnn::Tensor::empty(n, static_cast<Index>(h[2])), moegnn::IndexArray32(n),
              static_cast<Index>(h[3])};
  get(in, d.features.data(), h[0] * h[2], path);
  get(in, d.labels.data(), h[0], path);
  for (const auto y : d.labels.host())
    MOEGNN_CHECK_AS(moegnn::IoError, "gcn_epoch", y >= 0 && y < d.num_classes, path, ": label ",
                    y, " vs [0, ", d.num_classes, ")");
  return d;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

void time_epochs(const Args& a) {
  moegnn::set_num_threads(a.threads);
  const BenchData d = read_graph(a.graph);
  const moegnn::graph::Csr adj = moegnn::graph::gcn_norm(d.graph);
  moegnn::Rng rng(a.seed);
  moegnn::models::Gcn model({.in_channels = d.features.cols(), .hidden_channels = a.hidden,
                             .out_channels = d.num_classes, .num_layers = a.layers,
                             .dropout = 0.5f, .batch_norm = true},
                            rng);
  moegnn::optim::Adam adam({moegnn::optim::ParamGroup{model.parameters(), 0.01f, 0.0f}});
  std::vector<double> seconds;
  float loss_value = 0.0f;
  for (Index epoch = 0; epoch < a.warmup + a.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    model.train();
    adam.zero_grad();
    moegnn::Tape tape;
    const moegnn::Var logits = model.forward(tape, adj, tape.constant(d.features), rng);
    const moegnn::Var loss = moegnn::ops::cross_entropy(tape, logits, d.labels);
    tape.backward(loss);
    adam.step();
    loss_value = loss.value().item();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (epoch >= a.warmup) seconds.push_back(s);
  }
  std::printf("{\"framework\":\"moegnn\",\"threads\":%d,\"epochs\":%lld,\"final_loss\":%.6f,"
              "\"epoch_seconds\":[",
              moegnn::num_threads(), static_cast<long long>(a.epochs), loss_value);
  for (std::size_t i = 0; i < seconds.size(); ++i)
    std::printf("%s%.6f", i == 0 ? "" : ",", seconds[i]);
  std::printf("],\"median\":%.6f}\n", median(seconds));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args args = parse(argc, argv);
    if (!args.write_graph.empty()) write_graph(args);
    else time_epochs(args);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
