// SPDX-License-Identifier: Apache-2.0
// JSON-lines training log, formatted with nlohmann-json (ordered keys: epoch, loss, metrics,
// seconds, lr, in the order a reader expects them).
#include "models/training/log.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace moegnn::training {
namespace {

nlohmann::ordered_json number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

}  // namespace

JsonLinesLog::JsonLinesLog(const std::filesystem::path& path, Mode mode)
    : path_(path),
      out_(path, mode == Mode::Append ? std::ios::app : std::ios::trunc) {
  MOEGNN_CHECK_AS(IoError, "JsonLinesLog", out_.good(), "cannot open ", path.string(),
                  " for writing vs a writable path");
}

std::string JsonLinesLog::to_json(const LogRecord& record) {
  nlohmann::ordered_json line;
  line["epoch"] = record.epoch;
  line["loss"] = number(record.loss);
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const auto& [name, value] : record.metrics) metrics[name] = number(value);
  line["metrics"] = std::move(metrics);
  line["seconds"] = number(record.seconds);
  line["lr"] = number(record.lr);
  return line.dump();
}

void JsonLinesLog::write(const LogRecord& record) {
  out_ << to_json(record) << '\n';
  out_.flush();
  MOEGNN_CHECK_AS(IoError, "JsonLinesLog::write", out_.good(), "cannot write to ", path_.string());
}

}  // namespace moegnn::training
