// SPDX-License-Identifier: Apache-2.0
// One table row per recommender model.
#include "models/rec/registry.h"

#include <functional>

#include "core/error.h"
#include "models/rec/bpr_mf.h"
#include "models/rec/lightgcn.h"
#include "models/rec/sheaf4rec.h"

namespace moegnn::rec {
namespace {

using Factory = std::function<std::unique_ptr<RecModel>(Index, Index, const RecModelOptions&,
                                                        const graph::Csr&)>;
struct Entry {
  const char* name;
  Factory make;
};

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries{
      {"bpr-mf",
       [](Index u, Index i, const RecModelOptions& o, const graph::Csr&) {
         return std::unique_ptr<RecModel>(std::make_unique<BprMf>(u, i, o));
       }},
      {"lightgcn",
       [](Index u, Index i, const RecModelOptions& o, const graph::Csr& g) {
         return std::unique_ptr<RecModel>(std::make_unique<LightGcn>(u, i, o, g));
       }},
      {"sheaf4rec",
       [](Index u, Index i, const RecModelOptions& o, const graph::Csr& g) {
         return std::unique_ptr<RecModel>(std::make_unique<Sheaf4Rec>(u, i, o, g));
       }},
  };
  return entries;
}

}  // namespace

std::vector<std::string> rec_model_names() {
  std::vector<std::string> names;
  for (const Entry& e : table()) names.emplace_back(e.name);
  return names;
}

std::unique_ptr<RecModel> make_rec_model(const std::string& name, Index num_users, Index num_items,
                                         const RecModelOptions& options, const graph::Csr& graph) {
  std::string known;
  for (const Entry& e : table()) {
    if (name == e.name) return e.make(num_users, num_items, options, graph);
    if (!known.empty()) known += ", ";
    known += e.name;
  }
  MOEGNN_CHECK(false, "model '", name, "' vs one of ", known);
  return nullptr;
}

}  // namespace moegnn::rec
