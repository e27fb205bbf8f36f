// SPDX-License-Identifier: Apache-2.0
// The power-law generator, its chunked writer and the reader of its directory.
#include "datasets/powerlaw.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "datasets/detail/atomic_file.h"
#include "datasets/detail/container.h"
#include "datasets/io/file.h"
#include "datasets/io/npy.h"
#include "datasets/split.h"
#include "graph/generators.h"
#include "graph/io.h"

namespace moegnn::datasets {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGraphFile = "graph.bin";
constexpr const char* kFeaturesFile = "features.npy";
constexpr const char* kLabelsFile = "labels.npy";
constexpr const char* kSplitFile = "split.npy";
constexpr const char* kManifestFile = "manifest.npy";
constexpr std::size_t kManifestSize = 8;
constexpr Index kMaxNodes = std::numeric_limits<std::int32_t>::max();

// Every random choice of the dataset, drawn from the seed in a fixed order, so that both forms
// (in memory and on disk) make the same dataset.
struct Plan {
  std::uint64_t label_key = 0;
  std::uint64_t graph_seed = 0;
  std::uint64_t split_seed = 0;
  std::uint64_t feature_key = 0;
  Matrix means;  // num_classes × num_features
};

Plan make_plan(const PowerlawOptions& o) {
  Rng rng(o.seed);
  Plan p;
  p.label_key = rng.split();
  p.graph_seed = rng.next_u64();
  p.split_seed = rng.next_u64();
  p.feature_key = rng.split();
  p.means.resize(o.num_classes, o.num_features);
  for (Index c = 0; c < o.num_classes; ++c) {
    for (Index j = 0; j < o.num_features; ++j) p.means(c, j) = rng.normal();
    const float norm = p.means.row(c).norm();
    if (norm > 0.0f) p.means.row(c) *= static_cast<float>(o.feature_signal) / norm;
  }
  return p;
}

// Uniform labels, node i from Rng::bits(key, i) (multiply-shift; bias below C / 2^32).
std::vector<std::int32_t> draw_labels(Index n, Index num_classes, std::uint64_t key) {
  std::vector<std::int32_t> labels(static_cast<std::size_t>(n));
  const auto c = static_cast<std::uint64_t>(num_classes);
  parallel_for(0, n, [&](Index i) {
    const std::uint64_t high = Rng::bits(key, static_cast<std::uint64_t>(i)) >> 32;
    labels[static_cast<std::size_t>(i)] = static_cast<std::int32_t>((high * c) >> 32);
  }, 1 << 14);
  return labels;
}

graph::Csr draw_graph(const PowerlawOptions& o, std::uint64_t seed) {
  graph::RmatOptions r;
  r.num_nodes = o.num_nodes;
  r.num_edges = static_cast<graph::EdgeId>(
      std::llround(static_cast<double>(o.num_nodes) * o.avg_degree / 2.0));
  r.a = o.a;
  r.b = o.b;
  r.c = o.c;
  r.symmetric = true;
  r.self_loops = false;
  r.scramble = true;
  r.seed = seed;
  return graph::rmat(r);
}

// Feature rows [begin, end) into out (row begin first). Row i depends on (key, i, label) only.
void fill_rows(const Plan& p, const std::vector<std::int32_t>& labels, Index begin, Index end,
               float* out) {
  const Index f = p.means.cols();
  parallel_for(begin, end, [&](Index i) {
    Rng rng(Rng::bits(p.feature_key, static_cast<std::uint64_t>(i)));
    const Index c = labels[static_cast<std::size_t>(i)];
    float* row = out + (i - begin) * f;
    for (Index j = 0; j < f; ++j) row[j] = p.means(c, j) + rng.normal();
  }, std::max<Index>(1, 16384 / f));
}

std::string dataset_name(Index n, Index f, Index c, std::uint64_t seed) {
  std::ostringstream name;
  name << "powerlaw-n" << n << "-f" << f << "-c" << c << "-s" << seed;
  return name.str();
}

// A version 1.0 .npy header as NumPy writes it, padded with spaces so that the data starts at a
// multiple of 64 bytes (the alignment Storage::adopt needs when the file is mapped).
std::string npy_header(std::string_view descr, std::initializer_list<Index> shape) {
  std::string dict = "{'descr': '";
  dict.append(descr).append("', 'fortran_order': False, 'shape': (");
  for (const Index d : shape) dict.append(std::to_string(d)).append(shape.size() == 1 ? "," : ", ");
  if (shape.size() > 1) dict.resize(dict.size() - 2);
  dict.append("), }");
  const std::size_t total = (10 + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - 10 - dict.size() - 1, ' ').push_back('\n');
  std::string header("\x93NUMPY\x01\x00", 8);
  const auto length = static_cast<std::uint16_t>(dict.size());
  header.push_back(static_cast<char>(length & 0xff));
  header.push_back(static_cast<char>(length >> 8));
  return header + dict;
}

// Writes a 1-D array atomically; returns the CRC-32 of the file's bytes continued from `crc`.
template <typename T>
std::uint32_t write_vector(const fs::path& path, std::string_view descr, const std::vector<T>& v,
                           std::uint32_t crc) {
  const std::string header = npy_header(descr, {static_cast<Index>(v.size())});
  detail::AtomicFile file(path, detail::temporary_name(path));
  file.write(header);
  file.write(v.data(), v.size() * sizeof(T));
  file.commit();
  crc = detail::crc32_bytes(crc, header.data(), header.size());
  return detail::crc32_bytes(crc, v.data(), v.size() * sizeof(T));
}

// The features, chunk_rows rows at a time through one buffer; returns the file's CRC-32.
std::uint32_t write_features(const fs::path& path, const Plan& plan,
                             const std::vector<std::int32_t>& labels, Index chunk_rows) {
  const auto n = static_cast<Index>(labels.size());
  const Index f = plan.means.cols();
  const std::string header = npy_header("<f4", {n, f});
  detail::AtomicFile file(path, detail::temporary_name(path));
  file.write(header);
  std::uint32_t crc = detail::crc32_bytes(0, header.data(), header.size());
  std::vector<float> buffer(static_cast<std::size_t>(chunk_rows * f));
  for (Index begin = 0; begin < n; begin += chunk_rows) {
    const Index end = std::min(n, begin + chunk_rows);
    fill_rows(plan, labels, begin, end, buffer.data());
    const auto bytes = static_cast<std::size_t>((end - begin) * f) * sizeof(float);
    file.write(buffer.data(), bytes);
    crc = detail::crc32_bytes(crc, buffer.data(), bytes);
  }
  file.commit();
  return crc;
}

// A read-only view of a whole file (private writable mapping, as graph/io.cpp does, so arrays
// handed out may be written without touching the file).
struct Mapping {
  void* data = nullptr;
  std::size_t bytes = 0;
  ~Mapping() {
    if (data != nullptr) ::munmap(data, bytes);
  }
  std::string_view view() const { return {static_cast<const char*>(data), bytes}; }
};

std::shared_ptr<Mapping> map_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", fd >= 0, path.string(), ": cannot open: ",
                  std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode),
                  path.string(), ": not a readable regular file");
  auto m = std::make_shared<Mapping>();
  m->bytes = static_cast<std::size_t>(st.st_size);
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", m->bytes >= 10, path.string(), ": file is ", m->bytes,
                  " bytes vs at least 10 for a .npy header (truncated)");
  void* p = ::mmap(nullptr, m->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", p != MAP_FAILED, path.string(), ": mmap failed: ",
                  std::strerror(errno));
  m->data = p;
  return m;
}

