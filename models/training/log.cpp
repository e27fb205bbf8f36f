// SPDX-License-Identifier: Apache-2.0
// JSON-lines training log, formatted with nlohmann-json (ordered keys: epoch, loss, metrics,
// seconds, lr, in the order a reader expects them).
#include "models/training/log.h"

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace moegnn::training {
namespace {

nlohmann::ordered_json number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

// Keeps the complete lines of `path` whose epoch is at most `last` (a torn or unparsable line, and
// every line after it, is dropped), rewriting the file through a temporary and a rename.
void keep_epochs_up_to(const std::filesystem::path& path, Index last) {
  if (!std::filesystem::exists(path)) return;
  std::ifstream in(path, std::ios::binary);
  MOEGNN_CHECK_AS(IoError, "JsonLinesLog", in.good(), "cannot read ", path.string(),
                  " vs a readable log to resume");
  std::string kept, line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no newline: a line torn by a crash
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("epoch") || !j["epoch"].is_number_integer()) break;
    if (j["epoch"].get<Index>() > last) break;
    kept += line + '\n';
  }
  in.close();
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kept;
    out.flush();
    MOEGNN_CHECK_AS(IoError, "JsonLinesLog", out.good(), "cannot write ", tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

JsonLinesLog::JsonLinesLog(const std::filesystem::path& path, Mode mode, Index resume_epoch)
    : path_(path) {
  if (mode == Mode::ResumeAfter) keep_epochs_up_to(path, resume_epoch);
  out_.open(path, mode == Mode::Truncate ? std::ios::trunc : std::ios::app);
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
