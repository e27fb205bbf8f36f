// SPDX-License-Identifier: Apache-2.0
// JsonLinesLog: a training log with one JSON object per line and epoch,
//   {"epoch":3,"loss":0.512,"metrics":{"train_acc":0.9,"val_acc":0.8},"seconds":0.0123,"lr":0.01}
// so `jq`, pandas.read_json(lines=True) and plotting scripts read it directly. Each line is flushed
// when written: a crashed run keeps every finished epoch. A run resumed from its checkpoint at
// epoch e first cuts the log back to epochs 1..e (Mode::ResumeAfter), dropping the lines a crash
// left between the checkpoint and the kill and a torn last line, then appends: every epoch is in
// the log exactly once. Non-finite numbers are written as null (JSON has no NaN).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"

namespace moegnn::training {

struct LogRecord {
  Index epoch = 0;
  double loss = 0.0;                                    // mean training loss of the epoch
  std::vector<std::pair<std::string, double>> metrics;  // written in this order
  double seconds = 0.0;
  double lr = 0.0;
};

class JsonLinesLog {
 public:
  enum class Mode { Truncate, Append, ResumeAfter };

  // Opens (creating) `path`. ResumeAfter keeps only the complete lines of epochs 1..resume_epoch
  // (rewritten atomically: temporary file, then rename) and appends after them. Throws IoError
  // when it cannot be read or opened for writing.
  explicit JsonLinesLog(const std::filesystem::path& path, Mode mode = Mode::Truncate,
                        Index resume_epoch = 0);

  // Appends one line and flushes. Throws IoError when the write fails.
  void write(const LogRecord& record);

  // The line write() emits, without the newline.
  static std::string to_json(const LogRecord& record);

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
};

}  // namespace moegnn::training
