// SPDX-License-Identifier: Apache-2.0
// Structural transforms of a Csr: self-loops added or removed, reverse edges added, duplicates
// merged. Each returns a new Csr with sorted rows (the input is never modified) and carries edge
// values through; added loops get `fill_value` on weighted graphs. Inputs whose rows are not sorted
// (hand-built) are sorted first, so any valid Csr is accepted. CPU graphs only.
#pragma once

#include "graph/builder.h"
#include "graph/csr.h"

namespace moegnn::graph {

// Drops existing loops, then adds one loop per node (PyG's remove_self_loops + add_self_loops).
// Throws InvalidArgument for a non-square graph or one on another device.
Csr add_self_loops(const Csr& g, float fill_value = 1.0f);

// Adds a loop only to nodes without one; existing loops keep their values
// (PyG's add_remaining_self_loops). Throws as add_self_loops.
Csr add_remaining_self_loops(const Csr& g, float fill_value = 1.0f);

// Drops every edge (i -> i). Throws InvalidArgument for a non-square graph or one on another device.
Csr remove_self_loops(const Csr& g);

// A + Aᵀ with repeated edges merged per `duplicates` (PyG's to_undirected): edge values of the two
// directions add up under Duplicates::Sum. Throws as add_self_loops.
Csr to_undirected(const Csr& g, Duplicates duplicates = Duplicates::Sum);

// Merges repeated columns within each row per `duplicates` (sorting rows first when needed).
// Throws InvalidArgument for a graph on another device.
Csr coalesce(const Csr& g, Duplicates duplicates = Duplicates::Sum);

}  // namespace moegnn::graph
