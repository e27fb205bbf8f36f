// SPDX-License-Identifier: Apache-2.0
// Builds the SheafPattern: reverse-edge lookup by binary search in the sorted row of the neighbour,
// the block pattern with its diagonal slot inserted in column order, and the slot sources that let
// each layer compute one off-diagonal block per undirected edge and mirror it (B_(v,u) = B_(u,v)ᵀ).
#include "layers/sheaf/sheaf_pattern.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"

namespace moegnn::layers::sheaf {

namespace {

// The block pattern (graph + diagonal, columns in order), each slot's source row, the degrees and
// the fixed coordinates' normalised entries. e = number of undirected edges.
void build_blocks(const graph::Csr& graph, const std::vector<graph::EdgeId>& half_of,
                  const std::vector<graph::NodeId>& rev, graph::EdgeId e, SheafPattern& p) {
  const Index n = graph.num_rows();
  const graph::EdgeId m = graph.num_edges();
  const graph::EdgeId* rp = graph.row_ptr().data();
  const graph::NodeId* ci = graph.col_idx().data();
  // Block pattern: each row's neighbours with the diagonal slot in column order.
  std::vector<graph::EdgeId> brp(n + 1, 0);
  std::vector<graph::NodeId> bci;
  std::vector<graph::NodeId> slot;
  std::vector<float> deg(n), lp, hp;
  for (Index u = 0; u < n; ++u) deg[u] = static_cast<float>(rp[u + 1] - rp[u]);
  bci.reserve(m + n);
  for (Index u = 0; u < n; ++u) {
    bool diag_done = false;
    auto put_diag = [&] {
      bci.push_back(static_cast<graph::NodeId>(u));
      slot.push_back(static_cast<graph::NodeId>(2 * e + u));
      const float value = deg[u] / (deg[u] + 1.0f);
      lp.push_back(value);
      hp.push_back(value);
      diag_done = true;
    };
    for (graph::EdgeId k = rp[u]; k < rp[u + 1]; ++k) {
      const graph::NodeId v = ci[k];
      if (!diag_done && v > u) put_diag();
      bci.push_back(v);
      slot.push_back(static_cast<graph::NodeId>(u < v ? half_of[k] : e + half_of[rev[k]]));
      const float w = 1.0f / std::sqrt((deg[u] + 1.0f) * (deg[v] + 1.0f));
      lp.push_back(w);
      hp.push_back(-w);
    }
    if (!diag_done) put_diag();
    brp[u + 1] = static_cast<graph::EdgeId>(bci.size());
  }
  p.blocks = graph::Csr(n, n, graph::EdgeIds(brp), graph::NodeIds(bci));
  p.degree = Tensor::from_vector(n, 1, deg);
  const Index slots = static_cast<Index>(bci.size());
  p.low_pass = Tensor::from_vector(slots, 1, lp);
  p.high_pass = Tensor::from_vector(slots, 1, hp);
  p.slot_source = IndexArray32(slot);
}

}  // namespace

SheafPattern make_sheaf_pattern(const graph::Csr& graph) {
  MOEGNN_CHECK(graph.is_square(), "graph: ", graph.num_rows(), " × ", graph.num_cols(),
               " vs square");
  MOEGNN_CHECK(graph.device() == Device::Cpu, "graph on ", graph.device() == Device::Cpu ? "cpu" : "cuda",
               " vs cpu; build the pattern on the CPU");
  const Index n = graph.num_rows();
  const graph::EdgeId m = graph.num_edges();
  const graph::EdgeId* rp = graph.row_ptr().data();
  const graph::NodeId* ci = graph.col_idx().data();
  SheafPattern p;
  p.num_nodes = n;
  p.graph = graph;
  std::vector<graph::NodeId> src(m), dst(m), rev(m), half, hsrc, hdst, hrev;
  std::vector<graph::EdgeId> half_of(m, -1);
  for (Index u = 0; u < n; ++u)
    for (graph::EdgeId k = rp[u]; k < rp[u + 1]; ++k) {
      const graph::NodeId v = ci[k];
      MOEGNN_CHECK(v != u, "graph: self-loop at node ", u,
                   " vs none; remove loops (the NSD models' prepare() does)");
      MOEGNN_CHECK(k == rp[u] || ci[k - 1] < v, "graph: row ", u,
                   " has unsorted or duplicate column ", v, " vs strictly increasing columns");
      const graph::NodeId* begin = ci + rp[v];
      const graph::NodeId* end = ci + rp[v + 1];
      const graph::NodeId* at = std::lower_bound(begin, end, static_cast<graph::NodeId>(u));
      MOEGNN_CHECK(at != end && *at == u, "graph: edge (", u, ", ", v,
                   ") has no reverse vs a symmetric graph; symmetrise it first");
      src[k] = static_cast<graph::NodeId>(u);
      dst[k] = v;
      rev[k] = static_cast<graph::NodeId>(rp[v] + (at - begin));
      if (u < v) {
        half_of[k] = static_cast<graph::EdgeId>(half.size());
        half.push_back(static_cast<graph::NodeId>(k));
        hsrc.push_back(static_cast<graph::NodeId>(u));
        hdst.push_back(v);
        hrev.push_back(rev[k]);
      }
    }
  build_blocks(graph, half_of, rev, static_cast<graph::EdgeId>(half.size()), p);
  p.edge_src = IndexArray32(src);
  p.edge_dst = IndexArray32(dst);
  p.edge_rev = IndexArray32(rev);
  p.half = IndexArray32(half);
  p.half_src = IndexArray32(hsrc);
  p.half_dst = IndexArray32(hdst);
  p.half_rev = IndexArray32(hrev);
  return p;
}

}  // namespace moegnn::layers::sheaf
