// SPDX-License-Identifier: Apache-2.0
// The programs' --config reader/writer for CLI11: a flat JSON object {"flag-name": value}
// (moegnn-node-classification, moegnn-recommend, moegnn-link-prediction).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace moegnn::apps {

// --config FILE.json: a flat object {"flag-name": value}; values are strings, numbers, booleans
// or arrays of them (e.g. "fanouts": [10, 5]). Underscores in keys count as dashes.
class JsonConfig final : public CLI::Config {
 public:
  std::string to_config(const CLI::App* app, bool default_also, bool /*write_description*/,
                        std::string /*prefix*/) const override {
    nlohmann::json out = nlohmann::json::object();
    for (const CLI::Option* opt : app->get_options({})) {
      if (!opt->get_configurable() || opt->get_lnames().empty()) continue;
      const std::string value = opt->count() > 0 ? opt->as<std::string>() : opt->get_default_str();
      if (opt->count() > 0 || (default_also && !value.empty())) out[opt->get_lnames().front()] = value;
    }
    return out.dump(2) + "\n";
  }

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    nlohmann::json json;
    try {
      input >> json;
    } catch (const nlohmann::json::exception& e) {
      throw CLI::ConversionError(std::string("--config: not valid JSON: ") + e.what());
    }
    if (!json.is_object())
      throw CLI::ConversionError("--config: the file holds " + std::string(json.type_name()) +
                                 " vs a JSON object of flag names");
    std::vector<CLI::ConfigItem> items;
    for (const auto& [key, value] : json.items()) {
      CLI::ConfigItem item;
      item.name = key;
      for (char& c : item.name)
        if (c == '_') c = '-';
      if (value.is_array()) {
        for (const auto& v : value) item.inputs.push_back(scalar(key, v));
      } else {
        item.inputs.push_back(scalar(key, value));
      }
      items.push_back(std::move(item));
    }
    return items;
  }

 private:
  static std::string scalar(const std::string& key, const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    std::string what = "--config: key '";
    what += key;
    what += "' holds ";
    what += v.type_name();
    what += " vs a string, number, boolean or array of them";
    throw CLI::ConversionError(what);
  }
};

}  // namespace moegnn::apps
