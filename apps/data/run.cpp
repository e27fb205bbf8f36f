// SPDX-License-Identifier: Apache-2.0
// moegnn-data's commands: info, convert, generate, and the printing of each dataset kind.
#include "apps/data/run.h"

#include <filesystem>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "datasets/binary_cache.h"
#include "datasets/homophily.h"
#include "datasets/powerlaw.h"

namespace moegnn::apps {
namespace {

namespace ds = moegnn::datasets;

void print_split(const char* label, const moegnn::IndexArray32& train,
                 const moegnn::IndexArray32& val, const moegnn::IndexArray32& test) {
  fmt::print("  {:<10} train {} / val {} / test {}\n", label, train.size(), val.size(), test.size());
}

void print_node(const ds::NodeDataset& d) {
  fmt::print("dataset       {} (node classification)\n", d.name);
  fmt::print("  nodes       {}\n", d.num_nodes());
  fmt::print("  edges       {} stored entries\n", d.graph.num_edges());
  fmt::print("  features    {}\n", d.num_features());
  fmt::print("  classes     {}\n", d.num_classes);
  fmt::print("  homophily   {:.4f} (edge)\n", ds::edge_homophily(d.graph, d.labels));
  print_split("split", d.train, d.val, d.test);
  for (std::size_t i = 0; i < d.splits.size(); ++i) {
    const std::string label = "split " + std::to_string(i);
    print_split(label.c_str(), d.splits[i].train, d.splits[i].val, d.splits[i].test);
  }
}

void print_link_split(const char* label, const ds::LinkSplit& s) {
  fmt::print("  {:<10} {} positive / {} negative pairs\n", label, s.pos.size(), s.neg.size());
}

void print_link(const ds::LinkDataset& d) {
  fmt::print("dataset       {} (link prediction)\n", d.name);
  fmt::print("  nodes       {}\n", d.num_nodes());
  fmt::print("  edges       {} stored entries (training graph)\n", d.graph.num_edges());
  fmt::print("  features    {}\n", d.num_features());
  print_link_split("train", d.train);
  print_link_split("val", d.val);
  print_link_split("test", d.test);
}

void print_ratings(const ds::RatingsDataset& d) {
  fmt::print("dataset       {} (ratings)\n", d.name);
  fmt::print("  users       {}\n  items       {}\n  ratings     {}\n", d.num_users, d.num_items,
             d.num_ratings());
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
  fmt::print("{}\n", out.dump(2));
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
  fmt::print("{}\n", out.dump(2));
}

void json_ratings(const ds::RatingsDataset& d) {
  const Json out{{"name", d.name},
                 {"kind", "ratings"},
                 {"users", d.num_users},
                 {"items", d.num_items},
                 {"ratings", d.num_ratings()}};
  fmt::print("{}\n", out.dump(2));
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
  fmt::print("wrote {} and {}\n", out, graph.string());
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
  fmt::print("wrote {}: {} nodes, {} stored edges, {} features in {} chunks of {} rows\n", out,
             o.num_nodes, s.num_edges, o.num_features, s.num_chunks, s.chunk_rows);
}

}  // namespace moegnn::apps
