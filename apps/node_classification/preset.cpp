// SPDX-License-Identifier: Apache-2.0
// Finding a shipped config by name (--preset geom-gcn/texas-gcn) or by the run (--preset paper).
#include "apps/node_classification/preset.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/build_info.h"
#include "core/error.h"
#include "datasets/registry.h"

namespace moegnn::apps {
namespace {

namespace fs = std::filesystem;

struct Preset {
  std::string name;  // relative path without .json
  fs::path path;
  std::string dataset, model, split;
};

std::string string_key(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Every *.json under `dir` that is a JSON object, sorted by name (unreadable files are skipped:
// --config reports them when chosen by name).
std::vector<Preset> presets_in(const fs::path& dir) {
  std::vector<Preset> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    std::ifstream in(it->path());
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;
    fs::path name = fs::relative(it->path(), dir);
    name.replace_extension();
    out.push_back({name.generic_string(), it->path(), string_key(j, "dataset"),
                   string_key(j, "model"), string_key(j, "split")});
  }
  std::sort(out.begin(), out.end(),
            [](const Preset& a, const Preset& b) { return a.name < b.name; });
  return out;
}

std::string names_of(const std::vector<Preset>& presets) {
  std::string text;
  for (const Preset& p : presets) {
    if (!text.empty()) text += ", ";
    text += p.name;
  }
  return text.empty() ? std::string("none") : text;
}

}  // namespace

fs::path config_dir() {
  if (const char* env = std::getenv("MOEGNN_CONFIG_DIR"); env != nullptr && *env != '\0')
    return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "moegnn" / "configs";
    if (fs::is_directory(installed, ec)) return installed;
  }
  const fs::path source = kSourceConfigDir;
  MOEGNN_CHECK_AS(InvalidArgument, "--preset", fs::is_directory(source, ec),
                  "no folder of shipped configs: $MOEGNN_CONFIG_DIR is unset, ",
                  (exe.parent_path().parent_path() / "share/moegnn/configs").string(), " and ",
                  source.string(), " do not exist; set MOEGNN_CONFIG_DIR or use --config FILE");
  return source;
}

fs::path resolve_preset(const std::string& preset, const std::string& dataset,
                        const std::string& model, const std::optional<std::string>& split) {
  const fs::path dir = config_dir();
  const std::vector<Preset> all = presets_in(dir);
  if (preset != "paper") {
    for (const Preset& p : all)
      if (p.name == preset) return p.path;
    MOEGNN_CHECK_AS(InvalidArgument, "--preset", false, "no preset '", preset, "' in ",
                    dir.string(), " vs one of: ", names_of(all), "; or 'paper'");
  }
  const std::string name = datasets::canonical_dataset_name(dataset);
  std::vector<Preset> matches, for_model;
  for (const Preset& p : all) {
    if (p.model != model) continue;
    for_model.push_back(p);
    if (datasets::canonical_dataset_name(p.dataset) != name) continue;
    if (split && p.split != *split && !(p.split.empty() && *split == "public")) continue;
    matches.push_back(p);
  }
  MOEGNN_CHECK_AS(InvalidArgument, "--preset", !matches.empty(), "no shipped config for --model ",
                  model, " on --dataset ", dataset, split ? " with --split " + *split : "",
                  " in ", dir.string(), " vs the presets for --model ", model, ": ",
                  names_of(for_model), "; pass one by name or tune with --config");
  MOEGNN_CHECK_AS(InvalidArgument, "--preset", matches.size() == 1, "paper: ", matches.size(),
                  " configs for --model ", model, " on --dataset ", dataset, " (",
                  names_of(matches), ") vs one; add --split or pass one by name");
  return matches.front().path;
}

}  // namespace moegnn::apps
