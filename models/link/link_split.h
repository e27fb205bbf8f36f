// SPDX-License-Identifier: Apache-2.0
// Link-prediction splits: the positive and negative pairs of training, validation and test and the
// graph of the training positives. planetoid_link_split() is the NCN reference's protocol for
// Cora / CiteSeer / PubMed (ncnc.md §10): PyG's train_test_split_edges with 20 % validation and 20 %
// test positives over the undirected edges, the same numbers of distinct uniform non-edges as
// validation and test negatives, then half of the validation positives moved back to training
// (70 / 10 / 20 positives; validation keeps 2× as many negatives as positives). A new split per
// run comes from the run's seed (our generator, so the pairs differ from torch's, the law does not).
#pragma once

#include <cstdint>

#include "graph/csr.h"
#include "graph/edge_list.h"

namespace moegnn::models {

struct LinkSets {
  graph::Csr train_graph{};  // symmetric graph of the training positives, sorted rows
  graph::EdgeList train_pos{};  // undirected training edges, each once (src < dst)
  graph::EdgeList val_pos{};
  graph::EdgeList val_neg{};
  graph::EdgeList test_pos{};
  graph::EdgeList test_neg{};
};

// The split of symmetric graph g (self-loops ignored) for `seed`. With m undirected edges:
// n_v = n_t = floor(0.2 m); test = n_t positives and n_t negatives; validation = int(0.5 n_v)
// positives and n_v negatives; training = the other m - n_t - int(0.5 n_v) positives.
// Throws InvalidArgument for a non-square or asymmetric graph, fewer than 5 edges, or fewer
// non-edges than negatives wanted.
LinkSets planetoid_link_split(const graph::Csr& g, std::uint64_t seed);

// PyG's RandomLinkSplit(num_val, num_test, is_undirected=True, neg_sampling_ratio=1) on symmetric
// g: the undirected edges shuffled, int(val_fraction · m) validation and int(test_fraction · m) test
// positives, the rest training; as many distinct uniform non-edges of g as positives for validation
// and for test. Throws as planetoid_link_split(), and for fractions outside [0, 1) or summing to >= 1.
LinkSets random_link_split(const graph::Csr& g, double val_fraction, double test_fraction,
                           std::uint64_t seed);

// Checks a split against num_nodes: every id in [0, num_nodes), src/dst sizes equal, a non-empty
// training set, and a training graph of num_nodes nodes with sorted rows. Throws InvalidArgument
// naming the set and position (e.g. a split file with an edge out of range).
void check(const LinkSets& sets, Index num_nodes);

}  // namespace moegnn::models
