// SPDX-License-Identifier: Apache-2.0
// safetensors reading and writing (see checkpoint.h for the layout). The reader trusts nothing:
// every size is checked against the bytes actually present before anything is copied, so a
// truncated or corrupted file throws IoError instead of reading out of bounds.
#include "models/training/checkpoint.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zlib.h>

#include "core/error.h"

namespace moegnn::training {
namespace {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host needs byte swaps here");

using Json = nlohmann::json;
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // the reference reader's limit
constexpr const char* kCrcKey = "moegnn.crc32";

std::uint64_t element_bytes(DType dtype) { return dtype == DType::Int64 ? 8 : 4; }
const char* dtype_name(DType dtype) { return dtype == DType::Int64 ? "I64" : "F32"; }

// CRC-32 of the header without the CRC entry (canonical dump: sorted keys) followed by the buffer,
// so a flipped bit in the metadata or in the data is caught.
std::string crc_of(const nlohmann::json& header_without_crc, std::string_view buffer) {
  const std::string text = header_without_crc.dump();
  auto crc = crc32_z(0L, reinterpret_cast<const Bytef*>(text.data()), text.size());
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(buffer.data()), buffer.size());
  return std::to_string(static_cast<unsigned long>(crc));
}

// A non-negative JSON integer as u64; false for anything else.
bool to_u64(const Json& v, std::uint64_t& out) {
  if (v.is_number_unsigned()) {
    out = v.get<std::uint64_t>();
    return true;
  }
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
    out = static_cast<std::uint64_t>(v.get<std::int64_t>());
    return true;
  }
  return false;
}

struct Span {
  std::uint64_t begin;
  std::uint64_t end;
  std::string name;
};

// One header entry: dtype, shape and offsets, all checked against the buffer.
struct ParsedEntry {
  DType dtype;
  std::vector<Index> shape;
  std::uint64_t numel;
  Span span;
};

[[noreturn]] void corrupt(const std::string& source, const std::string& what) {
  MOEGNN_FAIL(IoError, "Checkpoint::parse", source, ": ", what,
              "; the file is not a valid safetensors checkpoint (truncated or corrupt?)");
}

ParsedEntry parse_entry(const std::string& name, const Json& info, std::uint64_t buffer_bytes,
                        const std::string& source) {
  const std::string where = "tensor '" + name + "'";
  if (!info.is_object() || !info.contains("dtype") || !info.contains("shape") ||
      !info.contains("data_offsets"))
    corrupt(source, where + " lacks dtype, shape or data_offsets");
  const Json& dtype = info["dtype"];
  if (!dtype.is_string() || (dtype != "F32" && dtype != "I64"))
    corrupt(source, where + " has dtype " + dtype.dump() + " vs \"F32\" or \"I64\" (read here)");
  ParsedEntry out{dtype == "I64" ? DType::Int64 : DType::Float32, {}, 1, {0, 0, name}};
  const Json& shape = info["shape"];
  if (!shape.is_array()) corrupt(source, where + " has a shape that is not an array");
  bool zero = false;
  for (const Json& d : shape) {
    std::uint64_t dim = 0;
    if (!to_u64(d, dim) || dim > static_cast<std::uint64_t>(std::numeric_limits<Index>::max()))
      corrupt(source, where + " has shape entry " + d.dump() + " vs a non-negative integer");
    out.shape.push_back(static_cast<Index>(dim));
    if (dim == 0)
      zero = true;
    else if (!zero && out.numel > buffer_bytes / dim)
      corrupt(source, where + " is larger than the file");
    else if (!zero)
      out.numel *= dim;
  }
  if (zero) out.numel = 0;
  const Json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !to_u64(offsets[0], out.span.begin) ||
      !to_u64(offsets[1], out.span.end) || out.span.begin > out.span.end ||
      out.span.end > buffer_bytes)
    corrupt(source, where + " has data_offsets " + offsets.dump() + " vs [begin, end] within " +
                        std::to_string(buffer_bytes) + " buffer bytes");
  if (out.span.end - out.span.begin != out.numel * element_bytes(out.dtype))
    corrupt(source, where + " spans " + std::to_string(out.span.end - out.span.begin) +
                        " bytes vs " + std::to_string(out.numel * element_bytes(out.dtype)) +
                        " for its shape and dtype");
  return out;
}

