// SPDX-License-Identifier: Apache-2.0
// Grid and random search over the flags of moegnn-node-classification (search.h).
#include "apps/node_classification/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "apps/node_classification/run.h"
#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"

namespace moegnn::apps {
namespace {

using Json = nlohmann::json;
using Point = std::vector<std::pair<std::string, Json>>;  // flag name (no dashes) -> value

constexpr std::size_t kMaxGrid = 10000;

Json read_space(const std::filesystem::path& path) {
  std::ifstream in(path);
  MOEGNN_CHECK_AS(InvalidArgument, "--search-space", in.good(), "cannot read '", path.string(),
                  "' vs a JSON file {\"flag\": [values] or {\"min\": a, \"max\": b}}");
  Json space = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  MOEGNN_CHECK_AS(InvalidArgument, "--search-space", space.is_object() && !space.empty(),
                  path.string(), ": a JSON ", space.type_name(),
                  " vs a non-empty object {\"flag\": [values] or {\"min\": a, \"max\": b}}");
  return space;
}

// The values of a key for a grid: its list. Throws naming the key for a range or an empty list.
const Json& grid_values(const std::string& key, const Json& v) {
  MOEGNN_CHECK_AS(InvalidArgument, "--search-space", v.is_array() && !v.empty(), "key '", key,
                  "' holds ", v.dump(), " vs a non-empty list of values for --search grid");
  return v;
}

std::vector<Point> grid_points(const Json& space) {
  std::vector<Point> points{Point{}};
  for (const auto& [key, v] : space.items()) {
    const Json& values = grid_values(key, v);
    MOEGNN_CHECK_AS(InvalidArgument, "--search", points.size() * values.size() <= kMaxGrid,
                    "the grid has more than ", kMaxGrid,
                    " points vs at most that many; use --search random with --search-trials");
    std::vector<Point> next;
    for (const Point& p : points)
      for (const Json& value : values) {
        Point q = p;
        q.emplace_back(key, value);
        next.push_back(std::move(q));
      }
    points = std::move(next);
  }
  return points;
}

// One draw of `key`: a list entry, or a value of a {"min", "max", "log", "int"} range.
Json draw(const std::string& key, const Json& v, Rng& rng) {
  if (v.is_array()) {
    grid_values(key, v);
    return v[static_cast<std::size_t>(rng.next_u64() % v.size())];
  }
  MOEGNN_CHECK_AS(InvalidArgument, "--search-space",
                  v.is_object() && v.contains("min") && v.contains("max") &&
                      v["min"].is_number() && v["max"].is_number(),
                  "key '", key, "' holds ", v.dump(), " vs a list or {\"min\": a, \"max\": b}");
  const double lo = v["min"].get<double>(), hi = v["max"].get<double>();
  const bool log = v.value("log", false), integer = v.value("int", false);
  MOEGNN_CHECK_AS(InvalidArgument, "--search-space", lo <= hi && (!log || lo > 0.0), "key '", key,
                  "': range [", lo, ", ", hi, "]", log ? " on a log scale" : "",
                  " vs min <= max", log ? " and min > 0" : "");
  const double u = static_cast<double>(rng.uniform());
  const double x = log ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo)))
                       : lo + u * (hi - lo);
  return integer ? Json(static_cast<long long>(std::llround(x))) : Json(x);
}

std::vector<Point> random_points(const Json& space, int trials, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Point> points(static_cast<std::size_t>(trials));
  for (Point& p : points)
    for (const auto& [key, v] : space.items()) p.emplace_back(key, draw(key, v, rng));
  return points;
}

// The flags that set `key` to `value`: "--key value", or for booleans "--key=true" / "--key=false"
// (every boolean flag takes an explicit value; only some have a "--no-" form).
std::vector<std::string> flags_of(const std::string& key, const Json& value) {
  if (value.is_boolean()) {
    std::string flag = "--";
    flag += key;
    flag += value.get<bool>() ? "=true" : "=false";
    return {flag};
  }
  return {"--" + key, value.is_string() ? value.get<std::string>() : value.dump()};
}

std::string describe(const Point& p) {
  std::string text;
  for (const auto& [key, value] : p) {
    if (!text.empty()) text += ", ";
    text += key;
    text += '=';
    text += value.is_string() ? value.get<std::string>() : value.dump();
  }
  return text;
}

