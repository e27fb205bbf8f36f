// SPDX-License-Identifier: Apache-2.0
// Readable bound checks for the programs' number flags. CLI11's PositiveNumber and
// NonNegativeNumber report the double range they allow (a 300-digit upper bound); these say what a
// user needs: "--epochs: must be >= 1 (got 0)".
#pragma once

#include <string>

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

}  // namespace moegnn::apps
