// SPDX-License-Identifier: Apache-2.0
// Container write/read (see container.h). The reader checks every field before it trusts it:
// offsets and sizes against the file length with overflow-safe arithmetic, alignment, unique
// NUL-terminated names, known types.
#include "datasets/detail/container.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/detail/atomic_file.h"

namespace moegnn::datasets::detail {
namespace {

static_assert(std::endian::native == std::endian::little, "the cache container is little-endian");

constexpr char kMagic[8] = {'M', 'O', 'E', 'G', 'N', 'N', 'D', '\0'};
constexpr std::uint64_t kAlign = 64;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t kind;
  std::uint64_t num_sections;
  std::uint64_t table_offset;
  std::uint64_t file_bytes;
  std::uint32_t crc32;
  std::uint32_t graph_crc32;
  std::int64_t graph_rows, graph_cols, graph_nnz;
  std::uint32_t meta_crc32;  // header (both CRC fields zero) + table: always checked
  std::uint8_t reserved[52];
};
static_assert(sizeof(Header) == 128);

struct Entry {
  char name[32];
  std::uint32_t type;
  std::uint32_t reserved;
  std::int64_t rows, cols;
  std::uint64_t offset;
};
static_assert(sizeof(Entry) == 64);

std::uint64_t element_bytes(SectionType t) {
  switch (t) {
  case SectionType::Float32:
  case SectionType::Int32:
    return 4;
  case SectionType::Int64:
    return 8;
  case SectionType::Bytes:
    return 1;
  }
  return 0;
}

std::uint64_t align_up(std::uint64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }

}  // namespace

std::uint32_t crc32_bytes(std::uint32_t crc, const void* data, std::size_t bytes) {
  // Large inputs: CRCs of fixed 1 MiB chunks in parallel, joined left to right with
  // crc32_combine, which gives exactly the serial CRC (so the result is thread-count independent).
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  const auto* p = static_cast<const Bytef*>(data);
  if (bytes < 4 * kChunk) return static_cast<std::uint32_t>(::crc32_z(crc, p, bytes));
  const auto chunks = static_cast<Index>((bytes + kChunk - 1) / kChunk);
  std::vector<uLong> partial(static_cast<std::size_t>(chunks));
  parallel_for(
      0, chunks,
      [&](Index c) {
        const std::size_t at = static_cast<std::size_t>(c) * kChunk;
        partial[static_cast<std::size_t>(c)] = ::crc32_z(0, p + at, std::min(kChunk, bytes - at));
      },
      1);
  uLong total = crc;
  for (Index c = 0; c < chunks; ++c) {
    const std::size_t at = static_cast<std::size_t>(c) * kChunk;
    total = ::crc32_combine(total, partial[static_cast<std::size_t>(c)],
                            static_cast<z_off_t>(std::min(kChunk, bytes - at)));
  }
  return static_cast<std::uint32_t>(total);
}

const void* ContainerWriter::Section::data() const {
  switch (type) {
  case SectionType::Float32:
    return tensor.data();
  case SectionType::Int32:
    return int32s.data();
  case SectionType::Int64:
    return int64s.data();
  case SectionType::Bytes:
    return bytes.data();
  }
  return nullptr;
}

std::uint64_t ContainerWriter::Section::size_bytes() const {
  return static_cast<std::uint64_t>(rows * cols) * element_bytes(type);
}

void ContainerWriter::push(Section s) {
  MOEGNN_CHECK_AS(InvalidArgument, "ContainerWriter", !s.name.empty() && s.name.size() < 32,
                  "section name '", s.name, "' vs 1..31 characters");
  for (const Section& other : sections_)
    MOEGNN_CHECK_AS(InvalidArgument, "ContainerWriter", other.name != s.name, "section '", s.name,
                    "' added twice vs unique names");
  sections_.push_back(std::move(s));
}

void ContainerWriter::add(const std::string& name, const Tensor& t) {
  Tensor cpu = t.to(Device::Cpu);
  push({.name = name,
        .type = SectionType::Float32,
        .rows = cpu.rows(),
        .cols = cpu.cols(),
        .tensor = cpu});
}
void ContainerWriter::add(const std::string& name, const IndexArray32& a) {
  push({.name = name,
        .type = SectionType::Int32,
        .rows = a.size(),
        .cols = 1,
        .int32s = a.to(Device::Cpu)});
}
void ContainerWriter::add(const std::string& name, const IndexArray64& a) {
  push({.name = name,
        .type = SectionType::Int64,
        .rows = a.size(),
        .cols = 1,
        .int64s = a.to(Device::Cpu)});
}
void ContainerWriter::add(const std::string& name, const std::string& bytes) {
  push({.name = name,
        .type = SectionType::Bytes,
        .rows = static_cast<std::int64_t>(bytes.size()),
        .cols = 1,
        .bytes = bytes});
}

