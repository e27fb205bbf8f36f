// SPDX-License-Identifier: Apache-2.0
// Block-streaming CSV parsing: zlib's gzread supplies text (it passes plain files through), each
// block ending at a newline is cut into ~512 KiB pieces at newlines, pieces are parsed in parallel
// into their own vectors, and the vectors are appended in order. The first error in file order is
// reported, so errors are deterministic too.
#include "datasets/io/csv.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstring>
#include <memory>
#include <vector>

#include <zlib.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/io/file.h"

namespace moegnn::datasets::io {
namespace {

constexpr std::size_t kPieceBytes = std::size_t{512} << 10;

struct FieldError {
  Index line = -1;   // line within the piece, 0-based; -1 = no error
  Index column = 0;  // 1-based
  std::string message;
};

template <typename T>
struct Piece {
  std::vector<T> values;
  Index lines = 0;
  FieldError error;
};

template <typename T>
constexpr const char* type_name() {
  return std::is_same_v<T, float> ? "a float32" : "an int64";
}

// The text of the field starting at p (at most 40 characters), for messages.
std::string_view field_at(const char* p, const char* end) {
  const char* stop = p;
  while (stop < end && stop - p < 40 && *stop != '\n' && *stop != '\r') ++stop;
  return {p, static_cast<std::size_t>(stop - p)};
}

template <typename T, typename... Parts>
void record(Piece<T>& piece, Index column, const Parts&... parts) {
  piece.error = {piece.lines, column, ::moegnn::detail::concat(parts...)};
}

// Parses whole lines of `cols` fields; stops at the first error.
template <typename T>
void parse_piece(std::string_view text, char delim, Index cols, Piece<T>& piece) {
  const char* p = text.data();
  const char* end = p + text.size();
  piece.values.reserve(text.size() / 4);
  auto line_end = [&](const char* q) { return q == end || *q == '\n' || *q == '\r'; };
  while (p < end) {
    for (Index c = 0; c < cols; ++c) {
      T v{};
      const auto [ptr, ec] = std::from_chars(p, end, v);
      if (ec == std::errc::result_out_of_range)
        return record(piece, c + 1, "'", field_at(p, end), "' is out of range for ",
                      type_name<T>());
      if (ec != std::errc() && (line_end(p) || *p == delim))
        return record(piece, c + 1, "empty field vs ", type_name<T>());
      if (ec != std::errc())
        return record(piece, c + 1, "'", field_at(p, end), "' is not ", type_name<T>());
      piece.values.push_back(v);
      p = ptr;
      if (c + 1 == cols) break;
      if (line_end(p)) return record(piece, c + 1, "line has ", c + 1, " fields vs ", cols);
      if (*p != delim)
        return record(piece, c + 1, "unexpected text '", field_at(p, end), "' after the number");
      ++p;
    }
    if (p < end && *p == '\r') ++p;
    if (p < end && *p == delim)
      return record(piece, cols + 1, "line has more than ", cols, " fields");
    if (p < end && *p != '\n')
      return record(piece, cols, "unexpected text '", field_at(p, end), "' after the number");
    if (p < end) ++p;
    ++piece.lines;
  }
}

template <typename T>
class CsvParser {
 public:
  CsvParser(std::string source, const CsvOptions& options)
      : source_(std::move(source)),
        options_(options) {
    MOEGNN_CHECK_AS(InvalidArgument, "read_csv",
                    options.num_cols >= 0 && options.delimiter != '\n' && options.delimiter != '\r',
                    "bad options: num_cols ", options.num_cols, ", delimiter code ",
                    int(options.delimiter));
    cols_ = options.num_cols;
    skip_header_ = options.header;
  }

  // `text` holds whole lines (the last block may lack its final newline).
  void feed(std::string_view text) {
    if (skip_header_ && !text.empty()) {
      const std::size_t nl = text.find('\n');
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      skip_header_ = false;
      ++line_;
    }
    if (text.empty()) return;
    if (cols_ == 0) {
      const std::string_view first = text.substr(0, text.find('\n'));
      cols_ = static_cast<Index>(std::count(first.begin(), first.end(), options_.delimiter)) + 1;
    }
    parse_block(text);
  }

  Index rows() const { return rows_; }
  Index cols() const { return cols_; }
  std::vector<T>& values() { return values_; }

 private:
  void parse_block(std::string_view text) {
    // 1. Piece boundaries right after a newline near each multiple of kPieceBytes.
    std::vector<std::size_t> cuts{0};
    while (text.size() - cuts.back() > kPieceBytes) {
      const std::size_t nl = text.find('\n', cuts.back() + kPieceBytes);
      if (nl == std::string_view::npos) break;
      cuts.push_back(nl + 1);
    }
    if (cuts.back() != text.size()) cuts.push_back(text.size());
    // 2. Parse pieces in parallel; each writes only its own Piece.
    std::vector<Piece<T>> pieces(cuts.size() - 1);
    parallel_for(
        0, static_cast<Index>(pieces.size()),
        [&](Index i) {
          const auto k = static_cast<std::size_t>(i);
          parse_piece(text.substr(cuts[k], cuts[k + 1] - cuts[k]), options_.delimiter, cols_,
                      pieces[k]);
        },
        1);
    // 3. The first error in file order, then append in order.
    Index line = line_;
    for (const Piece<T>& piece : pieces) {
      if (piece.error.line >= 0)
        MOEGNN_FAIL(IoError, "read_csv", source_, ": line ", line + piece.error.line + 1,
                    ", column ", piece.error.column, ": ", piece.error.message);
      line += piece.lines;
    }
    std::size_t total = values_.size();
    for (const Piece<T>& piece : pieces) total += piece.values.size();
    values_.reserve(total);
    for (Piece<T>& piece : pieces) {
      values_.insert(values_.end(), piece.values.begin(), piece.values.end());
      rows_ += piece.lines;
    }
    line_ = line;
  }

