// SPDX-License-Identifier: Apache-2.0
// Delimited ratings files through io::TextLines / io::TextFields (errors name file, line, column).
#include "datasets/ratings_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/io/file.h"
#include "datasets/io/text_table.h"

namespace moegnn::datasets {
namespace {

std::string detect_separator(std::string_view first_line) {
  if (first_line.find('\t') != std::string_view::npos) return "\t";
  if (first_line.find("::") != std::string_view::npos) return "::";
  return ",";
}

bool is_integer(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '+')) field.remove_prefix(1);
  while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  return error == std::errc() && end == field.data() + field.size() && !field.empty();
}

// 0-based indices of `raw` ids in ascending id order; fills `ids` with the sorted distinct ids.
std::vector<std::int32_t> relabel(const std::vector<std::int64_t>& raw,
                                  std::vector<std::int64_t>& ids) {
  ids = raw;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::unordered_map<std::int64_t, std::int32_t> index;
  index.reserve(ids.size());
  for (std::size_t k = 0; k < ids.size(); ++k) index.emplace(ids[k], static_cast<std::int32_t>(k));
  std::vector<std::int32_t> out(raw.size());
  for (std::size_t k = 0; k < raw.size(); ++k) out[k] = index.at(raw[k]);
  return out;
}

}  // namespace

RatingsDataset load_ratings_table(const std::filesystem::path& path,
                                  const RatingsTableOptions& options) {
  require_file(path, "load_ratings_table", "ratings file");
  const std::string text = io::read_file(path);
  const std::string source = path.string();
  io::TextLines lines(text);
  std::string_view line;
  std::string separator = options.separator;
  std::vector<std::int64_t> users, items, times;
  std::vector<float> ratings;
  bool first = true;
  while (lines.next(line)) {
    if (line.empty()) continue;
    if (separator.empty()) separator = detect_separator(line);
    const io::TextFields f(line, separator, source, lines.line_number());
    if (first) {
      first = false;
      const bool header = options.header == 1 || (options.header == -1 && f.size() >= 2 &&
                                                  (!is_integer(f[0]) || !is_integer(f[1])));
      if (header) continue;
    }
    MOEGNN_CHECK_AS(IoError, "load_ratings_table", f.size() >= 2 && f.size() <= 4, source,
                    ": line ", lines.line_number(), ": ", f.size(),
                    " fields vs 2 to 4 (user, item[, rating[, timestamp]])");
    users.push_back(f.get<std::int64_t>(0));
    items.push_back(f.get<std::int64_t>(1));
    const float rating = f.size() >= 3 ? f.get<float>(2) : 1.0f;
    MOEGNN_CHECK_AS(IoError, "load_ratings_table", std::isfinite(rating), source, ": line ",
                    lines.line_number(), ": rating ", f[2], " vs a finite number");
    ratings.push_back(rating);
    times.push_back(f.size() >= 4 ? f.get<std::int64_t>(3) : 0);
  }
  MOEGNN_CHECK_AS(IoError, "load_ratings_table", !users.empty(), source,
                  ": no ratings vs at least one line user, item[, rating[, timestamp]]");
  RatingsDataset d;
  d.name = options.name.empty() ? path.stem().string() : options.name;
  const std::vector<std::int32_t> user = relabel(users, d.user_ids);
  const std::vector<std::int32_t> item = relabel(items, d.item_ids);
  d.num_users = static_cast<Index>(d.user_ids.size());
  d.num_items = static_cast<Index>(d.item_ids.size());
  d.user = IndexArray32(user);
  d.item = IndexArray32(item);
  d.timestamp = IndexArray64(times);
  d.rating = Tensor::zeros(static_cast<Index>(ratings.size()), 1);
  std::copy(ratings.begin(), ratings.end(), d.rating.data());
  check(d);
  return d;
}

RatingsDataset filter_ratings(const RatingsDataset& dataset, float min_rating) {
  check(dataset);
  const auto user = dataset.user.host();
  const auto item = dataset.item.host();
  const auto time = dataset.timestamp.host();
  const float* rating = dataset.rating.data();
  std::vector<std::int32_t> u, i;
  std::vector<std::int64_t> t;
  std::vector<float> r;
  for (std::size_t k = 0; k < user.size(); ++k) {
    if (!(rating[k] >= min_rating)) continue;
    u.push_back(user[k]);
    i.push_back(item[k]);
    t.push_back(time[k]);
    r.push_back(rating[k]);
  }
  RatingsDataset out = dataset;
  out.user = IndexArray32(u);
  out.item = IndexArray32(i);
  out.timestamp = IndexArray64(t);
  out.rating = Tensor::zeros(static_cast<Index>(r.size()), 1);
  std::copy(r.begin(), r.end(), out.rating.data());
  return out;
}

}  // namespace moegnn::datasets
