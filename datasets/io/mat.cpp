// SPDX-License-Identifier: Apache-2.0
// MAT-file level on libmatio: the structural walk first (mat_check.cpp), then matio opens a private
// copy of the checked bytes read-only (a memfd; for v7.3 a temporary file), every variable's info
// (class, dims, nnz) is checked against the limit before matio reads its data, and each variable is
// converted (mat_convert.cpp). matio reports errors through its logger, which is replaced by one
// that keeps the text for our IoError; calls into matio (and HDF5, which is not thread-safe) are
// serialised. Also the checked accessors of MatArray/MatFile.
#include "datasets/io/mat.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>

#include <matio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "datasets/io/detail/mat_reader.h"
#include "datasets/io/file.h"

namespace moegnn::datasets::io {
namespace {

constexpr std::size_t kMaxLogBytes = 2048;

std::mutex& matio_mutex() {
  static std::mutex m;
  return m;
}

std::string& matio_log() {  // guarded by matio_mutex()
  static std::string log;
  return log;
}

// matio's logger: keeps warnings and errors (not debug output) for the next IoError instead of
// printing them. matio's default logger aborts on MATIO_LOG_LEVEL_ERROR; matio's read paths log
// only at CRITICAL or below.
void capture_log(int level, char* message) {
  if ((level & (MATIO_LOG_LEVEL_ERROR | MATIO_LOG_LEVEL_CRITICAL | MATIO_LOG_LEVEL_WARNING)) == 0)
    return;
  std::string& log = matio_log();
  if (log.size() >= kMaxLogBytes || message == nullptr) return;
  if (!log.empty()) log += "; ";
  for (const char* c = message; *c != '\0' && log.size() < kMaxLogBytes; ++c) {
    if (*c != '\n') {
      log += *c;
      continue;
    }
    while (c[1] == ' ') ++c;  // HDF5's messages: indented continuation lines
    if (!log.empty() && log.back() != ' ') log += ' ';
  }
}

// "matio: <its messages>" or "matio gave no message".
std::string matio_says() {
  std::string& log = matio_log();
  std::string out = log.empty() ? std::string("matio gave no message") : "matio: " + log;
  log.clear();
  return out;
}

struct MatCloser {
  void operator()(mat_t* m) const { Mat_Close(m); }
};
struct VarFreer {
  void operator()(matvar_t* v) const { Mat_VarFree(v); }
};
using MatHandle = std::unique_ptr<mat_t, MatCloser>;
using VarHandle = std::unique_ptr<matvar_t, VarFreer>;

// A file descriptor closed on scope exit, and the file removed when it has a `path`.
struct Fd {
  int fd = -1;
  std::string path{};
  ~Fd() {
    if (fd >= 0) close(fd);
    if (!path.empty()) unlink(path.c_str());
  }
};

// `bytes` in an anonymous memory file (v5: matio reads it through /proc/self/fd/N) or, for HDF5,
// which resolves the name it opens, in a private temporary file; the name matio opens.
std::string private_copy(std::string_view bytes, const std::string& source, bool hdf5, Fd& fd) {
  if (hdf5) {
    std::string name = (std::filesystem::temp_directory_path() / "moegnn-mat-XXXXXX").string();
    fd.fd = mkstemp(name.data());
    if (fd.fd >= 0) fd.path = name;
  } else {
    fd.fd = memfd_create("moegnn-mat", MFD_CLOEXEC);
  }
  MOEGNN_CHECK_AS(IoError, "read_mat", fd.fd >= 0, source,
                  ": cannot make a private copy for libmatio (memfd_create/mkstemp failed); read "
                  "the file with read_mat(path)");
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = write(fd.fd, bytes.data() + done, bytes.size() - done);
    MOEGNN_CHECK_AS(IoError, "read_mat", n > 0, source, ": writing ", bytes.size(),
                    " bytes to a private copy failed at byte ", done);
    done += static_cast<std::size_t>(n);
  }
  return hdf5 ? fd.path : "/proc/self/fd/" + std::to_string(fd.fd);
}

std::string var_source(const std::string& file, const matvar_t& v) {
  std::string out = file;
  out += ':';
  out += v.name != nullptr ? v.name : "";
  return out;
}

// Checks `bytes`, then reads them with matio from a private copy.
MatFile read_with_matio(std::string_view bytes, std::string source, const MatOptions& options) {
  const std::size_t limit = options.max_inflated_bytes != 0 ? options.max_inflated_bytes
                                                            : default_inflate_limit(bytes.size());
  const detail::MatLayout layout = detail::check_mat_layout(bytes, source, limit);
  MatFile file;
  file.source = std::move(source);
  file.header = layout.header;
  file.big_endian = layout.big_endian;
  if (layout.hdf5 && !options.allow_v73)
    ::moegnn::detail::throw_error<Unsupported>(
        "read_mat", file.source,
        ": a MAT-file of version 7.3 (HDF5) vs version 5 or 7 (HDF5 is not hardened against "
        "corrupt files); set MatOptions::allow_v73 for a file you trust, or re-save it with "
        "save -v7");
  if (!layout.hdf5 && layout.variables == 0) return file;
  Fd copy;
  const std::string matio_path = private_copy(bytes, file.source, layout.hdf5, copy);

  const std::lock_guard<std::mutex> lock(matio_mutex());
  static const bool installed = [] {
    Mat_LogInitFunc("moegnn", capture_log);
    return true;
  }();
  (void)installed;
  matio_log().clear();
  const MatHandle mat(Mat_Open(matio_path.c_str(), MAT_ACC_RDONLY));
  MOEGNN_CHECK_AS(IoError, "read_mat", mat != nullptr, file.source, ": matio cannot open it (",
                  matio_says(), ")");
  // 1. Every variable's info, checked before any data is read.
  std::vector<std::string> names;
  while (const VarHandle info{Mat_VarReadNextInfo(mat.get())}) {
    const std::string where = var_source(file.source, *info);
    const std::uint64_t need = detail::declared_data_bytes(*info);
    MOEGNN_CHECK_AS(IoError, "read_mat", need <= limit, where, ": declares ", need,
                    " bytes of data vs the limit of ", limit,
                    " (MatOptions::max_inflated_bytes); the file is corrupt, or raise the limit");
    names.push_back(where);
  }
  if (layout.hdf5)  // HDF5 opens the file lazily: its errors surface here
    MOEGNN_CHECK_AS(IoError, "read_mat", matio_log().empty(), file.source,
                    ": matio cannot open it as HDF5 (MAT 7.3) (", matio_says(), ")");
  MOEGNN_CHECK_AS(IoError, "read_mat", layout.hdf5 || names.size() == layout.variables, file.source,
                  ": matio read the headers of ", names.size(), " variables vs ", layout.variables,
                  " in the file (", matio_says(), ")");
  // 2. The data.
  Mat_Rewind(mat.get());
  for (const std::string& where : names) {
    const VarHandle v{Mat_VarReadNext(mat.get())};
    MOEGNN_CHECK_AS(IoError, "read_mat", v != nullptr, where, ": matio cannot read its data (",
                    matio_says(), ")");
    file.variables.push_back(
        detail::convert_matvar(*v, var_source(file.source, *v), detail::kMaxMatDepth));
  }
  return file;
}

}  // namespace

