// SPDX-License-Identifier: Apache-2.0
// LINKX's twitch-e (Rozemberczki et al.'s MUSAE Twitch networks, one language each): the target
// CSV read by column name (label = mature), the features JSON as a 0/1 matrix without its unused
// columns, the edge CSV, and LINKX's split file (load_data.py load_twitch, dataset.py).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/detail/linkx_common.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/csv.h"
#include "datasets/io/file.h"
#include "datasets/io/text_table.h"
#include "datasets/linkx.h"

namespace moegnn::datasets {
namespace {

constexpr const char* kFn = "load_twitch_e";

// Label of every node (new_id), first row per new_id (LINKX keeps the first of FR's duplicates).
std::vector<std::int64_t> read_targets(const std::filesystem::path& path) {
  const std::string source = path.string();
  const std::string text = io::read_file(path);
  io::TextLines lines(text);
  std::string_view line;
  MOEGNN_CHECK_AS(IoError, kFn, lines.next(line), source,
                  ": empty file vs a header line (id,days,mature,views,partner,new_id) and one "
                  "line per node");
  const std::vector<std::string_view> header = io::split_fields(line, ",");
  const auto column = [&](std::string_view name) {
    const auto it = std::find(header.begin(), header.end(), name);
    MOEGNN_CHECK_AS(IoError, kFn, it != header.end(), source, ": header '", line,
                    "' vs a column named ", name);
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t mature = column("mature");
  const std::size_t new_id = column("new_id");
  std::vector<std::pair<std::int64_t, std::int64_t>> rows;  // (new_id, label) in file order
  while (lines.next(line)) {
    if (line.empty()) continue;
    const io::TextFields fields(line, ",", source, lines.line_number());
    fields.expect_size(header.size());
    const auto id = fields.get<std::int64_t>(new_id);
    const std::string_view value = fields[mature];
    MOEGNN_CHECK_AS(IoError, kFn, value == "True" || value == "False", source, ": line ",
                    lines.line_number(), ": mature is '", value, "' vs True or False");
    MOEGNN_CHECK_AS(IoError, kFn, id >= 0, source, ": line ", lines.line_number(), ": new_id ",
                    id, " vs >= 0");
    rows.emplace_back(id, value == "True" ? 1 : 0);
  }
  MOEGNN_CHECK_AS(IoError, kFn, !rows.empty(), source, ": no node lines vs >= 1");
  // Ids are 0..n-1, each on at least one line, so none reaches the number of lines.
  std::vector<std::int64_t> labels;
  for (const auto& [id, label] : rows) {
    MOEGNN_CHECK_AS(IoError, kFn, id < static_cast<std::int64_t>(rows.size()), source, ": new_id ",
                    id, " vs ids 0..n-1 with n <= ", rows.size(), " lines");
    const auto i = static_cast<std::size_t>(id);
    if (i >= labels.size()) labels.resize(i + 1, -2);
    if (labels[i] == -2) labels[i] = label;  // the first line of a repeated new_id wins
  }
  for (std::size_t i = 0; i < labels.size(); ++i)
    MOEGNN_CHECK_AS(IoError, kFn, labels[i] != -2, source, ": no line for new_id ", i, " vs ids 0..",
                    labels.size() - 1, " each present");
  return labels;
}

// The features JSON {"<node>": [feature ids...]} as a 0/1 matrix whose columns are the ids used,
// ascending (LINKX's 3170-wide matrix with its all-zero columns dropped).
Tensor read_features(const std::filesystem::path& path, Index num_nodes) {
  const std::string source = path.string();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(io::read_file(path));
  } catch (const nlohmann::json::exception& e) {
    MOEGNN_FAIL(IoError, kFn, source, ": not valid JSON (", e.what(), ") vs an object of lists");
  }
  MOEGNN_CHECK_AS(IoError, kFn, json.is_object(), source, ": a JSON ", json.type_name(),
                  " vs an object {\"<node id>\": [feature ids]}");
  std::vector<std::vector<std::int64_t>> ids(static_cast<std::size_t>(num_nodes));
  std::vector<std::int64_t> used;
  for (const auto& [key, list] : json.items()) {
    std::int64_t node = -1;
    const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), node);
    MOEGNN_CHECK_AS(IoError, kFn,
                    ec == std::errc() && ptr == key.data() + key.size() && node >= 0 &&
                        node < num_nodes,
                    source, ": key '", key, "' vs a node id in [0, ", num_nodes, ")");
    MOEGNN_CHECK_AS(IoError, kFn, list.is_array(), source, ": node ", key, " holds a ",
                    list.type_name(), " vs a list of feature ids");
    for (const auto& v : list) {
      MOEGNN_CHECK_AS(IoError, kFn, v.is_number_integer() && v.get<std::int64_t>() >= 0, source,
                      ": node ", key, ": feature id ", v.dump(), " vs a non-negative integer");
      ids[static_cast<std::size_t>(node)].push_back(v.get<std::int64_t>());
      used.push_back(v.get<std::int64_t>());
    }
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  Tensor x = Tensor::zeros(num_nodes, static_cast<Index>(used.size()));
  auto h = x.host();
  for (Index i = 0; i < num_nodes; ++i)
    for (const std::int64_t id : ids[static_cast<std::size_t>(i)])
      h(i, std::lower_bound(used.begin(), used.end(), id) - used.begin()) = 1.0f;  // repeats: 1
  return x;
}

}  // namespace

LinkxDataset load_twitch_e(const std::filesystem::path& dir, const std::string& language,
                           const std::filesystem::path& splits_file, const LinkxOptions& options) {
  const std::filesystem::path prefix = dir / ("musae_" + language + "_");
  for (const char* part : {"edges.csv", "target.csv", "features.json"})
    require_file(prefix.string() + part, kFn, "MUSAE Twitch file");
  LinkxDataset out;
  detail::set_linkx_labels(out, read_targets(prefix.string() + "target.csv"),
                           prefix.string() + "target.csv");
  const Index n = out.data.labels.size();
  out.data.features = read_features(prefix.string() + "features.json", n);
  const std::string edge_source = prefix.string() + "edges.csv";
  const io::Int64Table edges = io::read_csv_int64(edge_source, {.header = true, .num_cols = 2});
  out.data.graph = detail::build_graph(edges.column(0), edges.column(1), n,
                                       options.as_published ? detail::EdgeConvention::AsStored
                                                            : detail::EdgeConvention::Undirected,
                                       edge_source);
  out.data.name = "twitch-" + language;
  for (char& c : out.data.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  detail::attach_linkx_splits(out, splits_file, options);
  check(out.data);
  return out;
}

}  // namespace moegnn::datasets