void check_crc(const fs::path& path, std::uint32_t got, std::int64_t expected) {
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", static_cast<std::int64_t>(got) == expected,
                  path.string(), ": checksum mismatch: CRC-32 ", got, " vs ", expected, " in ",
                  kManifestFile, "; the file is corrupt or from another run");
}

// Features viewing the mapped file when the header is the one write_powerlaw writes; otherwise
// parsed (and converted) by the .npy reader.
Tensor load_features(const fs::path& path, Index n, Index f, bool verify, std::int64_t crc) {
  const std::shared_ptr<Mapping> m = map_file(path);
  if (verify) check_crc(path, detail::crc32_bytes(0, m->data, m->bytes), crc);
  const std::string header = npy_header("<f4", {n, f});
  const std::size_t data_bytes = static_cast<std::size_t>(n * f) * sizeof(float);
  if (m->view().starts_with(header)) {
    MOEGNN_CHECK_AS(IoError, "load_powerlaw", m->bytes == header.size() + data_bytes,
                    path.string(), ": file is ", m->bytes, " bytes vs ", header.size() + data_bytes,
                    " for a (", n, ", ", f, ") float32 array (truncated or padded)");
    auto storage = Storage::adopt(static_cast<char*>(m->data) + header.size(), data_bytes,
                                  Device::Cpu, [m](void*) {});
    return Tensor::from_storage(std::move(storage), n, f);
  }
  const io::NpyArray a = io::parse_npy(m->view(), path.string());
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", a.shape() == std::vector<Index>({n, f}),
                  path.string(), ": shape ", a.shape_string(), " vs (", n, ", ", f, ")");
  return a.to_tensor();
}

