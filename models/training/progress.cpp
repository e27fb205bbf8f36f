// SPDX-License-Identifier: Apache-2.0
// Terminal progress line.
#include "models/training/progress.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.h"

namespace moegnn::training {
namespace {
constexpr Index kBarWidth = 24;

// "mm:ss", or "h:mm:ss" from an hour on.
std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(std::max(0.0, seconds) + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

}  // namespace

ProgressBar::ProgressBar(Index total, std::ostream& out, bool enabled, Index start,
                         std::string label)
    : total_(total),
      out_(out),
      enabled_(enabled),
      start_(start),
      label_(std::move(label)) {
  MOEGNN_CHECK_AS(InvalidArgument, "ProgressBar", total >= 1, "total is ", total, " vs >= 1");
}

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string ProgressBar::line(Index done, const std::string& status, double elapsed) const {
  const Index clamped = std::clamp<Index>(done, 0, total_);
  const Index filled = clamped * kBarWidth / total_;
  std::string text = label_;
  if (!text.empty()) text += ' ';
  text += '[';
  text.append(static_cast<std::size_t>(filled), '#');
  text.append(static_cast<std::size_t>(kBarWidth - filled), '.');
  text += "] " + std::to_string(clamped) + "/" + std::to_string(total_);
  if (!status.empty()) text += " " + status;
  if (elapsed >= 0.0) {  // elapsed<left, the rate from the steps done in this process
    const Index steps = clamped - start_;
    text += "  ";
    text += clock_text(elapsed);
    text += '<';
    text += steps > 0 ? clock_text(elapsed / static_cast<double>(steps) *
                                   static_cast<double>(total_ - clamped))
                      : std::string("?");
  }
  return text;
}

void ProgressBar::update(Index done, const std::string& status) {
  if (!enabled_) return;
  const std::string text =
      line(done, status,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  out_ << '\r' << text;
  if (text.size() < last_width_) out_ << std::string(last_width_ - text.size(), ' ');
  out_.flush();
  last_width_ = text.size();
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  out_ << '\n';
  out_.flush();
  drawn_ = false;
  last_width_ = 0;
}

}  // namespace moegnn::training
