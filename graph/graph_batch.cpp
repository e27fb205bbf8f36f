// SPDX-License-Identifier: Apache-2.0
// Block-diagonal batching: row pointers, column ids and feature rows of each graph are copied into
// place with their node offset added, so batching is a linear pass over the selected graphs.
#include "graph/graph_batch.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/error.h"

namespace moegnn::graph {
namespace {

// The parts of one graph to copy: its rows, columns (local ids + `shift` is the global id) and
// feature rows.
struct Piece {
  const EdgeId* row_ptr;  // num_nodes + 1 entries; edges [row_ptr[0], row_ptr[n]) of col
  const NodeId* col;      // column ids, minus `shift` = local ids
  NodeId shift;
  const float* values;  // edge values or null
  const float* x;       // num_nodes × width rows
  Index num_nodes;
};

GraphBatch assemble(const std::vector<Piece>& pieces, Index width, bool with_values) {
  Index nodes = 0;
  EdgeId edges = 0;
  for (const Piece& p : pieces) {
    nodes += p.num_nodes;
    edges += p.row_ptr[p.num_nodes] - p.row_ptr[0];
  }
  EdgeIds row_ptr(nodes + 1);
  NodeIds col_idx(edges);
  Tensor values = with_values ? Tensor::empty(edges, 1) : Tensor();
  GraphBatch out;
  out.x = Tensor::empty(nodes, width);
  out.ptr = EdgeIds(static_cast<Index>(pieces.size()) + 1);
  out.batch = IndexArray32(nodes);
  EdgeId* rp = row_ptr.data();
  NodeId* ci = col_idx.data();
  rp[0] = 0;
  Index node = 0;
  EdgeId edge = 0;
  out.ptr.data()[0] = 0;
  for (std::size_t g = 0; g < pieces.size(); ++g) {
    const Piece& p = pieces[g];
    const EdgeId first = p.row_ptr[0];
    const EdgeId count = p.row_ptr[p.num_nodes] - first;
    for (Index r = 0; r < p.num_nodes; ++r) rp[node + r + 1] = edge + p.row_ptr[r + 1] - first;
    const NodeId delta = static_cast<NodeId>(node) - p.shift;
    for (EdgeId e = 0; e < count; ++e) ci[edge + e] = p.col[first + e] + delta;
    if (with_values)
      std::memcpy(values.data() + edge, p.values + first, static_cast<std::size_t>(count) * 4);
    if (width > 0)
      std::memcpy(out.x.data() + node * width, p.x,
                  static_cast<std::size_t>(p.num_nodes * width) * sizeof(float));
    std::fill_n(out.batch.data() + node, p.num_nodes, static_cast<std::int32_t>(g));
    node += p.num_nodes;
    edge += count;
    out.ptr.data()[g + 1] = node;
  }
  out.graph = Csr(nodes, nodes, std::move(row_ptr), std::move(col_idx), std::move(values),
                  Validate::Trusted);
  return out;
}

}  // namespace

GraphBatch batch_graphs(std::span<const Csr> graphs, std::span<const Tensor> features) {
  MOEGNN_CHECK_AS(InvalidArgument, "batch_graphs", graphs.size() == features.size(),
                  "features for ", features.size(), " graphs vs ", graphs.size(), " graphs");
  const Index width = features.empty() ? 0 : features[0].cols();
  const bool with_values = !graphs.empty() && graphs[0].has_values();
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i < graphs.size(); ++i) {
    const Csr& g = graphs[i];
    const Tensor& x = features[i];
    MOEGNN_CHECK_AS(InvalidArgument, "batch_graphs",
                    g.device() == Device::Cpu && x.device() == Device::Cpu, "graph ", i, " is on ",
                    to_string(g.device()), " vs cpu");
    MOEGNN_CHECK_AS(InvalidArgument, "batch_graphs", g.is_square(), "graph ", i, " is ",
                    g.num_rows(), " × ", g.num_cols(), " vs square");
    MOEGNN_CHECK_AS(InvalidArgument, "batch_graphs", x.rows() == g.num_nodes(), "features ", i,
                    " have ", x.rows(), " rows vs ", g.num_nodes(), " nodes");
    MOEGNN_CHECK_AS(InvalidArgument, "batch_graphs", x.cols() == width, "features ", i, " have ",
                    x.cols(), " columns vs ", width, " (graph 0's)");
    MOEGNN_CHECK_AS(InvalidArgument, "batch_graphs", g.has_values() == with_values, "graph ", i,
                    g.has_values() ? " has" : " has no", " edge values vs graph 0");
    pieces.push_back({g.row_ptr().data(), g.col_idx().data(), 0,
                      with_values ? g.values().data() : nullptr, x.data(), g.num_nodes()});
  }
  return assemble(pieces, width, with_values);
}

