// SPDX-License-Identifier: Apache-2.0
// MovieLens text files through io::TextLines / io::TextFields; ids are mapped to 0-based
// indices with hash maps built from the user and item files.
#include "datasets/movielens.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/io/file.h"
#include "datasets/io/text_table.h"

namespace moegnn::datasets {
namespace {

using IdMap = std::unordered_map<std::int64_t, std::int32_t>;

// The id column of a user or item file, in file order, and column 1 as titles when asked.
IdMap read_entities(const std::filesystem::path& path, std::string_view separator,
                    std::vector<std::int64_t>& ids, std::vector<std::string>* titles) {
  require_file(path, "load_movielens", "MovieLens file");
  const std::string text = io::read_file(path);
  io::TextLines lines(text);
  std::string_view line;
  IdMap index;
  const std::string source = path.string();  // outlives the fields, which keep a view of it
  while (lines.next(line)) {
    if (line.empty()) continue;
    const io::TextFields fields(line, separator, source, lines.line_number());
    const auto id = fields.get<std::int64_t>(0);
    MOEGNN_CHECK_AS(IoError, "load_movielens",
                    index.emplace(id, static_cast<std::int32_t>(ids.size())).second, path.string(),
                    ":", lines.line_number(), ": id ", id, " repeated vs unique ids");
    ids.push_back(id);
    if (titles != nullptr) titles->push_back(io::latin1_to_utf8(fields[1]));
  }
  return index;
}

// Ratings lines `user<sep>item<sep>rating<sep>time` appended to `d`.
void read_ratings(const std::filesystem::path& path, std::string_view separator, const IdMap& users,
                  const IdMap& items, RatingsDataset& d) {
  require_file(path, "load_movielens", "MovieLens file");
  const std::string text = io::read_file(path);
  io::TextLines lines(text);
  std::string_view line;
  std::vector<std::int32_t> user, item;
  std::vector<float> rating;
  std::vector<std::int64_t> time;
  const std::string source = path.string();  // outlives the fields, which keep a view of it
  while (lines.next(line)) {
    if (line.empty()) continue;
    const io::TextFields f(line, separator, source, lines.line_number());
    f.expect_size(4);
    const auto u = users.find(f.get<std::int64_t>(0));
    const auto i = items.find(f.get<std::int64_t>(1));
    MOEGNN_CHECK_AS(IoError, "load_movielens", u != users.end() && i != items.end(), path.string(),
                    ":", lines.line_number(), ": ", u == users.end() ? "user " : "item ",
                    f[u == users.end() ? 0 : 1], " not listed vs an id of the user/item file");
    user.push_back(u->second);
    item.push_back(i->second);
    rating.push_back(f.get<float>(2));
    time.push_back(f.get<std::int64_t>(3));
  }
  d.user = IndexArray32(user);
  d.item = IndexArray32(item);
  d.rating = Tensor::from_vector(static_cast<Index>(rating.size()), 1, rating);
  d.timestamp = IndexArray64(time);
}

RatingsDataset load(const std::filesystem::path& dir, const char* name, const char* ratings,
                    const char* users, const char* items, std::string_view rating_separator,
                    std::string_view separator) {
  RatingsDataset d;
  d.name = name;
  const IdMap user_index = read_entities(dir / users, separator, d.user_ids, nullptr);
  const IdMap item_index = read_entities(dir / items, separator, d.item_ids, &d.item_titles);
  d.num_users = static_cast<Index>(d.user_ids.size());
  d.num_items = static_cast<Index>(d.item_ids.size());
  read_ratings(dir / ratings, rating_separator, user_index, item_index, d);
  check(d);
  return d;
}

}  // namespace

RatingsDataset load_movielens_100k(const std::filesystem::path& dir) {
  return load(dir, "ml-100k", "u.data", "u.user", "u.item", "\t", "|");
}

RatingsDataset load_movielens_1m(const std::filesystem::path& dir) {
  return load(dir, "ml-1m", "ratings.dat", "users.dat", "movies.dat", "::", "::");
}

RatingsSplit movielens_100k_split(const RatingsDataset& dataset, const std::filesystem::path& dir,
                                  const std::string& name) {
  static const char* const kNames[] = {"u1", "u2", "u3", "u4", "u5", "ua", "ub"};
  MOEGNN_CHECK(std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames), "split '",
               name, "' vs one of u1, u2, u3, u4, u5, ua, ub");
  // (user, item) -> rating index; a pair rated twice is marked -1 (ambiguous).
  std::unordered_map<std::int64_t, std::int64_t> row_of;
  const auto user = dataset.user.host();
  const auto item = dataset.item.host();
  for (Index r = 0; r < dataset.num_ratings(); ++r) {
    const std::int64_t key = std::int64_t{user[static_cast<std::size_t>(r)]} * dataset.num_items +
                             item[static_cast<std::size_t>(r)];
    const auto [it, fresh] = row_of.emplace(key, r);
    if (!fresh) it->second = -1;
  }
  IdMap users, items;
  for (std::size_t u = 0; u < dataset.user_ids.size(); ++u)
    users.emplace(dataset.user_ids[u], static_cast<std::int32_t>(u));
  for (std::size_t i = 0; i < dataset.item_ids.size(); ++i)
    items.emplace(dataset.item_ids[i], static_cast<std::int32_t>(i));
  RatingsSplit split;
  for (const char* part : {"base", "test"}) {
    RatingsDataset rows;
    const std::filesystem::path path = dir / (name + "." + part);
    read_ratings(path, "\t", users, items, rows);
    std::vector<std::int64_t> ids(static_cast<std::size_t>(rows.num_ratings()));
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const auto it =
          row_of.find(std::int64_t{rows.user.host()[k]} * dataset.num_items + rows.item.host()[k]);
      MOEGNN_CHECK_AS(
          IoError, "movielens_100k_split", it != row_of.end() && it->second >= 0, path.string(),
          ": rating ", k + 1, " (user ", dataset.user_ids[rows.user.host()[k]], ", item ",
          dataset.item_ids[rows.item.host()[k]], ") ",
          it == row_of.end() ? "is not in u.data" : "is rated twice in u.data", " vs exactly once");
      ids[k] = it->second;
    }
    std::sort(ids.begin(), ids.end());
    (part[0] == 'b' ? split.train : split.test) = IndexArray64(ids);
  }
  return split;
}

}  // namespace moegnn::datasets
