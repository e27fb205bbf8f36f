// SPDX-License-Identifier: Apache-2.0
// Readable bound checks for the programs' number flags. CLI11's PositiveNumber and
// NonNegativeNumber report the double range they allow (a 300-digit upper bound); these say what a
// user needs: "--epochs: must be >= 1 (got 0)".
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <type_traits>
#include <utility>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace moegnn::apps {

// Accepts a number >= min (or > min when `strict`).
inline CLI::Validator number_at_least(double min, bool strict = false) {
  const std::string text = fmt::format("{} {:g}", strict ? ">" : ">=", min);
  return CLI::Validator(
      [min, strict, text](std::string& value) -> std::string {
        std::size_t used = 0;
        double v = 0.0;
        try {
          v = std::stod(value, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != value.size() || value.empty())
          return "must be a number " + text + " (got '" + value + "')";
        if (strict ? v > min : v >= min) return "";
        return "must be " + text + " (got " + value + ")";
      },
      "NUMBER " + text);
}

inline CLI::Validator positive() { return number_at_least(0.0, /*strict=*/true); }
inline CLI::Validator at_least_one() { return number_at_least(1.0); }
inline CLI::Validator non_negative() { return number_at_least(0.0); }

// A flag that names one of an enum's values (use with ->transform): the name, in any case, becomes
// the enum; a wrong one is said as "'kahip' vs one of metis, random" (CLI11's CheckedTransformer
// says "Check kahip value in {metis->0,random->1}", the enum's integers). Keys are lower case.
template <class Enum>
  requires std::is_enum_v<Enum>
CLI::Validator one_of(std::map<std::string, Enum> names) {
  std::string list;
  for (const auto& entry : names) list += (list.empty() ? "" : ", ") + entry.first;
  return CLI::Validator(
      [names = std::move(names), list](std::string& value) -> std::string {
        std::string key = value;
        std::ranges::transform(key, key.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto it = names.find(key);
        if (it != names.end()) {
          value = std::to_string(static_cast<long long>(it->second));
          return "";
        }
        // A value already transformed (CLI11 may validate a stored result again) passes as is.
        for (const auto& entry : names)
          if (value == std::to_string(static_cast<long long>(entry.second))) return "";
        return "'" + value + "' vs one of " + list;
      },
      "{" + list + "}");
}

// The name of `value` in `names` (the first in key order), for a name flag's ->default_str.
template <class Enum>
  requires std::is_enum_v<Enum>
std::string enum_name(const std::map<std::string, Enum>& names, Enum value) {
  for (const auto& [name, v] : names)
    if (v == value) return name;
  return "?";
}

}  // namespace moegnn::apps