GraphBatch select_graphs(const GraphBatch& all, std::span<const NodeId> ids) {
  const Index graphs = all.num_graphs();
  const EdgeId* ptr = all.ptr.data();
  const Index width = all.x.cols();
  const bool with_values = all.graph.has_values();
  MOEGNN_CHECK_AS(InvalidArgument, "select_graphs", all.x.rows() == all.num_nodes(), "x has ",
                  all.x.rows(), " rows vs ", all.num_nodes(), " nodes");
  std::vector<Piece> pieces;
  pieces.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const NodeId g = ids[i];
    MOEGNN_CHECK_AS(InvalidArgument, "select_graphs", g >= 0 && g < graphs, "ids[", i, "] = ", g,
                    " vs a graph id in [0, ", graphs, ")");
    const EdgeId first = ptr[g];
    pieces.push_back({all.graph.row_ptr().data() + first, all.graph.col_idx().data(),
                      static_cast<NodeId>(first), with_values ? all.graph.values().data() : nullptr,
                      all.x.data() + first * width, static_cast<Index>(ptr[g + 1] - first)});
  }
  return assemble(pieces, width, with_values);
}

void check_graph_batch(const GraphBatch& b, const char* who) {
  const Index n = b.num_nodes();
  MOEGNN_CHECK_AS(InvalidArgument, who, b.graph.is_square(), "graph is ", b.graph.num_rows(), " × ",
                  b.graph.num_cols(), " vs square");
  MOEGNN_CHECK_AS(InvalidArgument, who,
                  b.ptr.size() >= 1 && b.ptr[0] == 0 && b.ptr[b.ptr.size() - 1] == n,
                  "ptr runs from ", b.ptr.size() ? b.ptr[0] : -1, " to ",
                  b.ptr.size() ? b.ptr[b.ptr.size() - 1] : -1, " vs 0 to ", n);
  MOEGNN_CHECK_AS(InvalidArgument, who, b.x.rows() == n, "x has ", b.x.rows(), " rows vs ", n,
                  " nodes");
  MOEGNN_CHECK_AS(InvalidArgument, who, b.batch.size() == n, "batch has ", b.batch.size(),
                  " entries vs ", n, " nodes");
  const auto ptr = b.ptr.host();
  const auto batch = b.batch.host();
  for (Index g = 0; g < b.num_graphs(); ++g) {
    const auto [lo, hi] =
        std::pair{ptr[static_cast<std::size_t>(g)], ptr[static_cast<std::size_t>(g + 1)]};
    MOEGNN_CHECK_AS(InvalidArgument, who, lo <= hi, "ptr[", g + 1, "] = ", hi, " vs >= ptr[", g,
                    "] = ", lo);
    for (EdgeId v = lo; v < hi; ++v) {
      MOEGNN_CHECK_AS(InvalidArgument, who, batch[static_cast<std::size_t>(v)] == g, "batch[", v,
                      "] = ", batch[static_cast<std::size_t>(v)], " vs ", g, " (from ptr)");
      for (const NodeId u : b.graph.neighbors(v))
        MOEGNN_CHECK_AS(InvalidArgument, who, u >= lo && u < hi, "edge ", v, " -> ", u,
                        " leaves graph ", g, " vs nodes [", lo, ", ", hi, ")");
    }
  }
}

std::vector<std::vector<NodeId>> graph_batch_order(std::span<const NodeId> ids, Index batch_size,
                                                   bool shuffle, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "graph_batch_order", batch_size >= 1, "batch_size is ",
                  batch_size, " vs >= 1");
  std::vector<NodeId> order(ids.begin(), ids.end());
  if (shuffle)
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  std::vector<std::vector<NodeId>> out;
  for (std::size_t lo = 0; lo < order.size(); lo += static_cast<std::size_t>(batch_size)) {
    const std::size_t hi = std::min(order.size(), lo + static_cast<std::size_t>(batch_size));
    out.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(lo),
                     order.begin() + static_cast<std::ptrdiff_t>(hi));
  }
  return out;
}

}  // namespace moegnn::graph
