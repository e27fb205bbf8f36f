// SPDX-License-Identifier: Apache-2.0
// Terminal progress line.
#include "models/training/progress.h"

#include <algorithm>

#include <unistd.h>

#include "core/error.h"

namespace moegnn::training {
namespace {
constexpr Index kBarWidth = 24;
}  // namespace

ProgressBar::ProgressBar(Index total, std::ostream& out, bool enabled)
    : total_(total),
      out_(out),
      enabled_(enabled) {
  MOEGNN_CHECK_AS(InvalidArgument, "ProgressBar", total >= 1, "total is ", total, " vs >= 1");
}

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string ProgressBar::line(Index done, const std::string& status) const {
  const Index clamped = std::clamp<Index>(done, 0, total_);
  const Index filled = clamped * kBarWidth / total_;
  std::string text = "[";
  text.append(static_cast<std::size_t>(filled), '#');
  text.append(static_cast<std::size_t>(kBarWidth - filled), '.');
  text += "] " + std::to_string(clamped) + "/" + std::to_string(total_);
  if (!status.empty()) text += " " + status;
  return text;
}

void ProgressBar::update(Index done, const std::string& status) {
  if (!enabled_) return;
  const std::string text = line(done, status);
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
