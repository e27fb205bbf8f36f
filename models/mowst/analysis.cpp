// SPDX-License-Identifier: Apache-2.0
// Mowst analysis: routing statistics and the SVG / CSV writers.
#include "models/mowst/analysis.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "models/mowst/inference.h"

namespace moegnn::mowst {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(Index a, Index b) {
  return b == 0 ? kNaN : static_cast<double>(a) / static_cast<double>(b);
}

// Polyline points of ys over x in [0, n) mapped into the box (x0, y0, w, h) with range [lo, hi].
std::string polyline(const std::vector<double>& ys, double lo, double hi, double x0, double y0,
                     double w, double h, const char* colour) {
  std::ostringstream s;
  s << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
  const double n = std::max<double>(1.0, static_cast<double>(ys.size()) - 1.0);
  const double span = hi > lo ? hi - lo : 1.0;
  for (std::size_t i = 0; i < ys.size(); ++i) {
    if (!std::isfinite(ys[i])) continue;
    s << x0 + w * static_cast<double>(i) / n << ',' << y0 + h - h * (ys[i] - lo) / span << ' ';
  }
  s << "\"/>\n";
  return s.str();
}

std::string text(double x, double y, const std::string& t, const char* anchor = "start") {
  std::ostringstream s;
  s << "<text x=\"" << x << "\" y=\"" << y << "\" font-size=\"11\" font-family=\"sans-serif\""
    << " text-anchor=\"" << anchor << "\">" << t << "</text>\n";
  return s.str();
}

std::string escape(const std::string& in) {
  std::string out;
  for (const char ch : in) {
    if (ch == '<')
      out += "&lt;";
    else if (ch == '>')
      out += "&gt;";
    else if (ch == '&')
      out += "&amp;";
    else
      out += ch;
  }
  return out;
}

}  // namespace

MowstAnalysis analyse(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                      const IndexArray32& labels, const IndexArray32& rows, Variant variant,
                      std::uint64_t key) {
  MOEGNN_CHECK_AS(InvalidArgument, "analyse", labels.size() == x.rows(), "labels has ",
                  labels.size(), " entries vs ", x.rows(), " nodes");
  MowstAnalysis a;
  const Tensor z1 = eval_logits(model.weak(), graphs.weak, x);
  const Tensor z2 = eval_logits(model.strong(), graphs.strong, x);
  a.confidence = eval_confidence(model, z1, x);
  const auto c = a.confidence.host();
  if (variant == Variant::Mowst) {
    a.to_weak = draw_routing(a.confidence, key);
  } else {
    a.to_weak.resize(static_cast<std::size_t>(x.rows()));
    for (Index v = 0; v < x.rows(); ++v) a.to_weak[static_cast<std::size_t>(v)] = c(v, 0) >= 0.5f;
  }
  const IndexArray32 p1 = ops::argmax_rows(z1);
  const IndexArray32 p2 = ops::argmax_rows(z2);
  Index weak_right = 0, strong_right = 0, weak_alone = 0, strong_alone = 0;
  double c_sum = 0.0;
  for (const auto v : rows.host()) {
    MOEGNN_CHECK_AS(InvalidArgument, "analyse", v >= 0 && v < x.rows(), "row ", v, " vs [0, ",
                    x.rows(), ")");
    const bool w1 = p1[v] == labels[v];
    const bool w2 = p2[v] == labels[v];
    weak_alone += w1;
    strong_alone += w2;
    c_sum += c(v, 0);
    if (a.to_weak[static_cast<std::size_t>(v)]) {
      ++a.weak_count;
      weak_right += w1;
    } else {
      ++a.strong_count;
      strong_right += w2;
    }
  }
  const Index n = rows.size();
  a.fraction_weak = ratio(a.weak_count, n);
  a.expected_fraction_weak = n == 0 ? kNaN : c_sum / static_cast<double>(n);
  a.weak_accuracy = ratio(weak_right, a.weak_count);
  a.strong_accuracy = ratio(strong_right, a.strong_count);
  a.weak_alone_accuracy = ratio(weak_alone, n);
  a.strong_alone_accuracy = ratio(strong_alone, n);
  return a;
}