std::string_view to_string(MatClass mat_class) {
  static constexpr std::string_view kNames[] = {"cell",   "struct", "object", "char",  "sparse",
                                                "double", "single", "int8",   "uint8", "int16",
                                                "uint16", "int32",  "uint32", "int64", "uint64"};
  const auto i = static_cast<int>(mat_class) - 1;
  return i >= 0 && i < 15 ? kNames[i] : std::string_view("unknown");
}

Index MatArray::numel() const {
  Index n = 1;
  for (const Index d : dims) n *= d;
  return n;
}

const NpyArray& MatArray::numeric() const {
  const bool numeric = mat_class >= MatClass::Double;
  MOEGNN_CHECK_AS(IoError, "MatArray::numeric", numeric, source, " is a ", to_string(mat_class),
                  " array vs a numeric or logical one");
  return real;
}

const MatSparse& MatArray::sparse_matrix() const {
  MOEGNN_CHECK_AS(IoError, "MatArray::sparse_matrix", mat_class == MatClass::Sparse, source,
                  " is a ", to_string(mat_class), " array vs a sparse one");
  return sparse;
}

const std::string& MatArray::text() const {
  static const std::string kEmpty;
  MOEGNN_CHECK_AS(IoError, "MatArray::text", mat_class == MatClass::Char && strings.size() <= 1,
                  source, " is a ", to_string(mat_class), " array of ", strings.size(),
                  " rows vs a char array of one row");
  return strings.empty() ? kEmpty : strings.front();
}

const MatArray& MatArray::field(std::string_view name, Index element) const {
  MOEGNN_CHECK_AS(IoError, "MatArray::field", mat_class == MatClass::Struct, source, " is a ",
                  to_string(mat_class), " array vs a struct");
  MOEGNN_CHECK_AS(IoError, "MatArray::field", element >= 0 && element < numel(), source,
                  ": element ", element, " vs [0, ", numel(), ")");
  const auto it = std::find(field_names.begin(), field_names.end(), name);
  MOEGNN_CHECK_AS(IoError, "MatArray::field", it != field_names.end(), source, ": no field '", name,
                  "' vs the ", field_names.size(), " fields of the struct");
  const auto f = static_cast<std::size_t>(it - field_names.begin());
  return elements[static_cast<std::size_t>(element) * field_names.size() + f];
}

double MatArray::scalar() const {
  const NpyArray& a = numeric();
  MOEGNN_CHECK_AS(IoError, "MatArray::scalar", a.size() == 1, source, " holds ", a.size(),
                  " elements vs 1");
  if (a.dtype() == NpyDType::Float64) return *static_cast<const double*>(a.data());
  if (a.dtype() == NpyDType::Float32) return *static_cast<const float*>(a.data());
  return static_cast<double>(a.to_int64()[0]);
}

const MatArray* MatFile::find(std::string_view name) const {
  for (auto it = variables.rbegin(); it != variables.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

const MatArray& MatFile::at(std::string_view name) const {
  const MatArray* v = find(name);
  if (v != nullptr) return *v;
  std::string names;
  for (const MatArray& a : variables) names += (names.empty() ? "'" : ", '") + a.name + "'";
  MOEGNN_FAIL(IoError, "read_mat", source, ": no variable '", name, "' vs ",
              names.empty() ? std::string("none") : names);
}

MatFile parse_mat(std::string_view bytes, std::string source, const MatOptions& options) {
  return read_with_matio(bytes, std::move(source), options);
}

MatFile read_mat(const std::filesystem::path& path, const MatOptions& options) {
  // Through a private copy, not the path: matio must read the very bytes the walk checked.
  return parse_mat(read_file(path), path.string(), options);
}

}  // namespace moegnn::datasets::io