  std::string source_;
  CsvOptions options_;
  Index cols_ = 0;
  bool skip_header_ = false;
  Index line_ = 0;  // lines consumed so far
  Index rows_ = 0;
  std::vector<T> values_;
};

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose_r(f); }
};

void check_gz(gzFile f, const std::string& source) {
  int err = Z_OK;
  const char* message = gzerror(f, &err);
  if (err == Z_BUF_ERROR)
    MOEGNN_FAIL(IoError, "read_csv", source,
                ": unexpected end of the gzip data; the file is truncated");
  if (err != Z_OK) MOEGNN_FAIL(IoError, "read_csv", source, ": read failed: ", message);
}

// Reads blocks of up to `block_bytes` (the buffer starts at 64 KiB and grows while reads fill it,
// so small files stay cheap), handing the parser whole lines and carrying a partial last line over.
template <typename T>
void stream(const std::filesystem::path& path, CsvParser<T>& parser, std::size_t block_bytes,
            std::size_t max_bytes) {
  const std::string source = path.string();
  require_regular_file(path, "read_csv");
  std::error_code ec;
  const std::size_t on_disk = static_cast<std::size_t>(std::filesystem::file_size(path, ec));
  // A plain file yields its own size; gzip data may inflate up to the limit.
  const std::size_t limit =
      std::max(on_disk, max_bytes != 0 ? max_bytes : default_inflate_limit(on_disk));
  std::size_t total = 0;
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(source.c_str(), "rb"));
  if (!file) MOEGNN_FAIL(IoError, "read_csv", source, ": cannot open the file");
  gzbuffer(file.get(), 1u << 20);
  const std::size_t block = std::clamp<std::size_t>(block_bytes, 1, INT_MAX / 2);
  std::size_t capacity = std::min<std::size_t>(block, 64u << 10);
  auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
  std::size_t carry = 0;  // bytes of an unfinished line kept from the previous read
  bool filled_last = false;
  while (true) {
    if (carry == capacity || (filled_last && capacity < block)) {  // grow: long line or big file
      if (capacity >= INT_MAX / 2)
        MOEGNN_FAIL(IoError, "read_csv", source, ": a line is longer than 1 GiB");
      const std::size_t grown =
          std::max(std::min(capacity * 4, block), carry == capacity ? capacity * 2 : 0);
      auto bigger = std::make_unique_for_overwrite<char[]>(grown);
      std::memcpy(bigger.get(), buffer.get(), carry);
      buffer = std::move(bigger);
      capacity = grown;
    }
    const auto want = static_cast<unsigned>(capacity - carry);
    const int got = gzread(file.get(), buffer.get() + carry, want);
    if (got <= 0) {
      check_gz(file.get(), source);
      parser.feed(std::string_view(buffer.get(), carry));
      return;
    }
    total += static_cast<std::size_t>(got);
    if (total > limit)
      MOEGNN_FAIL(IoError, "read_csv", source, ": decompressed text exceeds ", limit,
                  " bytes vs the limit for ", on_disk,
                  " bytes on disk; the file is corrupt, or raise CsvOptions::max_bytes");
    filled_last = static_cast<unsigned>(got) == want;
    const std::size_t filled = carry + static_cast<std::size_t>(got);
    const std::size_t nl = std::string_view(buffer.get(), filled).rfind('\n');
    if (nl == std::string_view::npos) {
      carry = filled;
      continue;
    }
    parser.feed(std::string_view(buffer.get(), nl + 1));
    carry = filled - (nl + 1);
    std::memmove(buffer.get(), buffer.get() + nl + 1, carry);
  }
}

Tensor to_tensor(CsvParser<float>& parser) {
  Tensor out = Tensor::empty(parser.rows(), parser.cols());
  if (!parser.values().empty())
    std::memcpy(out.data(), parser.values().data(), parser.values().size() * sizeof(float));
  return out;
}

}  // namespace

std::vector<std::int64_t> Int64Table::column(Index c) const {
  MOEGNN_CHECK(c >= 0 && c < cols, "column ", c, " vs [0, ", cols, ")");
  std::vector<std::int64_t> out(static_cast<std::size_t>(rows));
  for (Index r = 0; r < rows; ++r) out[static_cast<std::size_t>(r)] = (*this)(r, c);
  return out;
}

Int64Table parse_csv_int64(std::string_view text, const std::string& source,
                           const CsvOptions& options) {
  CsvParser<std::int64_t> parser(source, options);
  parser.feed(text);
  return {parser.rows(), parser.cols(), std::move(parser.values())};
}

Tensor parse_csv_float(std::string_view text, const std::string& source,
                       const CsvOptions& options) {
  CsvParser<float> parser(source, options);
  parser.feed(text);
  return to_tensor(parser);
}

Int64Table read_csv_int64(const std::filesystem::path& path, const CsvOptions& options) {
  CsvParser<std::int64_t> parser(path.string(), options);
  stream(path, parser, options.block_bytes, options.max_bytes);
  return {parser.rows(), parser.cols(), std::move(parser.values())};
}

Tensor read_csv_float(const std::filesystem::path& path, const CsvOptions& options) {
  CsvParser<float> parser(path.string(), options);
  stream(path, parser, options.block_bytes, options.max_bytes);
  return to_tensor(parser);
}

}  // namespace moegnn::datasets::io