// A 1-D integer .npy of n entries, from bytes already read.
std::vector<std::int32_t> parse_vector(std::string_view bytes, const fs::path& path, Index n) {
  const io::NpyArray a = io::parse_npy(bytes, path.string());
  MOEGNN_CHECK_AS(IoError, "load_powerlaw", a.shape() == std::vector<Index>({n}), path.string(),
                  ": shape ", a.shape_string(), " vs (", n, ",)");
  return a.to_int32();
}

}  // namespace

void check(const PowerlawOptions& o) {
  const char* fn = "powerlaw";
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.num_nodes >= 2 && o.num_nodes <= kMaxNodes,
                  "num_nodes is ", o.num_nodes, " vs [2, 2^31)");
  MOEGNN_CHECK_AS(InvalidArgument, fn,
                  std::isfinite(o.avg_degree) && o.avg_degree >= 0.0 &&
                      o.avg_degree <= static_cast<double>(o.num_nodes - 1),
                  "avg_degree is ", o.avg_degree, " vs [0, num_nodes - 1 = ", o.num_nodes - 1, "]");
  MOEGNN_CHECK_AS(InvalidArgument, fn,
                  o.a >= 0.0 && o.b >= 0.0 && o.c >= 0.0 && o.a + o.b + o.c <= 1.0 + 1e-12,
                  "R-MAT probabilities a, b, c are ", o.a, ", ", o.b, ", ", o.c,
                  " vs non-negative with a + b + c <= 1");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.num_classes >= 1 && o.num_classes <= o.num_nodes,
                  "num_classes is ", o.num_classes, " vs [1, num_nodes = ", o.num_nodes, "]");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.num_features >= 1, "num_features is ", o.num_features,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.num_features <= (Index{1} << 60) / o.num_nodes,
                  "num_nodes × num_features is ", o.num_nodes, " × ", o.num_features,
                  " vs at most 2^60 values");
  MOEGNN_CHECK_AS(InvalidArgument, fn, std::isfinite(o.feature_signal) && o.feature_signal >= 0.0,
                  "feature_signal is ", o.feature_signal, " vs finite and >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, fn, o.chunk_rows >= 0, "chunk_rows is ", o.chunk_rows,
                  " vs >= 0 (0 picks a default)");
  MOEGNN_CHECK_AS(InvalidArgument, fn,
                  o.train_fraction >= 0.0 && o.val_fraction >= 0.0 &&
                      o.train_fraction + o.val_fraction <= 1.0,
                  "train_fraction, val_fraction are ", o.train_fraction, ", ", o.val_fraction,
                  " vs in [0, 1] with a sum <= 1");
}

