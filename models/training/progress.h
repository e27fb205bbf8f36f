// SPDX-License-Identifier: Apache-2.0
// ProgressBar: one self-overwriting status line ("\rrun 2/10 [#####.....] 12/200 loss 0.4321
// val_acc 0.8123  00:03<00:47": an optional label, the steps, the status, the elapsed time and the
// estimated time left) for interactive runs. It draws only when enabled; the trainer enables it when stderr is
// a terminal (isatty), so logs, CI output and redirected runs stay free of carriage returns.
#pragma once

#include <ostream>
#include <chrono>
#include <string>

#include "core/types.h"

namespace moegnn::training {

class ProgressBar {
 public:
  // total: the number of steps (epochs) at 100 %; start: the steps already done when the bar is
  // made (a resumed run), which the time estimate leaves out; label: printed first ("run 2/10").
  // Throws InvalidArgument for total < 1.
  ProgressBar(Index total, std::ostream& out, bool enabled, Index start = 0,
              std::string label = {});

  // Redraws the line for `done` of total steps with a free-form status after the counter.
  void update(Index done, const std::string& status);
  // Ends the line (one newline) when anything was drawn; later updates start a new line.
  void finish();

  bool enabled() const { return enabled_; }
  // The line update() draws, without the leading "\r" (for tests and logs), `elapsed` seconds
  // after the bar was made (negative: no times shown).
  std::string line(Index done, const std::string& status, double elapsed = -1.0) const;
  // Whether standard error is a terminal.
  static bool stderr_is_terminal();

 private:
  Index total_;
  std::ostream& out_;
  bool enabled_;
  Index start_;
  std::string label_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool drawn_ = false;
  std::size_t last_width_ = 0;  // to blank out a longer previous line
};

}  // namespace moegnn::training