// The header JSON; duplicate top-level names are an error (the spec disallows them and the JSON
// library would silently keep the last).
Json parse_header(std::string_view text, const std::string& source) {
  std::set<std::string> seen;
  std::string duplicate;
  const auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::key && depth == 1 &&
        !seen.insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  Json header;
  try {
    header = Json::parse(text.begin(), text.end(), callback);
  } catch (const Json::exception& e) {
    corrupt(source, std::string("header is not valid JSON (") + e.what() + ")");
  }
  if (!header.is_object()) corrupt(source, "header is not a JSON object");
  if (!duplicate.empty()) corrupt(source, "name '" + duplicate + "' appears twice in the header");
  return header;
}

// Offsets must tile [0, buffer_bytes) exactly: sorted by begin, each starting where the last ended.
void check_tiling(std::vector<Span> spans, std::uint64_t buffer_bytes, const std::string& source) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t at = 0;
  for (const Span& s : spans) {
    if (s.begin != at)
      corrupt(source, "tensor '" + s.name + "' starts at byte " + std::to_string(s.begin) + " vs " +
                          std::to_string(at) + " (overlap or hole in the buffer)");
    at = s.end;
  }
  if (at != buffer_bytes)
    corrupt(source, "tensors cover " + std::to_string(at) + " buffer bytes vs " +
                        std::to_string(buffer_bytes) + " present");
}

// Closes a descriptor and removes the temporary file unless the save completed.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep) ::unlink(path.c_str());
  }
};

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    MOEGNN_CHECK_AS(IoError, "Checkpoint::save", n > 0, "cannot write ", path, ": ",
                    std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void Checkpoint::check_new_name(const std::string& name, const char* function) const {
  MOEGNN_CHECK_AS(InvalidArgument, function, !name.empty() && name != "__metadata__",
                  "tensor name '", name, "' vs a non-empty name other than __metadata__");
  MOEGNN_CHECK_AS(InvalidArgument, function, !contains(name), "tensor name '", name,
                  "' is already present vs a new name");
}

void Checkpoint::add(const std::string& name, const Tensor& tensor) {
  check_new_name(name, "Checkpoint::add");
  MOEGNN_CHECK(tensor.device() == Device::Cpu, "tensor '", name, "' is on ",
               to_string(tensor.device()), " vs cpu; call .to(Device::Cpu) first");
  entries_[name] = Entry{DType::Float32, {tensor.rows(), tensor.cols()}, tensor.clone(), {}};
}

void Checkpoint::add_int64(const std::string& name, std::vector<std::int64_t> values,
                           std::vector<Index> shape) {
  check_new_name(name, "Checkpoint::add_int64");
  Index numel = 1;
  for (const Index d : shape) {
    MOEGNN_CHECK(d >= 0, "tensor '", name, "' has shape entry ", d, " vs >= 0");
    numel *= d;
  }
  MOEGNN_CHECK(numel == static_cast<Index>(values.size()), "tensor '", name, "' has ",
               values.size(), " values vs ", numel, " for its shape");
  entries_[name] = Entry{DType::Int64, std::move(shape), {}, std::move(values)};
}

void Checkpoint::set_metadata(const std::string& key, std::string value) {
  MOEGNN_CHECK(!key.empty(), "metadata key is empty vs a non-empty key");
  metadata_[key] = std::move(value);
}

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> out;
  for (const auto& kv : entries_) out.push_back(kv.first);
  return out;
}

