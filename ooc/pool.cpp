// SPDX-License-Identifier: Apache-2.0
#include "ooc/pool.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "datasets/atomic_file.h"
#include "graph/sampler.h"
#include "ooc/detail/binio.h"

namespace moegnn::ooc {
namespace {

constexpr std::uint64_t kPoolMagic = 0x31504f434f474d4dULL;  // "MMGOCOP1"
constexpr std::int64_t kMaxLen = std::int64_t{1} << 40;

template <typename T>
std::span<const T> span_of(const IndexArray<T>& a) {
  return a.host();
}

}  // namespace

namespace detail {

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  MOEGNN_CHECK_AS(IoError, "ooc::read", static_cast<bool>(in), path.string(),
                  ": cannot open (missing?); run prepare again");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace detail

BatchPool sample_pool(const graph::Csr& graph, const IndexArray32& train,
                      const PoolOptions& options) {
  MOEGNN_CHECK_AS(InvalidArgument, "sample_pool", options.batch_size >= 1, "batch_size is ",
                  options.batch_size, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "sample_pool",
                  options.seed_fraction > 0 && options.seed_fraction <= 1, "seed_fraction is ",
                  options.seed_fraction, " vs (0, 1]");
  MOEGNN_CHECK_AS(InvalidArgument, "sample_pool", options.max_batches >= 0, "max_batches is ",
                  options.max_batches, " vs >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "sample_pool", train.size() >= 1,
                  "an empty training set vs at least one seed");
  std::vector<graph::NodeId> seeds(train.host().begin(), train.host().end());
  Rng rng(options.seed);
  for (std::size_t i = seeds.size(); i > 1; --i)
    std::swap(seeds[i - 1], seeds[static_cast<std::size_t>(rng.below(i))]);
  auto keep = static_cast<std::size_t>(
      std::max(1.0, std::round(options.seed_fraction * static_cast<double>(seeds.size()))));
  if (options.max_batches > 0)
    keep = std::min(keep, static_cast<std::size_t>(options.max_batches * options.batch_size));
  seeds.resize(keep);
  BatchPool pool;
  pool.options = options;
  pool.num_nodes = graph.num_nodes();
  graph::NeighborSampler sampler(graph, options.fanouts);
  const auto bs = static_cast<std::size_t>(options.batch_size);
  for (std::size_t lo = 0, b = 0; lo < seeds.size(); lo += bs, ++b) {
    const std::size_t hi = std::min(seeds.size(), lo + bs);
    graph::NodeIds batch(std::span<const graph::NodeId>(seeds.data() + lo, hi - lo));
    Rng batch_rng(Rng::bits(options.seed, b));
    std::vector<graph::Block> blocks = sampler.sample(batch, batch_rng);
    pool.batches.push_back({std::move(batch), std::move(blocks)});
  }
  return pool;
}

std::vector<std::uint32_t> access_counts(const BatchPool& pool) {
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(pool.num_nodes), 0);
  for (const PoolBatch& b : pool.batches)
    for (graph::NodeId v : b.inputs().host()) ++counts[static_cast<std::size_t>(v)];
  return counts;
}

void save_pool(const BatchPool& pool, const std::filesystem::path& path) {
  detail::ByteWriter w;
  w.put<std::uint64_t>(kPoolMagic);
  w.put<std::int64_t>(pool.num_nodes);
  w.put<std::int64_t>(pool.options.batch_size);
  w.put<double>(pool.options.seed_fraction);
  w.put<std::int64_t>(pool.options.max_batches);
  w.put<std::uint64_t>(pool.options.seed);
  w.put_span(std::span<const int>(pool.options.fanouts));
  w.put<std::int64_t>(pool.size());
  for (const PoolBatch& b : pool.batches) {
    w.put_span(span_of(b.seeds));
    for (const graph::Block& k : b.blocks) {
      w.put<std::int64_t>(k.num_dst);
      w.put_span(span_of(k.adj.row_ptr()));
      w.put_span(span_of(k.adj.col_idx()));
      w.put_span(span_of(k.src_nodes));
      w.put_span(span_of(k.edge_ids));
      const Tensor& values = k.adj.values();
      w.put_span(std::span<const float>(values.empty() ? nullptr : values.data(),
                                        static_cast<std::size_t>(values.rows())));
    }
  }
  const std::string bytes = w.finish();
  datasets::AtomicFile out(path, datasets::temporary_name(path));
  out.write(bytes);
  out.commit();
}

BatchPool load_pool(const std::filesystem::path& path) {
  const std::string bytes = detail::read_whole(path);
  detail::ByteReader r(bytes, path);
  MOEGNN_CHECK_AS(IoError, "load_pool", r.get<std::uint64_t>() == kPoolMagic, path.string(),
                  ": not a batch pool (bad magic)");
  BatchPool pool;
  pool.num_nodes = r.get<std::int64_t>();
  pool.options.batch_size = r.get<std::int64_t>();
  pool.options.seed_fraction = r.get<double>();
  pool.options.max_batches = r.get<std::int64_t>();
  pool.options.seed = r.get<std::uint64_t>();
  pool.options.fanouts = r.get_vector<int>(64);
  const auto n = r.get<std::int64_t>();
  MOEGNN_CHECK_AS(IoError, "load_pool", n >= 0 && n < kMaxLen && !pool.options.fanouts.empty(),
                  path.string(), ": ", n, " batches of ", pool.options.fanouts.size(),
                  " layers vs a valid pool");
  for (std::int64_t b = 0; b < n; ++b) {
    PoolBatch batch;
    batch.seeds = graph::NodeIds(r.get_vector<graph::NodeId>(kMaxLen));
    for (std::size_t l = 0; l < pool.options.fanouts.size(); ++l) {
      graph::Block k;
      k.num_dst = r.get<std::int64_t>();
      graph::EdgeIds row_ptr(r.get_vector<graph::EdgeId>(kMaxLen));
      graph::NodeIds col_idx(r.get_vector<graph::NodeId>(kMaxLen));
      k.src_nodes = graph::NodeIds(r.get_vector<graph::NodeId>(kMaxLen));
      k.edge_ids = graph::EdgeIds(r.get_vector<graph::EdgeId>(kMaxLen));
      const std::vector<float> v = r.get_vector<float>(kMaxLen);
      const Tensor values =
          v.empty() ? Tensor() : Tensor::from_vector(static_cast<Index>(v.size()), 1, v);
      try {
        k.adj = graph::Csr(k.num_dst, k.src_nodes.size(), row_ptr, col_idx, values);
      } catch (const InvalidArgument& e) {
        MOEGNN_FAIL(IoError, "load_pool", path.string(), ": batch ", b, " layer ", l, ": ",
                    e.what());
      }
      batch.blocks.push_back(std::move(k));
    }
    pool.batches.push_back(std::move(batch));
  }
  MOEGNN_CHECK_AS(IoError, "load_pool", r.done(), path.string(), ": trailing bytes");
  return pool;
}

}  // namespace moegnn::ooc