void ContainerWriter::write(const std::filesystem::path& path, std::uint32_t kind,
                            const GraphFingerprint& graph) const {
  // 1. Layout: header, table, then each section on a 64-byte boundary.
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.version = kContainerVersion;
  h.kind = kind;
  h.num_sections = sections_.size();
  h.table_offset = sizeof(Header);
  std::vector<Entry> table(sections_.size());
  std::uint64_t at = align_up(sizeof(Header) + sections_.size() * sizeof(Entry));
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    Entry& e = table[i];
    e = Entry{};
    std::memcpy(e.name, sections_[i].name.data(), sections_[i].name.size());
    e.type = static_cast<std::uint32_t>(sections_[i].type);
    e.rows = sections_[i].rows;
    e.cols = sections_[i].cols;
    e.offset = at;
    at = align_up(at + sections_[i].size_bytes());
  }
  h.file_bytes = at;
  h.graph_crc32 = graph.crc32;
  h.graph_rows = graph.rows;
  h.graph_cols = graph.cols;
  h.graph_nnz = graph.nnz;
  // 2. CRCs: header + table (cheap, always checked on load), then the whole file with the
  // file CRC field zero, padding included.
  h.meta_crc32 =
      crc32_bytes(crc32_bytes(0, &h, sizeof(h)), table.data(), table.size() * sizeof(Entry));
  static const std::array<char, kAlign> zeros{};
  std::uint32_t crc = crc32_bytes(0, &h, sizeof(h));
  crc = crc32_bytes(crc, table.data(), table.size() * sizeof(Entry));
  std::uint64_t written = sizeof(Header) + table.size() * sizeof(Entry);
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    crc = crc32_bytes(crc, zeros.data(), table[i].offset - written);
    crc = crc32_bytes(crc, sections_[i].data(), sections_[i].size_bytes());
    written = table[i].offset + sections_[i].size_bytes();
  }
  crc = crc32_bytes(crc, zeros.data(), h.file_bytes - written);
  h.crc32 = crc;
  // 3. Write to a temporary and rename into place.
  AtomicFile out(path, temporary_name(path));
  out.write(&h, sizeof(h));
  out.write(table.data(), table.size() * sizeof(Entry));
  for (const Section& s : sections_) {
    out.pad_to(kAlign);
    out.write(s.data(), s.size_bytes());
  }
  out.pad_to(kAlign);
  out.commit();
}

namespace {

template <typename... Parts>
[[noreturn]] void fail(const std::filesystem::path& path, const Parts&... parts) {
  MOEGNN_FAIL(IoError, "load_dataset_cache", path.string(), ": ", parts...);
}

}  // namespace

// The file mapped privately (copy-on-write: a write through a loaded tensor never reaches the
// file); unmapped with the last array that views it.
struct ContainerReader::Mapping {
  void* data = nullptr;
  std::size_t bytes = 0;
  ~Mapping() {
    if (data != nullptr) ::munmap(data, bytes);
  }
};

namespace {

std::shared_ptr<ContainerReader::Mapping> map_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "cannot open: ", std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(path, "cannot stat: ", std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail(path, "not a regular file");
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < sizeof(Header))
    fail(path, "file is ", size, " bytes vs at least ", sizeof(Header),
         " (truncated or not a moegnn dataset cache)");
  auto m = std::make_shared<ContainerReader::Mapping>();
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) fail(path, "mmap failed: ", std::strerror(errno));
  m->data = p;
  m->bytes = size;
  return m;
}

}  // namespace

ContainerReader::ContainerReader(const std::filesystem::path& path, std::uint32_t kind,
                                 bool verify_checksum)
    : path_(path),
      image_(map_file(path)) {
  // 1. Header.
  const auto* base = static_cast<const std::uint8_t*>(image_->data);
  const std::uint64_t size = image_->bytes;
  Header h;
  std::memcpy(&h, base, sizeof(h));
  if (std::memcmp(h.magic, kMagic, sizeof(kMagic)) != 0)
    fail(path, "bad magic vs \"MOEGNND\\0\"; not a moegnn dataset cache");
  if (h.version != kContainerVersion)
    fail(path, "format version ", h.version, " vs ", kContainerVersion,
         "; re-create the cache with this version of moegnn-data convert");
  if (h.kind != kind) fail(path, "holds dataset kind ", h.kind, " vs ", kind);
  if (h.file_bytes != size)
    fail(path, "file is ", size, " bytes vs ", h.file_bytes, " in the header (truncated?)");
  if (h.table_offset != sizeof(Header) || h.num_sections > (size - sizeof(Header)) / sizeof(Entry))
    fail(path, "section table (", h.num_sections, " entries at ", h.table_offset,
         ") vs inside the file");
  // 2. Header and table CRC (always), then the whole file with the CRC field zeroed.
  Header meta = h;
  meta.crc32 = 0;
  meta.meta_crc32 = 0;
  const std::uint32_t meta_crc = crc32_bytes(crc32_bytes(0, &meta, sizeof(meta)),
                                             base + sizeof(Header), h.num_sections * sizeof(Entry));
  if (meta_crc != h.meta_crc32)
    fail(path, "header checksum mismatch: CRC-32 ", meta_crc, " vs ", h.meta_crc32,
         "; the file is corrupt");
  if (verify_checksum) {
    Header zeroed = h;
    zeroed.crc32 = 0;
    std::uint32_t crc = crc32_bytes(0, &zeroed, sizeof(zeroed));
    crc = crc32_bytes(crc, base + sizeof(Header), size - sizeof(Header));
    if (crc != h.crc32)
      fail(path, "checksum mismatch: CRC-32 ", crc, " vs ", h.crc32,
           " in the header; the file is corrupt");
  }
  graph_ = {h.graph_rows, h.graph_cols, h.graph_nnz, h.graph_crc32};
  // 3. Sections, each checked against the file.
  read_table(h.num_sections);
}

