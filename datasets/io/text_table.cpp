// SPDX-License-Identifier: Apache-2.0
// Line and field splitting with typed parsing for the small text tables of the datasets.
#include "datasets/io/text_table.h"

#include <charconv>
#include <cstdint>

#include "core/error.h"
#include "datasets/io/file.h"

namespace moegnn::datasets::io {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && (blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <typename T>
constexpr const char* type_name() {
  if constexpr (std::is_same_v<T, std::int32_t>)
    return "an int32";
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return "an int64";
  else if constexpr (std::is_same_v<T, float>)
    return "a float32";
  else
    return "a float64";
}

// The whole of `text` as T, or false.
template <typename T>
bool parse_number(std::string_view text, T& out) {
  text = trim(text);
  if (text.starts_with('+')) text.remove_prefix(1);
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::vector<std::string_view> split_fields(std::string_view line, std::string_view separator) {
  std::vector<std::string_view> out;
  if (separator.empty()) {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && blank(line[i])) ++i;
      const std::size_t start = i;
      while (i < line.size() && !blank(line[i])) ++i;
      if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t at = line.find(separator, start);
    out.push_back(
        line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + separator.size();
  }
}

std::string latin1_to_utf8(std::string_view latin1) {
  std::string out;
  out.reserve(latin1.size());
  for (const char ch : latin1) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

bool TextLines::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  const std::size_t nl = text_.find('\n', pos_);
  const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
  line = text_.substr(pos_, end - pos_);
  if (line.ends_with('\r')) line.remove_suffix(1);
  pos_ = end + 1;
  ++line_;
  return true;
}

TextFields::TextFields(std::string_view line, std::string_view separator, std::string_view source,
                       Index line_number)
    : fields_(split_fields(line, separator)),
      source_(source),
      line_(line_number) {}

template <typename... Parts>
void TextFields::fail(std::size_t column, const Parts&... parts) const {
  MOEGNN_FAIL(IoError, "TextFields", source_, ": line ", line_, ", column ", column + 1, ": ",
              parts...);
}

std::string_view TextFields::operator[](std::size_t column) const {
  if (column >= fields_.size())
    fail(column, "line has ", fields_.size(), " fields vs at least ", column + 1);
  return fields_[column];
}

void TextFields::expect_size(std::size_t n) const {
  if (fields_.size() != n)
    fail(std::min(n, fields_.size()), "line has ", fields_.size(), " fields vs ", n);
}

template <typename T>
T TextFields::get(std::size_t column) const {
  T value{};
  const std::string_view text = (*this)[column];
  if (!parse_number(text, value))
    fail(column, "'", text.substr(0, 40), "' is not ", type_name<T>());
  return value;
}

template <typename T>
std::vector<T> TextFields::get_list(std::size_t column, char separator) const {
  const std::string_view text = (*this)[column];
  std::vector<T> out;
  if (trim(text).empty()) return out;
  out.reserve(text.size() / 2 + 1);
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(separator, start);
    const std::string_view item =
        text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    T value{};
    if (!parse_number(item, value))
      fail(column, "item ", out.size() + 1, " '", item.substr(0, 40), "' is not ", type_name<T>());
    out.push_back(value);
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

template std::int32_t TextFields::get<std::int32_t>(std::size_t) const;
template std::int64_t TextFields::get<std::int64_t>(std::size_t) const;
template float TextFields::get<float>(std::size_t) const;
template double TextFields::get<double>(std::size_t) const;
template std::vector<std::int32_t> TextFields::get_list<std::int32_t>(std::size_t, char) const;
template std::vector<std::int64_t> TextFields::get_list<std::int64_t>(std::size_t, char) const;
template std::vector<float> TextFields::get_list<float>(std::size_t, char) const;
template std::vector<double> TextFields::get_list<double>(std::size_t, char) const;

Int64Table parse_int_table(std::string_view text, const std::string& source,
                           const TableOptions& options) {
  Int64Table table;
  table.cols = options.num_cols;
  TextLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    if (lines.line_number() <= options.skip_lines || trim(line).empty()) continue;
    const TextFields fields(line, options.separator, source, lines.line_number());
    if (table.cols == 0) table.cols = static_cast<Index>(fields.size());
    fields.expect_size(static_cast<std::size_t>(table.cols));
    for (std::size_t c = 0; c < fields.size(); ++c)
      table.values.push_back(fields.get<std::int64_t>(c));
    ++table.rows;
  }
  return table;
}

Int64Table read_int_table(const std::filesystem::path& path, const TableOptions& options) {
  return parse_int_table(read_maybe_gzip(path), path.string(), options);
}

}  // namespace moegnn::datasets::io