// The command line without the search's own flags and the per-run outputs.
std::vector<std::string> base_args(const std::vector<std::string>& args, const Json& space) {
  static const std::vector<std::string> dropped_with_value{"--search", "--search-space",
                                                           "--search-trials", "--out", "--save",
                                                           "--log"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const std::string name = a.substr(0, a.find('='));
    if (std::find(dropped_with_value.begin(), dropped_with_value.end(), name) !=
        dropped_with_value.end()) {
      if (a.find('=') == std::string::npos) ++i;  // and its value
      continue;
    }
    if (a == "--resume" || a == "--override") continue;
    for (const auto& [key, v] : space.items())
      MOEGNN_CHECK_AS(InvalidArgument, "--search-space", name != "--" + key && name != "--no-" + key,
                      "--", key, " is searched and also given on the command line vs one of "
                      "them; remove it from the command line or from the space");
    out.push_back(a);
  }
  out.emplace_back("--quiet");
  return out;
}

// A point's options and the parser they were read with: the options refer to the parser's flags
// (which model options were given), so both live as long as the search.
struct Parsed {
  CLI::App app;
  AppOptions options;
};

std::unique_ptr<Parsed> parse_point(const std::vector<std::string>& base, const Point& point) {
  std::vector<std::string> args = base;
  for (const auto& [key, value] : point)
    for (std::string& f : flags_of(key, value)) args.push_back(std::move(f));
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  auto parsed = std::make_unique<Parsed>();
  add_flags(parsed->app, parsed->options);
  try {
    parsed->app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    MOEGNN_FAIL(InvalidArgument, "--search-space", "point {", describe(point), "}: ", e.what(),
                " vs flags the program accepts");
  }
  return parsed;
}

struct Scored {
  Point point;
  training::MeanStd val, test;
  double seconds = 0.0;
};

}  // namespace

void run_search(const std::vector<std::string>& args, const AppOptions& o, std::ostream& out,
                std::ostream& err) {
  MOEGNN_CHECK_AS(InvalidArgument, "--search", !o.search_space.empty(),
                  "no --search-space vs a JSON file of the flags to search");
  const Json space = read_space(o.search_space);
  const std::vector<std::string> base = base_args(args, space);
  const std::vector<Point> points =
      o.search == "grid" ? grid_points(space) : random_points(space, o.search_trials, o.seed);
  // Parse every point first, so a bad value fails before any training.
  std::vector<std::unique_ptr<Parsed>> parsed;
  for (const Point& p : points) parsed.push_back(parse_point(base, p));
  if (!o.quiet)
    err << "search: " << points.size() << " points × " << o.runs << " runs on " << o.dataset
        << ", " << num_threads() << " threads\n";
  std::vector<Scored> scored(points.size());
  parallel_for(
      0, static_cast<Index>(points.size()),
      [&](Index i) {
        const auto start = std::chrono::steady_clock::now();
        std::ostringstream quiet;
        const Experiment e = run_experiment(parsed[static_cast<std::size_t>(i)]->options, quiet);
        Scored& s = scored[static_cast<std::size_t>(i)];
        s.point = points[static_cast<std::size_t>(i)];
        s.val = e.summary.val_metric;
        s.test = e.summary.test_metric;
        s.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      },
      /*grain=*/1);
  std::size_t best = 0;
  for (std::size_t i = 1; i < scored.size(); ++i)
    if (scored[i].val.mean > scored[best].val.mean) best = i;
  // The table, best validation first.
  std::vector<std::size_t> order(scored.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return scored[a].val.mean > scored[b].val.mean;
  });
  out << "search   " << o.search << " over " << points.size() << " points, " << o.runs
      << " runs each, scored by mean validation " << "metric\n\n   val (mean ± std)  seconds  point\n";
  for (const std::size_t i : order)
    out << training::format_mean_std(scored[i].val) << "  " << static_cast<long long>(scored[i].seconds)
        << "  " << describe(scored[i].point) << (i == best ? "  <- chosen" : "") << "\n";
  out << "\nchosen   " << describe(scored[best].point) << "\nval      "
      << training::format_mean_std(scored[best].val) << " %\ntest     "
      << training::format_mean_std(scored[best].test) << " %  (of the chosen point; chooses nothing)\n";
  if (!o.out.empty()) {
    Json rows = Json::array();
    for (const Scored& s : scored) {
      Json point = Json::object();
      for (const auto& [key, value] : s.point) point[key] = value;
      rows.push_back({{"point", point},
                      {"val", {{"mean", s.val.mean}, {"std", s.val.std}, {"runs", s.val.count}}},
                      {"test", {{"mean", s.test.mean}, {"std", s.test.std}, {"runs", s.test.count}}},
                      {"seconds", s.seconds}});
    }
    const Json json{{"search", o.search},
                    {"space", space},
                    {"options", options_json(o)},
                    {"chosen", rows[best]},
                    {"points", rows}};
    write_json(o.out, json);
  }
}

}  // namespace moegnn::apps
