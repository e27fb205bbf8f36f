// SPDX-License-Identifier: Apache-2.0
// Helpers for the plain-text tables datasets ship: GroupLens MovieLens (u.data tab-separated,
// u.item `|`-separated Latin-1, ml-1m `::`-separated), Geom-GCN out1_graph_edges.txt (header, then
// `src<TAB>dst`) and out1_node_feature_label.txt (header, then `id<TAB>f1,f2,...<TAB>label`).
// TextLines walks the lines of a text, TextFields splits one line at a separator string and parses
// typed fields with errors that name the file, line and column; read_int_table reads a whole
// all-integer table. Messages number lines and columns from 1.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "datasets/io/int64_table.h"

namespace moegnn::datasets::io {

// Splits `line` at every occurrence of `separator`; an empty separator splits at runs of spaces and
// tabs and drops leading and trailing blanks. Returns views into `line`.
std::vector<std::string_view> split_fields(std::string_view line, std::string_view separator);

// Latin-1 (ISO-8859-1) bytes as UTF-8 (u.item titles, for example).
std::string latin1_to_utf8(std::string_view latin1);

class TextLines {
 public:
  explicit TextLines(std::string_view text) : text_(text) {}
  // The next line without its "\n" or "\r\n"; false after the last one. A final line without a
  // newline counts; the empty string after a final newline does not.
  bool next(std::string_view& line);
  Index line_number() const { return line_; }  // of the line last returned

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  Index line_ = 0;
};

class TextFields {
 public:
  // Splits `line` (see split_fields); `source` and `line_number` are for messages. Keeps views of
  // `line` and `source`: both must outlive the object (not a temporary path.string()).
  TextFields(std::string_view line, std::string_view separator, std::string_view source,
             Index line_number);

  std::size_t size() const { return fields_.size(); }
  // Field `column` (0-based) as text. Throws IoError when the line has no such field.
  std::string_view operator[](std::size_t column) const;
  // Throws IoError unless the line has exactly `n` fields.
  void expect_size(std::size_t n) const;
  // Field `column` parsed as T (std::int32_t, std::int64_t, float or double; a leading '+' and
  // surrounding blanks are allowed). Throws IoError naming file, line and column otherwise.
  template <typename T>
  T get(std::size_t column) const;
  // Field `column` as a list of T separated by `separator` (Geom-GCN features "0,1,0,..."); an
  // empty field is an empty list. Throws IoError naming the item that does not parse.
  template <typename T>
  std::vector<T> get_list(std::size_t column, char separator) const;

 private:
  template <typename... Parts>
  [[noreturn]] void fail(std::size_t column, const Parts&... parts) const;
  std::vector<std::string_view> fields_;
  std::string_view source_;
  Index line_ = 0;
};

struct TableOptions {
  std::string separator = "\t";  // "" = runs of blanks
  Index skip_lines = 0;          // header lines to skip
  Index num_cols = 0;            // expected fields per line; 0: from the first data line
};

// A table of integers from text held in memory (blank lines are skipped). Throws IoError naming
// file, line and column for a non-integer field or a wrong field count.
Int64Table parse_int_table(std::string_view text, const std::string& source,
                           const TableOptions& options = {});
// Reads `path` (gunzipped when it carries the gzip magic), see parse_int_table.
Int64Table read_int_table(const std::filesystem::path& path, const TableOptions& options = {});

}  // namespace moegnn::datasets::io