NodeDataset powerlaw(const PowerlawOptions& options) {
  check(options);
  const Plan plan = make_plan(options);
  const std::vector<std::int32_t> labels =
      draw_labels(options.num_nodes, options.num_classes, plan.label_key);
  NodeDataset d;
  d.graph = draw_graph(options, plan.graph_seed);
  d.features = Tensor::empty(options.num_nodes, options.num_features);
  fill_rows(plan, labels, 0, options.num_nodes, d.features.data());
  NodeSplit split = random_split(options.num_nodes, options.train_fraction, options.val_fraction,
                             plan.split_seed);
  d.labels = IndexArray32(labels);
  d.train = std::move(split.train);
  d.val = std::move(split.val);
  d.test = std::move(split.test);
  d.num_classes = options.num_classes;
  d.name = dataset_name(options.num_nodes, options.num_features, options.num_classes,
                        options.seed);
  return d;
}

Index powerlaw_chunk_rows(const PowerlawOptions& options) {
  check(options);
  const Index n = options.num_nodes;
  if (options.chunk_rows > 0) return std::min(options.chunk_rows, n);
  const auto row_bytes = options.num_features * static_cast<Index>(sizeof(float));
  return std::clamp<Index>(static_cast<Index>(kPowerlawDefaultChunkBytes) / row_bytes, 1, n);
}

PowerlawWriteStats write_powerlaw(const PowerlawOptions& options, const fs::path& directory) {
  check(options);
  const Index n = options.num_nodes;
  const Index f = options.num_features;
  PowerlawWriteStats stats;
  stats.chunk_rows = powerlaw_chunk_rows(options);
  stats.num_chunks = (n + stats.chunk_rows - 1) / stats.chunk_rows;
  stats.feature_buffer_bytes = static_cast<std::size_t>(stats.chunk_rows * f) * sizeof(float);
  // 1. No manifest while the files change: a reader never pairs old and new files.
  std::error_code error;
  fs::create_directories(directory, error);
  MOEGNN_CHECK_AS(IoError, "write_powerlaw", !error, directory.string(),
                  ": cannot create the directory: ", error.message());
  fs::remove(directory / kManifestFile, error);
  MOEGNN_CHECK_AS(IoError, "write_powerlaw", !error, (directory / kManifestFile).string(),
                  ": cannot remove the old manifest: ", error.message());
  // Temporaries an interrupted earlier write left (".<file>.tmp.<pid>.<n>", never renamed).
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".") && name.find(".tmp.") != std::string::npos)
      stale.push_back(entry.path());
  }
  for (const fs::path& path : stale) fs::remove(path, error);
  // 2. Graph (built, written, released), labels and split, then the features chunk by chunk.
  const Plan plan = make_plan(options);
  {
    const graph::Csr g = draw_graph(options, plan.graph_seed);
    stats.num_edges = g.num_edges();
    graph::save_csr(g, directory / kGraphFile);
  }
  const std::vector<std::int32_t> labels = draw_labels(n, options.num_classes, plan.label_key);
  std::vector<std::int8_t> parts(static_cast<std::size_t>(n), 2);
  {
    const NodeSplit split =
        random_split(n, options.train_fraction, options.val_fraction, plan.split_seed);
    for (const std::int32_t v : split.train.host()) parts[static_cast<std::size_t>(v)] = 0;
    for (const std::int32_t v : split.val.host()) parts[static_cast<std::size_t>(v)] = 1;
  }
  std::uint32_t meta_crc = write_vector(directory / kLabelsFile, "<i4", labels, 0);
  meta_crc = write_vector(directory / kSplitFile, "|i1", parts, meta_crc);
  const std::uint32_t features_crc =
      write_features(directory / kFeaturesFile, plan, labels, stats.chunk_rows);
  // 3. The manifest last.
  const std::vector<std::int64_t> manifest = {
      kPowerlawFormatVersion, n, f, options.num_classes, stats.num_edges,
      static_cast<std::int64_t>(options.seed), features_crc, meta_crc};
  write_vector(directory / kManifestFile, "<i8", manifest, 0);
  return stats;
}

