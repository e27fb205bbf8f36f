// SPDX-License-Identifier: Apache-2.0
// save_csr / load_csr over POSIX files. Saving computes the CRC from the arrays first, then streams
// header, padding and arrays into a temporary file that is fsynced and renamed into place. Loading
// maps (or reads) the whole file once; the Csr's arrays are Storage::adopt views into it whose
// release functions share ownership of the mapping, so it is unmapped with the last array.
#include "graph/io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "core/error.h"
#include "graph/detail/file_format.h"

namespace moegnn::graph {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the moegnn graph file is little-endian; big-endian hosts need byte swapping here");

template <typename... Parts>
[[noreturn]] void fail(const char* function, const std::filesystem::path& path,
                       const Parts&... parts) {
  MOEGNN_FAIL(IoError, function, path.string(), ": ", parts...);
}

// One region of the output: bytes to write (or zero padding when data == nullptr).
struct Piece {
  const void* data;
  std::uint64_t bytes;
};

class OutputFile {
 public:
  explicit OutputFile(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("save_csr", path_, "cannot create: ", std::strerror(errno));
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  void write(const Piece& piece) {
    static const std::array<char, 64> zeros{};
    const char* p = static_cast<const char*>(piece.data);
    std::uint64_t left = piece.bytes;
    while (left > 0) {
      const std::size_t chunk = p != nullptr ? std::min<std::uint64_t>(left, std::uint64_t{1} << 30)
                                             : std::min<std::uint64_t>(left, zeros.size());
      const ssize_t n = ::write(fd_, p != nullptr ? p : zeros.data(), chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("save_csr", path_, "write failed: ", std::strerror(errno));
      left -= static_cast<std::uint64_t>(n);
      if (p != nullptr) p += n;
    }
  }
  // fsync, close and rename over `target`; the temporary disappears either way.
  void commit(const std::filesystem::path& target) {
    if (::fsync(fd_) != 0) fail("save_csr", path_, "fsync failed: ", std::strerror(errno));
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("save_csr", path_, "close failed: ", std::strerror(errno));
    if (::rename(path_.c_str(), target.c_str()) != 0)
      fail("save_csr", target, "rename from ", path_.string(), " failed: ", std::strerror(errno));
    committed_ = true;
    // Persist the directory entry too; filesystems without directory fsync return EINVAL.
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

std::filesystem::path temporary_for(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path tmp = path;
  std::string name = ".";
  name.append(path.filename().string()).append(".tmp.").append(std::to_string(::getpid()));
  name.append(".").append(std::to_string(counter++));
  tmp.replace_filename(name);
  return tmp;
}

}  // namespace

void save_csr(const Csr& graph, const std::filesystem::path& path) {
  MOEGNN_CHECK_AS(IoError, "save_csr", !path.empty() && path.has_filename(), "path '",
                  path.string(), "' vs a file name");
  const Csr g = graph.to(Device::Cpu);
  // 1. Header and the pieces of the file in order.
  detail::FileHeader h = detail::make_header(g.num_rows(), g.num_cols(), g.num_edges(), g.has_values());
  const std::uint64_t row_bytes = static_cast<std::uint64_t>(g.num_rows() + 1) * 8;
  const std::uint64_t nnz_bytes = static_cast<std::uint64_t>(g.num_edges()) * 4;
  const std::uint64_t col_end = h.col_idx_offset + nnz_bytes;
  std::vector<Piece> pieces{
      {g.row_ptr().data(), row_bytes},
      {nullptr, h.col_idx_offset - (h.row_ptr_offset + row_bytes)},
      {g.col_idx().data(), nnz_bytes}};
  if (g.has_values()) {
    pieces.push_back({nullptr, h.values_offset - col_end});
    pieces.push_back({g.values().data(), nnz_bytes});
  }
  // 2. CRC over header (crc field 0) and payload.
  static const std::array<char, 64> zeros{};
  std::uint32_t crc = detail::crc32_of(0, &h, sizeof(h));
  for (const Piece& p : pieces)
    crc = detail::crc32_of(crc, p.data != nullptr ? p.data : zeros.data(), p.bytes);
  h.crc32 = crc;
  // 3. Write to a temporary, then rename into place.
  OutputFile out(temporary_for(path));
  out.write({&h, sizeof(h)});
  for (const Piece& p : pieces) out.write(p);
  out.commit(path);
}

namespace {

// The bytes of a loaded file, kept alive by every array that views them.
struct FileImage {
  std::uint8_t* data = nullptr;
  std::size_t bytes = 0;
  bool mapped = false;
  std::shared_ptr<Storage> buffer;  // LoadMode::Read
  FileImage() = default;
  FileImage(const FileImage&) = delete;
  FileImage& operator=(const FileImage&) = delete;
  ~FileImage() {
    if (mapped) ::munmap(data, bytes);
  }
};

void read_all(int fd, std::uint8_t* out, std::size_t bytes, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd, out + done, std::min<std::size_t>(bytes - done, std::size_t{1} << 30),
                              static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("load_csr", path, "read failed at byte ", done, ": ",
                     n == 0 ? "unexpected end of file" : std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

std::shared_ptr<FileImage> open_image(const std::filesystem::path& path, LoadMode mode) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("load_csr", path, "cannot open: ", std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("load_csr", path, "cannot stat: ", std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail("load_csr", path, "not a regular file");
  const auto bytes = static_cast<std::size_t>(st.st_size);
  if (bytes < sizeof(detail::FileHeader))
    fail("load_csr", path, "file is ", bytes, " bytes vs at least ", sizeof(detail::FileHeader),
         " for the header (truncated or not a moegnn graph file)");
  auto image = std::make_shared<FileImage>();
  image->bytes = bytes;
  if (mode == LoadMode::Mmap) {
    // Private and writable: a stray write through a copied array changes that page of this process
    // only (copy-on-write), never the file, and never faults.
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) fail("load_csr", path, "mmap failed: ", std::strerror(errno));
    image->data = static_cast<std::uint8_t*>(p);
    image->mapped = true;
  } else {
    image->buffer = Storage::allocate(bytes, Device::Cpu);
    image->data = static_cast<std::uint8_t*>(image->buffer->data());
    read_all(fd, image->data, bytes, path);
  }
  return image;
}

// Printable form of the 8 magic bytes.
std::string quoted(const char (&magic)[8]) {
  std::string out = "\"";
  for (const char c : magic) {
    if (c >= 32 && c < 127) {
      out += c;
    } else {
      static const char* hex = "0123456789abcdef";
      const auto u = static_cast<unsigned char>(c);
      out.append("\\x").push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    }
  }
  return out + "\"";
}

}  // namespace

Csr load_csr(const std::filesystem::path& path, LoadMode mode, bool verify_checksum) {
  // 1. Bytes and header.
  const std::shared_ptr<FileImage> image = open_image(path, mode);
  detail::FileHeader h;
  std::memcpy(&h, image->data, sizeof(h));
  if (std::memcmp(h.magic, detail::kCsrMagic, sizeof(h.magic)) != 0)
    fail("load_csr", path, "bad magic: ", quoted(h.magic), " vs \"MOEGNNG\\x00\"; not a moegnn graph file");
  // 2. Layout against the file, then the checksum.
  const std::string layout = detail::layout_error(h, image->bytes);
  if (!layout.empty()) fail("load_csr", path, layout);
  if (verify_checksum) {
    const std::uint32_t crc = detail::file_crc(image->data, image->bytes);
    if (crc != h.crc32)
      fail("load_csr", path, "checksum mismatch: CRC-32 ", crc, " vs ", h.crc32,
           " in the header; the file is corrupt");
  }
  // 3. Arrays viewing the image; each view keeps the image (and its mapping) alive.
  const auto view = [&](std::uint64_t offset, std::uint64_t bytes) {
    return Storage::adopt(image->data + offset, bytes, Device::Cpu, [image](void*) {});
  };
  const auto nnz_bytes = static_cast<std::uint64_t>(h.nnz) * 4;
  EdgeIds row_ptr(view(h.row_ptr_offset, static_cast<std::uint64_t>(h.num_rows + 1) * 8),
                  h.num_rows + 1);
  NodeIds col_idx(view(h.col_idx_offset, nnz_bytes), h.nnz);
  Tensor values = (h.flags & detail::kFlagValues) != 0
                      ? Tensor::from_storage(view(h.values_offset, nnz_bytes), h.nnz, 1)
                      : Tensor();
  // 4. Structure, as for any untrusted input.
  try {
    return Csr(h.num_rows, h.num_cols, std::move(row_ptr), std::move(col_idx), std::move(values),
               Validate::Full);
  } catch (const InvalidArgument& e) {
    fail("load_csr", path, "invalid graph structure: ", e.what());
  }
}

}  // namespace moegnn::graph
