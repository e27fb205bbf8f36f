// SPDX-License-Identifier: Apache-2.0
// moegnn-data's commands: info, convert, generate, and the printing of each dataset kind.
#include "apps/data/run.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "datasets/binary_cache.h"
#include "datasets/homophily.h"
#include "datasets/powerlaw.h"

namespace moegnn::apps {
namespace {

namespace ds = moegnn::datasets;
using ll = long long;

void print_split(const char* label, const moegnn::IndexArray32& train,
                 const moegnn::IndexArray32& val, const moegnn::IndexArray32& test) {
  std::printf("  %-10s train %lld / val %lld / test %lld\n", label, static_cast<ll>(train.size()),
              static_cast<ll>(val.size()), static_cast<ll>(test.size()));
}

void print_node(const ds::NodeDataset& d) {
  std::printf("dataset       %s (node classification)\n", d.name.c_str());
  std::printf("  nodes       %lld\n", static_cast<ll>(d.num_nodes()));
  std::printf("  edges       %lld stored entries\n", static_cast<ll>(d.graph.num_edges()));
  std::printf("  features    %lld\n", static_cast<ll>(d.num_features()));
  std::printf("  classes     %lld\n", static_cast<ll>(d.num_classes));
  std::printf("  homophily   %.4f (edge)\n", ds::edge_homophily(d.graph, d.labels));
  print_split("split", d.train, d.val, d.test);
  for (std::size_t i = 0; i < d.splits.size(); ++i) {
    const std::string label = "split " + std::to_string(i);
    print_split(label.c_str(), d.splits[i].train, d.splits[i].val, d.splits[i].test);
  }
}

void print_link_split(const char* label, const ds::LinkSplit& s) {
  std::printf("  %-10s %lld positive / %lld negative pairs\n", label, static_cast<ll>(s.pos.size()),
              static_cast<ll>(s.neg.size()));
}

void print_link(const ds::LinkDataset& d) {
  std::printf("dataset       %s (link prediction)\n", d.name.c_str());
  std::printf("  nodes       %lld\n", static_cast<ll>(d.num_nodes()));
  std::printf("  edges       %lld stored entries (training graph)\n",
              static_cast<ll>(d.graph.num_edges()));
  std::printf("  features    %lld\n", static_cast<ll>(d.num_features()));
  print_link_split("train", d.train);
  print_link_split("val", d.val);
  print_link_split("test", d.test);
}

void print_ratings(const ds::RatingsDataset& d) {
  std::printf("dataset       %s (ratings)\n", d.name.c_str());
  std::printf("  users       %lld\n  items       %lld\n  ratings     %lld\n",
              static_cast<ll>(d.num_users), static_cast<ll>(d.num_items),
              static_cast<ll>(d.num_ratings()));
}

using Json = nlohmann::ordered_json;

Json split_json(const IndexArray32& train, const IndexArray32& val, const IndexArray32& test) {
  return {{"train", train.size()}, {"val", val.size()}, {"test", test.size()}};
}

// `info --json`: the same facts as the text, one JSON object on stdout.
void json_node(const ds::NodeDataset& d) {
  Json splits = Json::array();
  for (const auto& s : d.splits) splits.push_back(split_json(s.train, s.val, s.test));
  const Json out{{"name", d.name},
                 {"kind", "node"},
                 {"nodes", d.num_nodes()},
                 {"edges", d.graph.num_edges()},
                 {"features", d.num_features()},
                 {"classes", d.num_classes},
                 {"edge_homophily", ds::edge_homophily(d.graph, d.labels)},
                 {"split", split_json(d.train, d.val, d.test)},
                 {"splits", splits}};
  std::printf("%s\n", out.dump(2).c_str());
}

void json_link(const ds::LinkDataset& d) {
  const auto pairs = [](const ds::LinkSplit& s) {
    return Json{{"positive", s.pos.size()}, {"negative", s.neg.size()}};
  };
  const Json out{{"name", d.name},
                 {"kind", "link"},
                 {"nodes", d.num_nodes()},
                 {"edges", d.graph.num_edges()},
                 {"features", d.num_features()},
                 {"train", pairs(d.train)},
                 {"val", pairs(d.val)},
                 {"test", pairs(d.test)}};
  std::printf("%s\n", out.dump(2).c_str());
}

void json_ratings(const ds::RatingsDataset& d) {
  const Json out{{"name", d.name},
                 {"kind", "ratings"},
                 {"users", d.num_users},
                 {"items", d.num_items},
                 {"ratings", d.num_ratings()}};
  std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void info(const std::string& name, const std::string& data_dir, const ds::RegistryOptions& o,
          bool json) {
  const auto node = [json](const ds::NodeDataset& d) { json ? json_node(d) : print_node(d); };
  const auto link = [json](const ds::LinkDataset& d) { json ? json_link(d) : print_link(d); };
  if (std::filesystem::is_regular_file(std::filesystem::path(name) / "manifest.npy"))
    return node(ds::load_powerlaw(name));  // a directory written by `generate`
  switch (ds::dataset_cache_kind(name)) {
  case ds::CacheKind::Node:
    return node(ds::load_node_dataset_binary(name));
  case ds::CacheKind::Link:
    return link(ds::load_link_dataset_binary(name));
  case ds::CacheKind::None:
    break;
  }
  switch (ds::dataset_info(name).kind) {
  case ds::DatasetKind::Node:
    return node(ds::load_node_dataset(name, data_dir, o));
  case ds::DatasetKind::Link:
    return link(ds::load_link_dataset(name, data_dir, o));
  case ds::DatasetKind::Ratings: {
    const ds::RatingsDataset d = ds::load_ratings_dataset(name, data_dir, o);
    return json ? json_ratings(d) : print_ratings(d);
  }
  }
}

void convert(const std::string& name, const std::string& out, const std::string& data_dir,
             const ds::RegistryOptions& o) {
  // A failed convert leaves nothing behind: neither file existed before, or both are replaced.
  const std::filesystem::path graph = ds::cache_graph_path(out);
  const bool had_out = std::filesystem::exists(out), had_graph = std::filesystem::exists(graph);
  try {
    switch (ds::dataset_info(name).kind) {
    case ds::DatasetKind::Node:
      ds::save_node_dataset(ds::load_node_dataset(name, data_dir, o), out);
      break;
    case ds::DatasetKind::Link:
      ds::save_link_dataset(ds::load_link_dataset(name, data_dir, o), out);
      break;
    case ds::DatasetKind::Ratings:
      throw moegnn::Unsupported("convert: '" + name +
                                "' is a ratings dataset vs a node or link dataset");
    }
  } catch (...) {
    std::error_code ignored;
    if (!had_out) std::filesystem::remove(out, ignored);
    if (!had_graph) std::filesystem::remove(graph, ignored);
    throw;
  }
  std::printf("wrote %s and %s\n", out.c_str(), graph.c_str());
}

void generate(const ds::PowerlawOptions& o, const std::string& out, bool force) {
  std::error_code error;
  if (!force && std::filesystem::is_directory(out, error)) {
    Index entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(out, error))
      if (entry.path().filename().string().find(".tmp.") == std::string::npos) ++entries;
    MOEGNN_CHECK_AS(InvalidArgument, "moegnn-data generate", entries == 0, "directory '", out,
                    "' holds ", entries,
                    " entries vs an empty or new directory; pass --force to "
                    "replace the dataset files in it");
  }
  const ds::PowerlawWriteStats s = ds::write_powerlaw(o, out);
  std::printf("wrote %s: %lld nodes, %lld stored edges, %lld features in %lld chunks of %lld "
              "rows\n",
              out.c_str(), static_cast<ll>(o.num_nodes), static_cast<ll>(s.num_edges),
              static_cast<ll>(o.num_features), static_cast<ll>(s.num_chunks),
              static_cast<ll>(s.chunk_rows));
}

}  // namespace moegnn::apps