const Checkpoint::Entry& Checkpoint::entry(const std::string& name, const char* function) const {
  const auto it = entries_.find(name);
  MOEGNN_CHECK_AS(InvalidArgument, function, it != entries_.end(), "no tensor named '", name,
                  "' vs one of the ", entries_.size(), " stored");
  return it->second;
}

DType Checkpoint::dtype(const std::string& name) const {
  return entry(name, "Checkpoint::dtype").dtype;
}

const std::vector<Index>& Checkpoint::shape(const std::string& name) const {
  return entry(name, "Checkpoint::shape").shape;
}

Tensor Checkpoint::tensor(const std::string& name) const {
  const Entry& e = entry(name, "Checkpoint::tensor");
  MOEGNN_CHECK(e.dtype == DType::Float32, "tensor '", name, "' is ", dtype_name(e.dtype),
               " vs F32");
  MOEGNN_CHECK(e.shape.size() <= 2, "tensor '", name, "' has rank ", e.shape.size(),
               " vs at most 2");
  return e.f32.clone();
}

const std::vector<std::int64_t>& Checkpoint::int64(const std::string& name) const {
  const Entry& e = entry(name, "Checkpoint::int64");
  MOEGNN_CHECK(e.dtype == DType::Int64, "tensor '", name, "' is ", dtype_name(e.dtype), " vs I64");
  return e.i64;
}

const std::string& Checkpoint::metadata(const std::string& key) const {
  const auto it = metadata_.find(key);
  MOEGNN_CHECK(it != metadata_.end(), "no metadata key '", key, "' vs one of the ",
               metadata_.size(), " stored");
  return it->second;
}

std::string Checkpoint::serialize() const {
  // 1. Layout: I64 tensors first so their data stays 8-byte aligned, then F32; by name in each.
  std::vector<const std::pair<const std::string, Entry>*> order;
  for (const DType pass : {DType::Int64, DType::Float32})
    for (const auto& kv : entries_)
      if (kv.second.dtype == pass) order.push_back(&kv);
  Json header = Json::object();
  std::uint64_t offset = 0;
  for (const auto* kv : order) {
    const Entry& e = kv->second;
    const std::uint64_t bytes =
        e.dtype == DType::Int64 ? e.i64.size() * 8 : static_cast<std::uint64_t>(e.f32.size()) * 4;
    header[kv->first] = {{"dtype", dtype_name(e.dtype)},
                         {"shape", e.shape},
                         {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  // 2. The byte buffer.
  std::string buffer(offset, '\0');
  offset = 0;
  for (const auto* kv : order) {
    const Entry& e = kv->second;
    const void* src = e.dtype == DType::Int64 ? static_cast<const void*>(e.i64.data())
                                              : static_cast<const void*>(e.f32.data());
    const std::size_t bytes =
        e.dtype == DType::Int64 ? e.i64.size() * 8 : static_cast<std::size_t>(e.f32.size()) * 4;
    if (bytes > 0) std::memcpy(buffer.data() + offset, src, bytes);
    offset += bytes;
  }
  // 3. Metadata with the buffer's CRC; header padded with spaces to an 8-byte boundary.
  Json metadata = Json::object();
  for (const auto& [key, value] : metadata_)
    if (key != kCrcKey) metadata[key] = value;
  header["__metadata__"] = metadata;
  header["__metadata__"][kCrcKey] = crc_of(header, buffer);
  std::string text = header.dump();
  while (text.size() % 8 != 0) text.push_back(' ');
  std::string out(8, '\0');
  const std::uint64_t n = text.size();
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + text + buffer;
}

Checkpoint Checkpoint::parse(std::string_view bytes, const std::string& source) {
  // 1. Header size and header.
  if (bytes.size() < 8)
    corrupt(source, std::to_string(bytes.size()) + " bytes vs at least 8 for the header size");
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i)
    n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]))
         << (8 * i);
  if (n > bytes.size() - 8 || n > kMaxHeaderBytes || n == 0)
    corrupt(source, "header size " + std::to_string(n) + " vs 1.." +
                        std::to_string(std::min<std::uint64_t>(bytes.size() - 8, kMaxHeaderBytes)));
  const std::string_view text = bytes.substr(8, n);
  if (text.front() != '{') corrupt(source, "header does not start with '{'");
  const Json header = parse_header(text, source);
  const std::string_view buffer = bytes.substr(8 + n);
  // 2. Entries and metadata.
  Checkpoint out;
  std::vector<Span> spans;
  std::vector<ParsedEntry> parsed;
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) corrupt(source, "__metadata__ is not an object");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string()) corrupt(source, "metadata '" + k + "' is not a string");
        out.metadata_[k] = v.get<std::string>();
      }
      continue;
    }
    parsed.push_back(parse_entry(key, value, buffer.size(), source));
    spans.push_back(parsed.back().span);
  }
  check_tiling(spans, buffer.size(), source);
  const auto crc = out.metadata_.find(kCrcKey);
  if (crc != out.metadata_.end()) {
    Json rest = header;
    rest["__metadata__"].erase(kCrcKey);
    const std::string actual = crc_of(rest, buffer);
    if (actual != crc->second)
      corrupt(source, "CRC-32 of header and data is " + actual + " vs " + crc->second + " stored");
  }
  // 3. Copy the data out.
  for (const ParsedEntry& p : parsed) {
    Entry e{p.dtype, p.shape, {}, {}};
    const char* src = buffer.data() + p.span.begin;
    if (p.dtype == DType::Int64) {
      e.i64.resize(p.numel);
      if (p.numel > 0) std::memcpy(e.i64.data(), src, p.numel * 8);
    } else {
      // Rank 0 -> 1 × 1, rank 1 -> 1 × n, rank r -> (product of the first r - 1 dims) × last.
      const Index cols = p.shape.empty() ? 1 : p.shape.back();
      Index rows = 1;
      for (std::size_t d = 0; d + 1 < p.shape.size(); ++d) rows *= p.shape[d];
      e.f32 = Tensor::empty(rows, cols);
      if (p.numel > 0) std::memcpy(e.f32.data(), src, p.numel * 4);
    }
    out.entries_[p.span.name] = std::move(e);
  }
  return out;
}

