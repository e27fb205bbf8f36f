// SPDX-License-Identifier: Apache-2.0
// A reader for ratings kept as one interaction per line, `user<sep>item[<sep>rating[<sep>time]]`:
// MovieLens `ml-latest-small` / `ml-25m` ratings.csv (`userId,movieId,rating,timestamp` with a
// header), the Facebook Books TSV of Sheaf4Rec (`user<TAB>item<TAB>1.0`, no header) and any such
// CSV/TSV. The separator is a tab when the first line holds one, else "::" (ML-1M style), else a
// comma; a first line whose first two fields are not integers is a header. Ids are integers, mapped
// to 0-based contiguous indices in ascending id order (the original ids are kept); a missing
// rating column gives rating 1, a missing timestamp 0.
#pragma once

#include <filesystem>
#include <string>

#include "datasets/ratings_dataset.h"

namespace moegnn::datasets {

struct RatingsTableOptions {
  std::string separator{};  // empty: detect from the first line (tab, "::", comma)
  int header = -1;          // -1: detect; 0: none; 1: the first line is a header
  std::string name{};       // dataset name; empty: the file's stem
};

// Reads `path`. Throws IoError for a missing file, an empty file, or a malformed line (naming the
// file and the line: a field that is not a number, fewer than 2 or more than 4 fields, a
// non-finite rating).
RatingsDataset load_ratings_table(const std::filesystem::path& path,
                                  const RatingsTableOptions& options = {});

// Keeps the ratings >= min_rating (implicit feedback from explicit ratings: Sheaf4Rec and
// recommenders keep rating >= 3 as positives); users and items keep their ids and titles.
RatingsDataset filter_ratings(const RatingsDataset& dataset, float min_rating);

}  // namespace moegnn::datasets
