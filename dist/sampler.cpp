// SPDX-License-Identifier: Apache-2.0
// Distributed neighbour sampling: requests to the rows' owners per hop, features per step.
#include "dist/sampler.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::dist {
using graph::EdgeId;
using graph::EdgeIds;
using graph::NodeId;
using graph::NodeIds;

DistSampler::DistSampler(const Part& part, Communicator& comm, graph::Csr prepared,
                         std::vector<int> fanouts)
    : part_(part), comm_(comm), prepared_(std::move(prepared)), fanouts_(std::move(fanouts)) {
  MOEGNN_CHECK_AS(InvalidArgument, "dist::DistSampler", !fanouts_.empty(),
                  "no fanouts vs one per layer");
  for (const int f : fanouts_)
    MOEGNN_CHECK_AS(InvalidArgument, "dist::DistSampler", f >= -1 && f != 0, "fanout ", f,
                    " vs >= 1 or -1 (all neighbours)");
  MOEGNN_CHECK_AS(InvalidArgument, "dist::DistSampler",
                  prepared_.num_rows() == part.num_owned() &&
                      prepared_.num_cols() == part.num_local(),
                  "graph ", prepared_.num_rows(), " × ", prepared_.num_cols(), " vs ",
                  part.num_owned(), " × ", part.num_local());
  local_global_.assign(part.owned.host().begin(), part.owned.host().end());
  local_global_.insert(local_global_.end(), part.halo.host().begin(), part.halo.host().end());
  local_owner_.assign(static_cast<std::size_t>(part.num_owned()),
                      static_cast<std::int32_t>(part.part_id));
  local_owner_.insert(local_owner_.end(), part.halo_owner.host().begin(),
                      part.halo_owner.host().end());
}

Index DistSampler::owned_row(std::int32_t global) const {
  const auto owned = part_.owned.host();
  const auto it = std::lower_bound(owned.begin(), owned.end(), global);
  MOEGNN_CHECK_AS(InvalidArgument, "dist::DistSampler", it != owned.end() && *it == global,
                  "node ", global, " was sent to part ", part_.part_id,
                  " vs its owner; the part set is inconsistent");
  return it - owned.begin();
}

// One hop: `frontier` (the layer's destinations) -> its block; frontier becomes the sources.
graph::Block DistSampler::sample_hop(std::vector<Node>& frontier, int fanout, std::uint64_t key) {
  const auto P = static_cast<std::size_t>(comm_.size());
  // Requests, grouped by owner; where[i]: (owner, position in that owner's list) of frontier[i].
  std::vector<std::vector<std::int32_t>> request(P);
  std::vector<std::pair<std::size_t, std::size_t>> where(frontier.size());
  for (std::size_t i = 0; i < frontier.size(); ++i) {
    auto& list = request[static_cast<std::size_t>(frontier[i].owner)];
    where[i] = {static_cast<std::size_t>(frontier[i].owner), list.size()};
    list.push_back(frontier[i].global);
  }
  std::vector<Index> counts;
  const std::vector<std::int32_t> asked = exchange_ids(comm_, request, counts);
  // Answers: per request [n, (global, owner, value bits) × n], grouped by the asking rank.
  const auto ptr = prepared_.row_ptr().host();
  const auto col = prepared_.col_idx().host();
  const float* val = prepared_.has_values() ? prepared_.values().data() : nullptr;
  std::vector<std::vector<std::int32_t>> answer(P);
  std::vector<EdgeId> picks;
  std::size_t at = 0;
  for (std::size_t p = 0; p < P; ++p)
    for (Index k = 0; k < counts[p]; ++k, ++at) {
      const std::int32_t v = asked[at];
      const Index row = owned_row(v);
      const EdgeId begin = ptr[static_cast<std::size_t>(row)];
      const EdgeId degree = ptr[static_cast<std::size_t>(row) + 1] - begin;
      picks.resize(static_cast<std::size_t>(degree));
      std::iota(picks.begin(), picks.end(), begin);
      EdgeId take = degree;
      if (fanout >= 0 && degree > fanout) {  // partial Fisher-Yates, keyed by the node alone
        Rng rng(Rng::bits(key, static_cast<std::uint64_t>(v)));
        take = fanout;
        for (EdgeId j = 0; j < take; ++j)
          std::swap(picks[static_cast<std::size_t>(j)],
                    picks[static_cast<std::size_t>(j) +
                          rng.below(static_cast<std::uint64_t>(degree - j))]);
      }
      auto& out = answer[p];
      out.push_back(static_cast<std::int32_t>(take));
      for (EdgeId j = 0; j < take; ++j) {
        const EdgeId e = picks[static_cast<std::size_t>(j)];
        const std::size_t c = static_cast<std::size_t>(col[static_cast<std::size_t>(e)]);
        const float w = val != nullptr ? val[e] : 1.0f;
        std::int32_t bits = 0;
        std::memcpy(&bits, &w, 4);
        out.insert(out.end(), {local_global_[c], local_owner_[c], bits});
      }
    }
  std::vector<Index> answer_counts;
  const std::vector<std::int32_t> answers = exchange_ids(comm_, answer, answer_counts);
  // Offsets of each answer: per owner, walk its answers in request order.
  std::vector<std::vector<std::size_t>> offset(P);
  std::size_t base = 0;
  for (std::size_t p = 0; p < P; ++p) {
    std::size_t o = base;
    for (std::size_t k = 0; k < request[p].size(); ++k) {
      offset[p].push_back(o);
      o += 1 + 3 * static_cast<std::size_t>(answers[o]);
    }
    base += static_cast<std::size_t>(answer_counts[p]);
  }
  // The block: destinations first, then new sources in order of first appearance.
  graph::Block block;
  block.num_dst = static_cast<Index>(frontier.size());
  std::unordered_map<std::int32_t, std::int32_t> local;
  for (std::size_t i = 0; i < frontier.size(); ++i)
    local.emplace(frontier[i].global, static_cast<std::int32_t>(i));
  std::vector<EdgeId> row_ptr{0};
  std::vector<NodeId> cols;
  std::vector<float> values;
  std::vector<std::pair<NodeId, float>> row;
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto [p, k] = where[i];
    std::size_t o = offset[p][k];
    const std::int32_t n = answers[o++];
    row.clear();
    for (std::int32_t j = 0; j < n; ++j, o += 3) {
      const auto [it, added] =
          local.emplace(answers[o], static_cast<std::int32_t>(frontier.size()));
      if (added) frontier.push_back({answers[o], answers[o + 1]});
      float w = 0.0f;
      std::memcpy(&w, &answers[o + 2], 4);
      row.emplace_back(it->second, w);
    }
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [c, w] : row) {
      cols.push_back(c);
      values.push_back(w);
    }
    row_ptr.push_back(static_cast<EdgeId>(cols.size()));
  }
  const auto num_src = static_cast<Index>(frontier.size());
  Tensor edge_values;
  if (prepared_.has_values())
    edge_values = Tensor::from_vector(static_cast<Index>(values.size()), 1, values);
  block.adj = graph::Csr(block.num_dst, num_src, EdgeIds(row_ptr), NodeIds(cols),
                         std::move(edge_values));
  std::vector<NodeId> src(frontier.size());
  for (std::size_t i = 0; i < frontier.size(); ++i) src[i] = frontier[i].global;
  block.src_nodes = NodeIds(src);
  return block;
}

