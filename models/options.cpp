// SPDX-License-Identifier: Apache-2.0
// Model options as text: parsing "k=v,..." and reading, writing and listing options structs.
#include "models/options.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/error.h"

namespace moegnn::models {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string float_text(float v) {
  return fmt::format("{:.7g}", static_cast<double>(v));
}

std::string bounds_text(Bounds b) {
  const bool low = std::isfinite(b.min), high = std::isfinite(b.max);
  if (low && high) return fmt::format("in [{:g}, {:g}]", b.min, b.max);
  if (low) return fmt::format(">= {:g}", b.min);
  if (high) return fmt::format("<= {:g}", b.max);
  return "a number";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string normalize_option_key(std::string_view key) {
  std::string out(trim(key));
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

ModelConfig parse_model_config(std::string_view text) {
  ModelConfig out;
  while (!trim(text).empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t eq = item.find('=');
    MOEGNN_CHECK_AS(InvalidArgument, "--model-config",
                    eq != std::string_view::npos && !trim(item.substr(0, eq)).empty() &&
                        !trim(item.substr(eq + 1)).empty(),
                    "item '", item, "' vs key=value (e.g. hidden=64,heads=8)");
    std::string key = normalize_option_key(item.substr(0, eq));
    const bool fresh = out.emplace(key, std::string(trim(item.substr(eq + 1)))).second;
    MOEGNN_CHECK_AS(InvalidArgument, "--model-config", fresh, "key '", key,
                    "' is given twice vs once");
  }
  return out;
}

std::string format_model_config(const ModelConfig& config) {
  std::string out;
  for (const auto& [key, value] : config) out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = word.size() / 3 + 2;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

namespace detail {

const std::string* ConfigReader::find(std::string_view key) {
  known_.emplace_back(key);
  const auto it = config_.find(key);
  if (it == config_.end()) return nullptr;
  used_.insert(it->first);
  return &it->second;
}

void ConfigReader::field(std::string_view key, Index& value, std::string_view, Bounds bounds) {
  const std::string* text = find(key);
  if (text == nullptr) return;
  Index v = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), v);
  MOEGNN_CHECK_AS(InvalidArgument, owner_.c_str(), error == std::errc() && end == text->data() + text->size(),
                  key, " is '", *text, "' vs an integer");
  MOEGNN_CHECK_AS(InvalidArgument, owner_.c_str(),
                  static_cast<double>(v) >= bounds.min && static_cast<double>(v) <= bounds.max,
                  key, " is ", v, " vs ", bounds_text(bounds));
  value = v;
}

void ConfigReader::field(std::string_view key, float& value, std::string_view, Bounds bounds) {
  const std::string* text = find(key);
  if (text == nullptr) return;
  float v = 0.0f;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), v);
  MOEGNN_CHECK_AS(InvalidArgument, owner_.c_str(),
                  error == std::errc() && end == text->data() + text->size() && std::isfinite(v),
                  key, " is '", *text, "' vs a finite number");
  MOEGNN_CHECK_AS(InvalidArgument, owner_.c_str(),
                  static_cast<double>(v) >= bounds.min && static_cast<double>(v) <= bounds.max,
                  key, " is ", *text, " vs ", bounds_text(bounds));
  value = v;
}

void ConfigReader::field(std::string_view key, bool& value, std::string_view) {
  const std::string* text = find(key);
  if (text == nullptr) return;
  const bool yes = *text == "true" || *text == "1" || *text == "on";
  const bool no = *text == "false" || *text == "0" || *text == "off";
  MOEGNN_CHECK_AS(InvalidArgument, owner_.c_str(), yes || no, key, " is '", *text,
                  "' vs true or false");
  value = yes;
}

void ConfigReader::field(std::string_view key, std::string& value, std::string_view,
                         std::span<const std::string_view> choices) {
  const std::string* text = find(key);
  if (text == nullptr) return;
  if (!choices.empty()) {
    std::vector<std::string> names(choices.begin(), choices.end());
    const bool ok = std::find(names.begin(), names.end(), *text) != names.end();
    const std::string guess = ok ? "" : closest_match(*text, names);
    MOEGNN_CHECK_AS(InvalidArgument, owner_.c_str(), ok, key, " is '", *text, "' vs one of ",
                    joined(names), guess.empty() ? "" : "; did you mean '" + guess + "'?");
  }
  value = *text;
}

void ConfigWriter::field(std::string_view key, Index& value, std::string_view, Bounds) {
  config.emplace(std::string(key), std::to_string(value));
}
void ConfigWriter::field(std::string_view key, float& value, std::string_view, Bounds) {
  config.emplace(std::string(key), float_text(value));
}
void ConfigWriter::field(std::string_view key, bool& value, std::string_view) {
  config.emplace(std::string(key), value ? "true" : "false");
}
void ConfigWriter::field(std::string_view key, std::string& value, std::string_view,
                         std::span<const std::string_view>) {
  config.emplace(std::string(key), value);
}

void OptionLister::field(std::string_view key, Index& value, std::string_view help, Bounds b) {
  std::string h(help);
  if (std::isfinite(b.min) || std::isfinite(b.max)) h += ", " + bounds_text(b);
  options.push_back({std::string(key), std::to_string(value), h, "int"});
}
void OptionLister::field(std::string_view key, float& value, std::string_view help, Bounds b) {
  std::string h(help);
  if (std::isfinite(b.min) || std::isfinite(b.max)) h += ", " + bounds_text(b);
  options.push_back({std::string(key), float_text(value), h, "float"});
}
void OptionLister::field(std::string_view key, bool& value, std::string_view help) {
  options.push_back({std::string(key), value ? "true" : "false", std::string(help), "bool"});
}
void OptionLister::field(std::string_view key, std::string& value, std::string_view help,
                         std::span<const std::string_view> choices) {
  options.push_back({std::string(key), value, std::string(help), choices.empty() ? "text" : "choice",
                     std::vector<std::string>(choices.begin(), choices.end())});
}

void reject_unknown(const ModelConfig& config, const std::vector<std::string>& known,
                    std::string_view owner) {
  const std::string name(owner);
  for (const auto& [key, value] : config) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string guess = closest_match(key, known);
    MOEGNN_FAIL(InvalidArgument, name.c_str(), "unknown option '", key, "' vs one of ", joined(known),
                guess.empty() ? "" : "; did you mean '" + guess + "'?");
  }
}

}  // namespace detail
}  // namespace moegnn::models