void ContainerReader::read_table(std::uint64_t num_sections) {
  const auto* base = static_cast<const std::uint8_t*>(image_->data);
  const std::uint64_t size = image_->bytes;
  const std::filesystem::path& path = path_;
  const std::uint64_t data_start = sizeof(Header) + num_sections * sizeof(Entry);
  for (std::uint64_t i = 0; i < num_sections; ++i) {
    Entry e;
    std::memcpy(&e, base + sizeof(Header) + i * sizeof(Entry), sizeof(e));
    if (std::memchr(e.name, '\0', sizeof(e.name)) == nullptr || e.name[0] == '\0')
      fail(path, "section ", i, " has a bad name vs a NUL-terminated one");
    const std::string name(e.name);
    const auto type = static_cast<SectionType>(e.type);
    if (e.type < 1 || e.type > 4) fail(path, "section ", name, " has type ", e.type, " vs 1..4");
    const std::uint64_t limit = std::numeric_limits<std::int64_t>::max() / 8;
    if (e.rows < 0 || e.cols < 0 || static_cast<std::uint64_t>(e.rows) > limit ||
        (e.rows > 0 &&
         static_cast<std::uint64_t>(e.cols) > limit / static_cast<std::uint64_t>(e.rows)))
      fail(path, "section ", name, " has shape ", e.rows, " x ", e.cols, " vs a valid size");
    const std::uint64_t bytes = static_cast<std::uint64_t>(e.rows * e.cols) * element_bytes(type);
    if (e.offset % kAlign != 0 || e.offset < data_start || e.offset > size ||
        bytes > size - e.offset)
      fail(path, "section ", name, " at ", e.offset, " with ", bytes, " bytes vs aligned inside [",
           data_start, ", ", size, ")");
    if (!sections_.emplace(name, Section{type, e.rows, e.cols, e.offset, bytes}).second)
      fail(path, "section ", name, " appears twice vs once");
  }
}

const ContainerReader::Section& ContainerReader::find(const std::string& name,
                                                      SectionType type) const {
  const auto it = sections_.find(name);
  if (it == sections_.end()) fail(path_, "no section '", name, "' vs one written by convert");
  if (it->second.type != type)
    fail(path_, "section '", name, "' has type ", static_cast<int>(it->second.type), " vs ",
         static_cast<int>(type));
  return it->second;
}

std::shared_ptr<Storage> ContainerReader::view(const Section& s) const {
  auto* data = static_cast<std::uint8_t*>(image_->data) + s.offset;
  return Storage::adopt(data, s.bytes, Device::Cpu, [image = image_](void*) {});
}

Tensor ContainerReader::tensor(const std::string& name) const {
  const Section& s = find(name, SectionType::Float32);
  if (s.rows * s.cols == 0)
    return s.rows == 0 && s.cols == 0 ? Tensor() : Tensor::zeros(s.rows, s.cols);
  return Tensor::from_storage(view(s), s.rows, s.cols);
}

IndexArray32 ContainerReader::int32s(const std::string& name) const {
  const Section& s = find(name, SectionType::Int32);
  if (s.cols != 1) fail(path_, "section '", name, "' has ", s.cols, " columns vs 1");
  return s.rows == 0 ? IndexArray32() : IndexArray32(view(s), s.rows);
}

IndexArray64 ContainerReader::int64s(const std::string& name) const {
  const Section& s = find(name, SectionType::Int64);
  if (s.cols != 1) fail(path_, "section '", name, "' has ", s.cols, " columns vs 1");
  return s.rows == 0 ? IndexArray64() : IndexArray64(view(s), s.rows);
}

std::string ContainerReader::bytes(const std::string& name) const {
  const Section& s = find(name, SectionType::Bytes);
  return {static_cast<const char*>(image_->data) + s.offset, s.bytes};
}

}  // namespace moegnn::datasets::detail
