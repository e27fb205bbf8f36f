// SPDX-License-Identifier: Apache-2.0
// Model options as text. Every model's options struct lists its settings once, in a
// `void fields(OptionFields& f)` member (key, value, help, bounds or choices); from that one list
// the library reads a key/value config into the struct (naming any unknown key, with the closest
// known one), writes the struct back as text (for checkpoints and results files), and describes the
// options (the apps turn each key into a flag, `--hidden 64`, besides `--model-config
// hidden=64,...` and JSON configs). Keys are dashed words ("input-dropout"); '_' reads as '-'.
#pragma once

#include <array>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.h"

namespace moegnn::models {

// key -> value text, e.g. {"hidden": "64", "norm": "batch"}.
using ModelConfig = std::map<std::string, std::string, std::less<>>;

// "hidden=64,heads=8" -> {hidden: "64", heads: "8"} (whitespace around items ignored, '_' in keys
// read as '-'). Throws InvalidArgument naming the item for one without '=' or with an empty key or
// value, and for a key given twice.
ModelConfig parse_model_config(std::string_view text);
// The inverse: "key=value,..." in key order.
std::string format_model_config(const ModelConfig& config);
// `key` with '_' replaced by '-'.
std::string normalize_option_key(std::string_view key);

// The closed range a number option accepts.
struct Bounds {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

// One option, for help texts and generated flags.
struct OptionInfo {
  std::string key;
  std::string value;  // the default, as text
  std::string help;
  std::string type;   // "int", "float", "bool", "text" or "choice"
  std::vector<std::string> choices{};
};

// What an options struct's fields() is called with: reading, writing or describing.
class OptionFields {
 public:
  virtual ~OptionFields() = default;
  virtual void field(std::string_view key, Index& value, std::string_view help,
                     Bounds bounds = {}) = 0;
  virtual void field(std::string_view key, float& value, std::string_view help,
                     Bounds bounds = {}) = 0;
  virtual void field(std::string_view key, bool& value, std::string_view help) = 0;
  // Free text, or one of `choices` when given.
  virtual void field(std::string_view key, std::string& value, std::string_view help,
                     std::span<const std::string_view> choices = {}) = 0;

  // An enum through its names: names[i].first is the text of names[i].second.
  template <typename Enum, std::size_t N>
  void choice(std::string_view key, Enum& value,
              const std::array<std::pair<std::string_view, Enum>, N>& names,
              std::string_view help) {
    std::array<std::string_view, N> texts{};
    std::string text;
    for (std::size_t i = 0; i < N; ++i) {
      texts[i] = names[i].first;
      if (names[i].second == value) text = names[i].first;
    }
    field(key, text, help, texts);
    for (const auto& [name, v] : names)
      if (name == text) value = v;
  }
};

namespace detail {

// Reads config values into the fields it is shown, remembering which keys it used.
class ConfigReader final : public OptionFields {
 public:
  ConfigReader(const ModelConfig& config, std::string_view owner) : config_(config), owner_(owner) {}
  void field(std::string_view key, Index& value, std::string_view help, Bounds bounds) override;
  void field(std::string_view key, float& value, std::string_view help, Bounds bounds) override;
  void field(std::string_view key, bool& value, std::string_view help) override;
  void field(std::string_view key, std::string& value, std::string_view help,
             std::span<const std::string_view> choices) override;
  const std::vector<std::string>& known() const { return known_; }
  const std::set<std::string, std::less<>>& used() const { return used_; }

 private:
  const std::string* find(std::string_view key);
  const ModelConfig& config_;
  std::string owner_;
  std::vector<std::string> known_;
  std::set<std::string, std::less<>> used_;
};

// Writes each field's value as text.
class ConfigWriter final : public OptionFields {
 public:
  void field(std::string_view key, Index& value, std::string_view help, Bounds bounds) override;
  void field(std::string_view key, float& value, std::string_view help, Bounds bounds) override;
  void field(std::string_view key, bool& value, std::string_view help) override;
  void field(std::string_view key, std::string& value, std::string_view help,
             std::span<const std::string_view> choices) override;
  ModelConfig config;
};

// Lists each field with its current value as the default.
class OptionLister final : public OptionFields {
 public:
  void field(std::string_view key, Index& value, std::string_view help, Bounds bounds) override;
  void field(std::string_view key, float& value, std::string_view help, Bounds bounds) override;
  void field(std::string_view key, bool& value, std::string_view help) override;
  void field(std::string_view key, std::string& value, std::string_view help,
             std::span<const std::string_view> choices) override;
  std::vector<OptionInfo> options;
};

// Throws InvalidArgument naming `owner` for each key of `config` outside `known`, with the
// known keys and the closest one.
void reject_unknown(const ModelConfig& config, const std::vector<std::string>& known,
                    std::string_view owner);

}  // namespace detail

// Whether keys the options do not know are an error (a model on its own) or left for someone else
// (an expert inside a mixture, which shares the config with the other expert).
enum class UnknownKeys { Reject, Ignore };

// `defaults` with every key of `config` that its fields() list applied. Throws InvalidArgument
// naming `owner` for a value that does not parse, lies outside its bounds or choices, and (Reject)
// for an unknown key. `used`, when given, receives the keys that were applied.
template <typename Options>
Options read_options(const ModelConfig& config, std::string_view owner, Options defaults = {},
                     UnknownKeys unknown = UnknownKeys::Reject,
                     std::set<std::string, std::less<>>* used = nullptr) {
  detail::ConfigReader reader(config, owner);
  defaults.fields(reader);
  if (unknown == UnknownKeys::Reject) detail::reject_unknown(config, reader.known(), owner);
  if (used != nullptr) used->insert(reader.used().begin(), reader.used().end());
  return defaults;
}

// Every field of `options` as text.
template <typename Options>
ModelConfig write_options(Options options) {
  detail::ConfigWriter writer;
  options.fields(writer);
  return std::move(writer.config);
}

// Every field with its value in `defaults` as the default.
template <typename Options>
std::vector<OptionInfo> describe_options(Options defaults = {}) {
  detail::OptionLister lister;
  defaults.fields(lister);
  return std::move(lister.options);
}

// The entry of `candidates` closest to `word` by edit distance, or "" when none is within a third
// of the word's length (+1): the "did you mean" of error messages.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace moegnn::models
