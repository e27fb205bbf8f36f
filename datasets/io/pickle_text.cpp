// SPDX-License-Identifier: Apache-2.0
// Text payloads of the unpickler: protocol 0's decimal/float lines, Python 2 string reprs
// (codecs.escape_decode rules), raw-unicode-escape, UTF-8 checks and LONG1/LONG4 integers.
#include <charconv>
#include <cstring>

#include "datasets/io/detail/unpickler.h"
#include "datasets/io/detail/utf8.h"

namespace moegnn::datasets::io::detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `digits` hex characters at text[pos], or -1.
long parse_hex(std::string_view text, std::size_t pos, std::size_t digits) {
  if (pos + digits > text.size()) return -1;
  long v = 0;
  for (std::size_t k = 0; k < digits; ++k) {
    const int d = hex_value(text[pos + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}


// Decodes one UTF-8 sequence at text[pos]; returns its length (0 when malformed).
std::size_t decode_utf8(std::string_view text, std::size_t pos, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  std::size_t len = b0 < 0x80           ? 1
                    : (b0 >> 5) == 0x6  ? 2
                    : (b0 >> 4) == 0xE  ? 3
                    : (b0 >> 3) == 0x1E ? 4
                                        : 0;
  if (len == 0 || pos + len > text.size()) return 0;
  cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[pos + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[len] || cp > 0x10FFFF) return 0;  // overlong or beyond Unicode
  return len;
}

}  // namespace

std::int64_t parse_decimal(Machine& m, std::string_view text, const char* what) {
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  const char* begin = text.data() + (text.starts_with('+') ? 1 : 0);
  const auto [ptr, ec] = std::from_chars(begin, end, v);
  if (ec == std::errc::result_out_of_range)
    m.fail(what, " value '", text, "' does not fit in int64");
  if (ec != std::errc() || ptr != end || text.empty())
    m.fail(what, " argument '", text.substr(0, 40), "' is not a decimal integer");
  return v;
}

double parse_float_text(Machine& m, std::string_view text) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if ((ec != std::errc() && ec != std::errc::result_out_of_range) || ptr != end || text.empty())
    m.fail("FLOAT argument '", text.substr(0, 40), "' is not a number");
  return v;
}

std::string decode_string_repr(Machine& m, std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != quoted.back() ||
      (quoted.front() != '\'' && quoted.front() != '"'))
    m.fail("the STRING argument must be quoted");
  const std::string_view s = quoted.substr(1, quoted.size() - 2);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    constexpr std::string_view kFrom = "\\'\"abfnrtv";
    constexpr std::string_view kTo = "\\'\"\a\b\f\n\r\t\v";
    if (const std::size_t k = kFrom.find(c); k != std::string_view::npos) {
      out += kTo[k];
    } else if (c == 'x') {
      const long v = parse_hex(s, i + 1, 2);
      if (v < 0) m.fail("invalid \\x escape in a STRING argument");
      out += static_cast<char>(v);
      i += 2;
    } else if (c >= '0' && c <= '7') {
      int v = c - '0';
      for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k)
        v = v * 8 + (s[++i] - '0');
      out += static_cast<char>(v & 0xFF);
    } else if (c != '\n') {  // backslash-newline is a line continuation; others stay literal
      out += '\\';
      out += c;
    }
  }
  return out;
}

std::string decode_raw_unicode_escape(Machine& m, std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\\' && i + 1 < raw.size() && (raw[i + 1] == 'u' || raw[i + 1] == 'U')) {
      const std::size_t digits = raw[i + 1] == 'u' ? 4 : 8;
      const long cp = parse_hex(raw, i + 2, digits);
      if (cp < 0 || cp > 0x10FFFF) m.fail("invalid \\u escape in a UNICODE argument");
      append_utf8(out, static_cast<std::uint32_t>(cp));
      i += 1 + digits;
    } else {
      append_utf8(out, c);  // every other byte is a Latin-1 code point
    }
  }
  return out;
}

void check_utf8(Machine& m, std::string_view text) {
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = decode_utf8(text, i, cp);
    if (len == 0) m.fail("string is not valid UTF-8 at its byte ", i);
    i += len;
  }
}

std::string utf8_to_latin1(Machine& m, std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = decode_utf8(text, i, cp);
    if (len == 0) m.fail("string is not valid UTF-8 at its byte ", i);
    if (cp > 0xFF) m.fail("code point ", cp, " at byte ", i, " vs Latin-1 (at most 255)");
    out += static_cast<char>(cp);
    i += len;
  }
  return out;
}

PyNode* make_decimal(Machine& m, std::string_view text, const char* what) {
  std::int64_t v = 0;
  const bool negative = text.starts_with('-');
  const std::string_view digits = text.substr(negative || text.starts_with('+') ? 1 : 0);
  const auto [ptr, ec] =
      std::from_chars(text.data() + (text.starts_with('+') ? 1 : 0), text.data() + text.size(), v);
  if (ec == std::errc() && ptr == text.data() + text.size() && !digits.empty())
    return m.make_int(v);
  constexpr std::size_t kMaxDigits = 4096;  // keeps the quadratic conversion below cheap
  if (ec != std::errc::result_out_of_range || digits.size() > kMaxDigits)
    m.fail(what, " argument '", text.substr(0, 40), "' is not a decimal integer (of at most ",
           kMaxDigits, " digits)");
  // Magnitude in base 256 (little-endian), then two's complement with a sign byte.
  std::string mag(1, '\0');
  for (const char c : digits) {
    if (c < '0' || c > '9')
      m.fail(what, " argument '", text.substr(0, 40), "' is not a decimal integer");
    unsigned carry = static_cast<unsigned>(c - '0');
    for (char& byte : mag) {
      carry += static_cast<unsigned>(static_cast<unsigned char>(byte)) * 10u;
      byte = static_cast<char>(carry & 0xFF);
      carry >>= 8;
    }
    if (carry != 0) mag += static_cast<char>(carry);
  }
  mag += '\0';  // room for the sign bit
  if (negative) {
    unsigned carry = 1;
    for (char& byte : mag) {
      carry += static_cast<unsigned char>(~static_cast<unsigned char>(byte));
      byte = static_cast<char>(carry & 0xFF);
      carry >>= 8;
    }
  }
  return make_long(m, mag);
}

PyNode* make_long(Machine& m, std::string_view le) {
  const std::size_t n = le.size();
  if (n == 0) return m.make_int(0);
  const bool negative = (static_cast<unsigned char>(le[n - 1]) & 0x80) != 0;
  const char fill = negative ? '\xFF' : '\0';
  bool fits = true;
  for (std::size_t k = 8; k < n; ++k) fits = fits && le[k] == fill;
  if (n > 8) fits = fits && ((static_cast<unsigned char>(le[7]) & 0x80) != 0) == negative;
  if (!fits) {
    // Canonical form: drop sign-extension bytes the value does not need (as LONG1 writes it).
    std::size_t len = n;
    while (len > 1 && le[len - 1] == fill &&
           ((static_cast<unsigned char>(le[len - 2]) & 0x80) != 0) == negative)
      --len;
    return m.make_string(PyKind::BigInt, le.substr(0, len));
  }
  std::uint64_t v = negative ? ~std::uint64_t{0} : 0;  // sign-extend from the top byte given
  for (std::size_t k = 0; k < std::min<std::size_t>(n, 8); ++k) {
    v &= ~(std::uint64_t{0xFF} << (8 * k));
    v |= std::uint64_t{static_cast<unsigned char>(le[k])} << (8 * k);
  }
  return m.make_int(static_cast<std::int64_t>(v));
}

}  // namespace moegnn::datasets::io::detail
