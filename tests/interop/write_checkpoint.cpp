// SPDX-License-Identifier: Apache-2.0
// Writes a real training checkpoint (a Gcn with batch norm trained two epochs on a small CSBM, so
// it holds parameters, running statistics, Adam state, the Rng state and metadata) and a JSON dump
// of every entry as this library reads it back. tests/interop/safetensors_test.py loads the
// checkpoint with the `safetensors` Python package and compares it with the dump.
// Usage: moegnn_interop_write_checkpoint <checkpoint.safetensors> <dump.json>
#include <exception>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "datasets/csbm.h"
#include "models/training/checkpoint.h"
#include "models/node/gcn.h"
#include "models/training/trainer.h"

namespace {

using namespace moegnn;

void write_checkpoint(const std::filesystem::path& path) {
  const datasets::NodeDataset data =
      datasets::csbm({.num_nodes = 100, .num_classes = 3, .num_features = 6, .seed = 3});
  Rng rng(1);
  models::Gcn model({.in_channels = 6, .hidden_channels = 8, .out_channels = 3, .batch_norm = true},
                    rng);
  const models::PreparedGraph adj = model.prepare(data.graph);
  training::Trainer trainer(
      model,
      [&](Tape& tape, Rng& r) { return model.forward(tape, adj, tape.constant(data.features), r); },
      {{data.train, data.val, data.test}, data.labels},
      {.epochs = 2,
       .progress = false,
       .checkpoint_path = path});
  trainer.fit();
}

nlohmann::json dump(const training::Checkpoint& c) {
  nlohmann::json out;
  for (const std::string& name : c.names()) {
    nlohmann::json entry{{"shape", c.shape(name)}};
    if (c.dtype(name) == DType::Int64) {
      entry["dtype"] = "int64";
      entry["values"] = c.int64(name);
    } else {
      entry["dtype"] = "float32";
      const Tensor t = c.tensor(name);
      entry["values"] = std::vector<float>(t.data(), t.data() + t.size());
    }
    out["tensors"][name] = entry;
  }
  out["metadata"] = c.metadata();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " <checkpoint.safetensors> <dump.json>\n";
    return 2;
  }
  try {
    write_checkpoint(argv[1]);
    std::ofstream(argv[2]) << dump(training::Checkpoint::load(argv[1])).dump() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
