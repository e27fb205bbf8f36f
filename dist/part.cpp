// SPDX-License-Identifier: Apache-2.0
// build_part: one part of a node dataset (owned rows with local column ids, the halo sorted by
// (owner, id), the send lists of the halo exchange). The files of a part set live in part_io.cpp.
#include "dist/part.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

#include "core/error.h"

namespace moegnn::dist {
namespace {

constexpr const char* kBuild = "dist::build_part";

void check_assignment(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                      Index part_id, Index num_parts) {
  const Index n = dataset.num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, kBuild, num_parts >= 1, "num_parts ", num_parts, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, kBuild, part_id >= 0 && part_id < num_parts,
                  "part_id out of range: ", part_id, " vs [0, ", num_parts, ")");
  MOEGNN_CHECK_AS(InvalidArgument, kBuild, assignment.size() == n, "assignment has ",
                  assignment.size(), " entries vs ", n, " nodes of the dataset");
  MOEGNN_CHECK_AS(InvalidArgument, kBuild, dataset.graph.device() == Device::Cpu &&
                      assignment.device() == Device::Cpu && dataset.features.device() == Device::Cpu,
                  "the dataset and the assignment must be on the CPU");
  const auto a = assignment.host();
  for (Index v = 0; v < n; ++v) {
    MOEGNN_CHECK_AS(InvalidArgument, kBuild, a[static_cast<std::size_t>(v)] >= 0 &&
                        a[static_cast<std::size_t>(v)] < num_parts,
                    "owner of node ", v, " out of range: ", a[static_cast<std::size_t>(v)],
                    " vs [0, ", num_parts, ")");
  }
}

// The split ids owned by this part, as local ids (ascending, since both lists are).
IndexArray32 local_split(const IndexArray32& ids, std::span<const std::int32_t> owner,
                         std::span<const std::int32_t> local, Index part_id) {
  std::vector<std::int32_t> out;
  for (const auto v : ids.host()) {
    if (owner[static_cast<std::size_t>(v)] == part_id) out.push_back(local[static_cast<std::size_t>(v)]);
  }
  return IndexArray32(out);
}

// Rows of the owned nodes with columns mapped to local ids and sorted (values follow).
graph::Csr local_graph(const graph::Csr& g, const Part& part,
                       std::span<const std::int32_t> local) {
  const Index rows = part.num_owned();
  graph::EdgeIds row_ptr(rows + 1);
  auto rp = row_ptr.host();
  rp[0] = 0;
  for (Index i = 0; i < rows; ++i) {
    rp[static_cast<std::size_t>(i) + 1] = rp[static_cast<std::size_t>(i)] + g.degree(part.owned[i]);
  }
  const auto nnz = rp[static_cast<std::size_t>(rows)];
  graph::NodeIds cols(nnz);
  Tensor values = g.has_values() ? Tensor::empty(nnz, 1) : Tensor{};
  const auto grp = g.row_ptr().host();
  const float* gv = g.has_values() ? g.values().data() : nullptr;
  std::vector<std::pair<std::int32_t, float>> row;
  for (Index i = 0; i < rows; ++i) {
    const Index v = part.owned[i];
    const auto nbrs = g.neighbors(v);
    const auto base = grp[static_cast<std::size_t>(v)];
    row.clear();
    for (std::size_t k = 0; k < nbrs.size(); ++k) {
      row.emplace_back(local[static_cast<std::size_t>(nbrs[k])],
                       gv ? gv[base + static_cast<graph::EdgeId>(k)] : 1.0f);
    }
    std::stable_sort(row.begin(), row.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    const auto out = rp[static_cast<std::size_t>(i)];
    for (std::size_t k = 0; k < row.size(); ++k) {
      cols.host()[static_cast<std::size_t>(out) + k] = row[k].first;
      if (gv) values.data()[static_cast<std::size_t>(out) + k] = row[k].second;
    }
  }
  return graph::Csr(rows, part.num_local(), std::move(row_ptr), std::move(cols), std::move(values),
                    graph::Validate::Trusted);
}

// Owned nodes (ascending), halo nodes (sorted by (owner, id)) and every node's local id (-1: not
// in the part); fills part.owned / halo / halo_owner / recv_offset.
std::vector<std::int32_t> assign_local_ids(const graph::Csr& g, std::span<const std::int32_t> owner,
                                           Part& part) {
  const Index n = g.num_nodes();
  const Index part_id = part.part_id;
  std::vector<std::int32_t> owned;
  for (Index v = 0; v < n; ++v) {
    if (owner[static_cast<std::size_t>(v)] == part_id) owned.push_back(static_cast<std::int32_t>(v));
  }
  std::vector<std::int32_t> local(static_cast<std::size_t>(n), -1);
  for (std::size_t i = 0; i < owned.size(); ++i) local[static_cast<std::size_t>(owned[i])] = static_cast<std::int32_t>(i);
  std::vector<std::int32_t> halo;
  for (const auto v : owned) {
    for (const auto u : g.neighbors(v)) {
      if (owner[static_cast<std::size_t>(u)] != part_id && local[static_cast<std::size_t>(u)] == -1) {
        local[static_cast<std::size_t>(u)] = 0;  // seen; its id is set after sorting
        halo.push_back(u);
      }
    }
  }
  std::sort(halo.begin(), halo.end(), [&](std::int32_t x, std::int32_t y) {
    const auto ox = owner[static_cast<std::size_t>(x)];
    const auto oy = owner[static_cast<std::size_t>(y)];
    return ox != oy ? ox < oy : x < y;
  });
  const auto num_owned = static_cast<std::int32_t>(owned.size());
  std::vector<std::int32_t> halo_owner(halo.size());
  part.recv_offset.assign(static_cast<std::size_t>(part.num_parts) + 1, 0);
  for (std::size_t j = 0; j < halo.size(); ++j) {
    local[static_cast<std::size_t>(halo[j])] = num_owned + static_cast<std::int32_t>(j);
    halo_owner[j] = owner[static_cast<std::size_t>(halo[j])];
    ++part.recv_offset[static_cast<std::size_t>(halo_owner[j]) + 1];
  }
  std::partial_sum(part.recv_offset.begin(), part.recv_offset.end(), part.recv_offset.begin());
  part.owned = IndexArray32(owned);
  part.halo = IndexArray32(halo);
  part.halo_owner = IndexArray32(halo_owner);
  return local;
}

// Features and labels of the owned rows, global degrees of the local nodes.
void gather_node_data(const datasets::NodeDataset& dataset, Part& part) {
  const graph::Csr& g = dataset.graph;
  std::vector<std::int32_t> degree;
  degree.reserve(static_cast<std::size_t>(part.num_local()));
  for (const auto v : part.owned.host()) degree.push_back(static_cast<std::int32_t>(g.degree(v)));
  for (const auto v : part.halo.host()) degree.push_back(static_cast<std::int32_t>(g.degree(v)));
  part.global_degree = IndexArray32(degree);
  const Index f = dataset.num_features();
  const auto owned = part.owned.host();
  part.features = Tensor::empty(part.num_owned(), f);
  if (f > 0) {
    for (std::size_t i = 0; i < owned.size(); ++i) {
      std::memcpy(part.features.data() + static_cast<std::ptrdiff_t>(i) * f,
                  dataset.features.data() + static_cast<std::ptrdiff_t>(owned[i]) * f,
                  static_cast<std::size_t>(f) * sizeof(float));
    }
  }
  std::vector<std::int32_t> labels(owned.size(), 0);
  if (dataset.labels.size() == dataset.num_nodes()) {
    const auto y = dataset.labels.host();
    for (std::size_t i = 0; i < owned.size(); ++i) labels[i] = y[static_cast<std::size_t>(owned[i])];
  }
  part.labels = IndexArray32(labels);
}

// send[q]: owned nodes u with an edge u -> v into a node v of part q (u in row v), ascending in
// global id, which is q's halo order within the range it receives from this part.
void build_send_lists(const graph::Csr& g, std::span<const std::int32_t> owner, Part& part) {
  const graph::Csr& out_edges = g.transpose();
  const auto np = static_cast<std::size_t>(part.num_parts);
  std::vector<std::vector<std::int32_t>> send(np);
  std::vector<std::int32_t> stamp(np, -1);
  const auto owned = part.owned.host();
  for (std::size_t i = 0; i < owned.size(); ++i) {
    for (const auto v : out_edges.neighbors(owned[i])) {
      const auto q = static_cast<std::size_t>(owner[static_cast<std::size_t>(v)]);
      if (static_cast<Index>(q) == part.part_id || stamp[q] == static_cast<std::int32_t>(i)) continue;
      stamp[q] = static_cast<std::int32_t>(i);
      send[q].push_back(static_cast<std::int32_t>(i));
    }
  }
  part.send.clear();
  for (const auto& s : send) part.send.emplace_back(s);
}

}  // namespace

Part build_part(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                Index part_id, Index num_parts) {
  check_assignment(dataset, assignment, part_id, num_parts);
  const auto owner = assignment.host();
  Part part;
  part.part_id = part_id;
  part.num_parts = num_parts;
  part.num_global_nodes = dataset.num_nodes();
  part.num_classes = dataset.num_classes;
  part.dataset_name = dataset.name;
  const std::vector<std::int32_t> local = assign_local_ids(dataset.graph, owner, part);
  part.graph = local_graph(dataset.graph, part, local);
  gather_node_data(dataset, part);
  part.train = local_split(dataset.train, owner, local, part_id);
  part.val = local_split(dataset.val, owner, local, part_id);
  part.test = local_split(dataset.test, owner, local, part_id);
  build_send_lists(dataset.graph, owner, part);
  return part;
}

}  // namespace moegnn::dist