void Checkpoint::save(const std::filesystem::path& path) const {
  const std::string bytes = serialize();
  TempFile tmp{path.string() + ".tmp"};
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  MOEGNN_CHECK_AS(IoError, "Checkpoint::save", tmp.fd >= 0, "cannot create ", tmp.path, ": ",
                  std::strerror(errno));
  write_all(tmp.fd, bytes, tmp.path);
  MOEGNN_CHECK_AS(IoError, "Checkpoint::save", ::fsync(tmp.fd) == 0, "cannot fsync ", tmp.path,
                  ": ", std::strerror(errno));
  const int fd = tmp.fd;
  tmp.fd = -1;
  MOEGNN_CHECK_AS(IoError, "Checkpoint::save", ::close(fd) == 0, "cannot close ", tmp.path, ": ",
                  std::strerror(errno));
  MOEGNN_CHECK_AS(IoError, "Checkpoint::save", ::rename(tmp.path.c_str(), path.c_str()) == 0,
                  "cannot rename ", tmp.path, " to ", path.string(), ": ", std::strerror(errno));
  tmp.keep = true;
  // Make the rename itself durable; a folder that cannot be opened or synced is not an error of
  // the data, which is already on disk under its final name.
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
}

Checkpoint Checkpoint::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  MOEGNN_CHECK_AS(IoError, "Checkpoint::load", in.good(), "cannot open ", path.string(),
                  " vs a readable safetensors file");
  std::ostringstream content;
  content << in.rdbuf();
  MOEGNN_CHECK_AS(IoError, "Checkpoint::load", !in.bad(), "cannot read ", path.string());
  return parse(content.str(), path.string());
}

}  // namespace moegnn::training
