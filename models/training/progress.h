// SPDX-License-Identifier: Apache-2.0
// ProgressBar: one self-overwriting status line ("\r[#####.....] 12/200 loss 0.4321 val_acc
// 0.8123") for interactive runs. It draws only when enabled; the trainer enables it when stderr is
// a terminal (isatty), so logs, CI output and redirected runs stay free of carriage returns.
#pragma once

#include <ostream>
#include <string>

#include "core/types.h"

namespace moegnn::training {

class ProgressBar {
 public:
  // total: the number of steps (epochs) at 100 %. Throws InvalidArgument for total < 1.
  ProgressBar(Index total, std::ostream& out, bool enabled);

  // Redraws the line for `done` of total steps with a free-form status after the counter.
  void update(Index done, const std::string& status);
  // Ends the line (one newline) when anything was drawn; later updates start a new line.
  void finish();

  bool enabled() const { return enabled_; }
  // The line update() draws, without the leading "\r" (for tests and logs).
  std::string line(Index done, const std::string& status) const;
  // Whether standard error is a terminal.
  static bool stderr_is_terminal();

 private:
  Index total_;
  std::ostream& out_;
  bool enabled_;
  bool drawn_ = false;
  std::size_t last_width_ = 0;  // to blank out a longer previous line
};

}  // namespace moegnn::training