std::string analysis_svg(const MowstAnalysis& analysis, const IndexArray32& rows,
                         const std::vector<CurvePoint>& curve, const std::string& title,
                         Index bins) {
  MOEGNN_CHECK_AS(InvalidArgument, "analysis_svg", bins >= 1, "bins is ", bins, " vs >= 1");
  const auto c = analysis.confidence.host();
  std::vector<Index> counts(static_cast<std::size_t>(bins), 0);
  for (const auto v : rows.host()) {
    const auto b =
        std::clamp<Index>(static_cast<Index>(c(v, 0) * static_cast<float>(bins)), 0, bins - 1);
    ++counts[static_cast<std::size_t>(b)];
  }
  const Index peak = std::max<Index>(1, *std::max_element(counts.begin(), counts.end()));
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"360\">\n"
    << "<rect width=\"900\" height=\"360\" fill=\"white\"/>\n"
    << text(450, 18, escape(title), "middle");
  // Panel 1: histogram of C in a 380 × 260 box at (50, 50).
  const double bw = 380.0 / static_cast<double>(bins);
  for (Index b = 0; b < bins; ++b) {
    const double h = 260.0 * static_cast<double>(counts[static_cast<std::size_t>(b)]) /
                     static_cast<double>(peak);
    s << "<rect x=\"" << 50 + bw * static_cast<double>(b) << "\" y=\"" << 310 - h << "\" width=\""
      << bw - 1 << "\" height=\"" << h << "\" fill=\"#4477aa\"/>\n";
  }
  s << "<rect x=\"50\" y=\"50\" width=\"380\" height=\"260\" fill=\"none\" stroke=\"black\"/>\n"
    << text(50, 326, "0") << text(430, 326, "1", "end")
    << text(240, 326, "confidence C (weak expert)", "middle") << text(52, 46, "max count ")
    << text(110, 46, std::to_string(peak));
  // Panel 2: curves in a 380 × 260 box at (490, 50): validation metric (blue, [0, 1]) and
  // training loss (red, scaled to its own range).
  std::vector<double> val, loss;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& p : curve) {
    val.push_back(p.val_metric);
    loss.push_back(p.loss);
    if (std::isfinite(p.loss)) lo = std::min(lo, p.loss), hi = std::max(hi, p.loss);
  }
  const double n = std::max<double>(1.0, static_cast<double>(curve.size()) - 1.0);
  for (std::size_t i = 0; i < curve.size(); ++i) {  // shade the strong-expert turns
    if (curve[i].phase != Phase::StrongTurn && curve[i].phase != Phase::PretrainStrong) continue;
    s << "<rect x=\"" << 490 + 380 * static_cast<double>(i) / n << "\" y=\"50\" width=\""
      << std::max(1.0, 380.0 / n) << "\" height=\"260\" fill=\"#eeeeee\"/>\n";
  }
  if (!curve.empty()) {
    s << polyline(val, 0.0, 1.0, 490, 50, 380, 260, "#4477aa");
    if (std::isfinite(lo)) s << polyline(loss, lo, hi, 490, 50, 380, 260, "#cc3311");
  }
  s << "<rect x=\"490\" y=\"50\" width=\"380\" height=\"260\" fill=\"none\" stroke=\"black\"/>\n"
    << text(680, 326, "epoch (grey: strong-expert epochs)", "middle")
    << text(492, 46, "blue: validation score [0, 1]; red: training loss") << "</svg>\n";
  return s.str();
}

std::string confidence_csv(const MowstAnalysis& analysis) {
  std::ostringstream s;
  s << "node,confidence,routed\n";
  const auto c = analysis.confidence.host();
  for (Index v = 0; v < analysis.confidence.rows(); ++v)
    s << v << ',' << c(v, 0) << ','
      << (analysis.to_weak[static_cast<std::size_t>(v)] ? "weak" : "strong") << '\n';
  return s.str();
}

void write_text_atomic(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    MOEGNN_CHECK_AS(IoError, "write_text_atomic", out.good(), "cannot open ", tmp.string(),
                    " for writing");
    out << content;
    out.flush();
    MOEGNN_CHECK_AS(IoError, "write_text_atomic", out.good(), "cannot write ", tmp.string());
  }
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  MOEGNN_CHECK_AS(IoError, "write_text_atomic", !error, "cannot rename ", tmp.string(), " to ",
                  path.string(), ": ", error.message());
}

}  // namespace moegnn::mowst
