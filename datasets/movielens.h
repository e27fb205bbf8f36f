// SPDX-License-Identifier: Apache-2.0
// Loaders for the GroupLens MovieLens releases in their original text formats:
//   100K (ml-100k/): u.data `user<TAB>item<TAB>rating<TAB>timestamp` (1-based ids), u.item
//     `|`-separated Latin-1 (id|title|...), u.user `id|age|gender|occupation|zip`, and the shipped
//     splits u1..u5 and ua/ub as <split>.base / <split>.test in u.data's format;
//   1M (ml-1m/): ratings.dat `user::movie::rating::timestamp`, movies.dat `id::title::genres`
//     (Latin-1), users.dat `id::gender::age::occupation::zip`.
// Users and items become 0-based contiguous ids in the order of u.user/users.dat and
// u.item/movies.dat (ML-1M movie ids have gaps); the original ids are kept in user_ids/item_ids.
#pragma once

#include <filesystem>
#include <string>

#include "datasets/ratings_dataset.h"
#include "datasets/ratings_split.h"

namespace moegnn::datasets {

// Loads ml-100k from `dir`. Throws IoError naming the file for a missing or malformed file, a
// user or item id absent from u.user / u.item, or a repeated id there.
RatingsDataset load_movielens_100k(const std::filesystem::path& dir);

// Loads ml-1m from `dir`. Throws IoError as load_movielens_100k.
RatingsDataset load_movielens_1m(const std::filesystem::path& dir);

// A shipped 100K split: `name` is "u1".."u5", "ua" or "ub"; train/test are the indices of the
// ratings of <name>.base / <name>.test in `dataset` (loaded from the same dir). Throws
// InvalidArgument for another name, IoError for a missing file or a line whose (user, item)
// pair is not rated exactly once in u.data.
RatingsSplit movielens_100k_split(const RatingsDataset& dataset, const std::filesystem::path& dir,
                                  const std::string& name);

}  // namespace moegnn::datasets