Tensor DistSampler::fetch_features(const std::vector<Node>& nodes) {
  const auto P = static_cast<std::size_t>(comm_.size());
  std::vector<std::vector<std::int32_t>> request(P);
  std::vector<std::pair<std::size_t, std::size_t>> where(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto& list = request[static_cast<std::size_t>(nodes[i].owner)];
    where[i] = {static_cast<std::size_t>(nodes[i].owner), list.size()};
    list.push_back(nodes[i].global);
  }
  std::vector<Index> counts;
  const std::vector<std::int32_t> asked = exchange_ids(comm_, request, counts);
  const Index F = part_.features.cols();
  Tensor rows = Tensor::empty(static_cast<Index>(asked.size()), F);
  for (std::size_t k = 0; k < asked.size(); ++k)
    std::memcpy(rows.data() + static_cast<Index>(k) * F,
                part_.features.data() + owned_row(asked[k]) * F, static_cast<std::size_t>(F) * 4);
  std::vector<Index> back(P);
  for (std::size_t p = 0; p < P; ++p) back[p] = static_cast<Index>(request[p].size());
  const Tensor got = exchange_rows(comm_, rows, counts, back);
  std::vector<Index> start(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) start[p + 1] = start[p] + back[p];
  Tensor out = Tensor::empty(static_cast<Index>(nodes.size()), F);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto [p, k] = where[i];
    std::memcpy(out.data() + static_cast<Index>(i) * F,
                got.data() + (start[p] + static_cast<Index>(k)) * F, static_cast<std::size_t>(F) * 4);
  }
  return out;
}

SampledBatch DistSampler::sample(const std::vector<std::int32_t>& seeds, std::uint64_t key) {
  std::vector<Node> frontier;
  for (const std::int32_t s : seeds)
    frontier.push_back({part_.owned[s], static_cast<std::int32_t>(part_.part_id)});
  SampledBatch out;
  const std::size_t L = fanouts_.size();
  out.blocks.resize(L);
  for (std::size_t h = 0; h < L; ++h) {  // output layer first
    const std::size_t layer = L - 1 - h;
    out.blocks[layer] = sample_hop(frontier, fanouts_[layer], Rng::bits(key, h));
  }
  out.features = fetch_features(frontier);
  return out;
}

}  // namespace moegnn::dist