NodeDataset load_powerlaw(const fs::path& directory, bool verify_checksum) {
  const char* fn = "load_powerlaw";
  // 1. The manifest: present (the directory is complete), this version, sane sizes.
  const fs::path manifest_path = directory / kManifestFile;
  MOEGNN_CHECK_AS(IoError, fn, fs::is_regular_file(manifest_path), manifest_path.string(),
                  ": missing; the directory is incomplete (writing was interrupted) or was not "
                  "written by write_powerlaw");
  const io::NpyArray manifest_array = io::read_npy(manifest_path);
  MOEGNN_CHECK_AS(IoError, fn,
                  manifest_array.shape() == std::vector<Index>({Index{kManifestSize}}),
                  manifest_path.string(), ": shape ", manifest_array.shape_string(), " vs (",
                  kManifestSize, ",)");
  const std::vector<std::int64_t> m = manifest_array.to_int64();
  MOEGNN_CHECK_AS(IoError, fn, m[0] == kPowerlawFormatVersion, manifest_path.string(),
                  ": format version ", m[0], " vs ", kPowerlawFormatVersion);
  const Index n = m[1];
  const Index f = m[2];
  const Index num_classes = m[3];
  MOEGNN_CHECK_AS(IoError, fn,
                  n >= 2 && n <= kMaxNodes && f >= 1 && f <= (Index{1} << 60) / n &&
                      num_classes >= 1 && num_classes <= n && m[4] >= 0,
                  manifest_path.string(), ": num_nodes, num_features, num_classes, num_edges are ",
                  n, ", ", f, ", ", num_classes, ", ", m[4], " vs a valid dataset's");
  // 2. Graph, labels and split, each against the manifest.
  NodeDataset d;
  d.graph = graph::load_csr(directory / kGraphFile, graph::LoadMode::Mmap, verify_checksum);
  MOEGNN_CHECK_AS(IoError, fn, d.graph.num_nodes() == n && d.graph.num_edges() == m[4],
                  (directory / kGraphFile).string(), ": ", d.graph.num_nodes(), " nodes and ",
                  d.graph.num_edges(), " edges vs ", n, " and ", m[4], " in the manifest");
  const std::string label_bytes = io::read_file(directory / kLabelsFile);
  const std::string split_bytes = io::read_file(directory / kSplitFile);
  if (verify_checksum) {
    const std::uint32_t crc = detail::crc32_bytes(
        detail::crc32_bytes(0, label_bytes.data(), label_bytes.size()), split_bytes.data(),
        split_bytes.size());
    check_crc(directory / kLabelsFile, crc, m[7]);
  }
  d.labels = IndexArray32(parse_vector(label_bytes, directory / kLabelsFile, n));
  std::vector<std::int32_t> part_of[3];
  const std::vector<std::int32_t> parts = parse_vector(split_bytes, directory / kSplitFile, n);
  for (Index v = 0; v < n; ++v) {
    const std::int32_t p = parts[static_cast<std::size_t>(v)];
    MOEGNN_CHECK_AS(IoError, fn, p >= 0 && p <= 2, (directory / kSplitFile).string(), ": node ",
                    v, " is in part ", p, " vs 0 (train), 1 (val) or 2 (test)");
    part_of[p].push_back(static_cast<std::int32_t>(v));
  }
  d.train = IndexArray32(part_of[0]);
  d.val = IndexArray32(part_of[1]);
  d.test = IndexArray32(part_of[2]);
  // 3. Features, mapped.
  d.features = load_features(directory / kFeaturesFile, n, f, verify_checksum, m[6]);
  d.num_classes = num_classes;
  d.name = dataset_name(n, f, num_classes, static_cast<std::uint64_t>(m[5]));
  try {
    check(d);
  } catch (const InvalidArgument& e) {
    MOEGNN_FAIL(IoError, fn, directory.string(), ": invalid dataset: ", e.what());
  }
  return d;
}

}  // namespace moegnn::datasets
