// SPDX-License-Identifier: Apache-2.0
// LINKX's twitch-gamer (Rozemberczki & Sarkar's Twitch Gamers, SNAP): the feature CSV read by
// column name with LINKX's label and feature choice (load_data.py load_twitch_gamer, task
// "mature", normalize=True), the edge CSV, and the fixed splits.
#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "datasets/detail/linkx_common.h"
#include "datasets/detail/loader_util.h"
#include "datasets/io/csv.h"
#include "datasets/io/file.h"
#include "datasets/io/text_table.h"
#include "datasets/linkx.h"

namespace moegnn::datasets {
namespace {

enum class ColumnKind { Number, Date, Category };

// The first of `names` present in `dir`; throws IoError naming all of them otherwise.
std::filesystem::path pick(const std::filesystem::path& dir, const char* a, const char* b) {
  for (const char* name : {a, b})
    if (std::filesystem::exists(dir / name)) return dir / name;
  MOEGNN_FAIL(IoError, "load_twitch_gamer", (dir / a).string(), ": no such file, nor ", b,
              " vs one of them (LINKX's or SNAP's name for the twitch-gamer files)");
}

// "2016-02-16" -> 20160216, as LINKX's str.replace('-', '').astype(int).
double date_value(std::string_view text, const io::TextFields& fields, std::size_t column) {
  std::string digits;
  for (const char c : text)
    if (c != '-') digits += c;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty())
    return static_cast<double>(fields.get<std::int64_t>(column));  // throws, naming line/column
  return static_cast<double>(v);
}

}  // namespace

LinkxDataset load_twitch_gamer(const std::filesystem::path& dir,
                               const std::filesystem::path& splits_file,
                               const LinkxOptions& options) {
  const std::filesystem::path feat_path =
      pick(dir, "twitch-gamer_feat.csv", "large_twitch_features.csv");
  const std::filesystem::path edge_path =
      pick(dir, "twitch-gamer_edges.csv", "large_twitch_edges.csv");
  const std::string source = feat_path.string();
  const std::string text = io::read_file(feat_path);
  io::TextLines lines(text);
  std::string_view line;
  MOEGNN_CHECK_AS(IoError, "load_twitch_gamer", lines.next(line), source,
                  ": empty file vs a header line and one line per node");
  // 1. Columns by name: numeric_id places the row, mature is the label, the rest are features.
  const std::vector<std::string_view> header = io::split_fields(line, ",");
  std::size_t id_col = header.size();
  std::size_t label_col = header.size();
  std::vector<std::size_t> feature_cols;
  std::vector<ColumnKind> kinds;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "numeric_id") {
      id_col = c;
    } else if (header[c] == "mature") {
      label_col = c;
    } else {
      feature_cols.push_back(c);
      kinds.push_back(header[c] == "language"      ? ColumnKind::Category
                      : header[c].ends_with("_at") ? ColumnKind::Date
                                                   : ColumnKind::Number);
    }
  }
  MOEGNN_CHECK_AS(IoError, "load_twitch_gamer", id_col < header.size() && label_col < header.size(),
                  source, ": header '", line, "' vs columns numeric_id and mature");
  // 2. Rows in file order; categories numbered by first appearance (pandas' unique()).
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> labels;
  std::vector<double> values;  // file rows × features
  std::unordered_map<std::string, double> categories;
  while (lines.next(line)) {
    if (line.empty()) continue;
    const io::TextFields fields(line, ",", source, lines.line_number());
    fields.expect_size(header.size());
    ids.push_back(fields.get<std::int64_t>(id_col));
    labels.push_back(fields.get<std::int64_t>(label_col));
    for (std::size_t j = 0; j < feature_cols.size(); ++j) {
      const std::size_t c = feature_cols[j];
      if (kinds[j] == ColumnKind::Category) {
        const auto [it, fresh] =
            categories.try_emplace(std::string(fields[c]), static_cast<double>(categories.size()));
        values.push_back(it->second);
      } else if (kinds[j] == ColumnKind::Date) {
        values.push_back(date_value(fields[c], fields, c));
      } else {
        values.push_back(fields.get<double>(c));
      }
    }
  }
  const auto n = static_cast<Index>(ids.size());
  MOEGNN_CHECK_AS(IoError, "load_twitch_gamer", n > 0, source, ": no node lines vs >= 1");
  // 3. Place row k at node ids[k] (a permutation of 0..n-1).
  std::vector<std::int64_t> row_of(static_cast<std::size_t>(n), -1);
  for (Index k = 0; k < n; ++k) {
    const std::int64_t id = ids[static_cast<std::size_t>(k)];
    MOEGNN_CHECK_AS(IoError, "load_twitch_gamer", id >= 0 && id < n, source, ": data line ", k + 1,
                    " has numeric_id ", id, " vs [0, ", n, ")");
    MOEGNN_CHECK_AS(IoError, "load_twitch_gamer", row_of[static_cast<std::size_t>(id)] < 0, source,
                    ": numeric_id ", id, " appears twice vs once");
    row_of[static_cast<std::size_t>(id)] = k;
  }
  LinkxDataset out;
  std::vector<std::int64_t> node_labels(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i)
    node_labels[static_cast<std::size_t>(i)] = labels[static_cast<std::size_t>(row_of[i])];
  detail::set_linkx_labels(out, node_labels, source);
  // 4. Features, standardised per column (sample std, as torch.std); a constant column stays 0.
  const auto f = static_cast<Index>(feature_cols.size());
  out.data.features = Tensor::zeros(n, f);
  auto x = out.data.features.host();
  for (Index j = 0; j < f; ++j) {
    double mean = 0.0;
    for (Index k = 0; k < n; ++k) mean += values[static_cast<std::size_t>(k * f + j)];
    mean /= static_cast<double>(n);
    double ss = 0.0;
    for (Index k = 0; k < n; ++k) {
      const double d = values[static_cast<std::size_t>(k * f + j)] - mean;
      ss += d * d;
    }
    const double sd = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0.0;
    for (Index i = 0; i < n; ++i) {
      const double v = values[static_cast<std::size_t>(row_of[i] * f + j)];
      x(i, j) = static_cast<float>(!options.normalize_features ? v
                                   : sd > 0.0                  ? (v - mean) / sd
                                                               : 0.0);
    }
  }
  // 5. Edges (numeric_id_1, numeric_id_2).
  const io::Int64Table edges = io::read_csv_int64(edge_path, {.header = true, .num_cols = 2});
  std::vector<std::int64_t> src;
  std::vector<std::int64_t> dst;
  detail::split_pairs(edges.values, src, dst);
  out.data.graph = detail::build_graph(src, dst, n,
                                       options.as_published ? detail::EdgeConvention::AsStored
                                                            : detail::EdgeConvention::Undirected,
                                       edge_path.string());
  out.data.name = "twitch-gamer";
  detail::attach_linkx_splits(out, splits_file, options);
  check(out.data);
  return out;
}

}  // namespace moegnn::datasets
