// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification: trains a node-classification model (mlp, gcn, sage, gat, gin, the
// mixtures mowst and mowst-star, or any registered one) on a dataset from the registry or on the
// embedded generated CSBM graph, over one or more runs, and prints a results table (per run, then
// mean ± std of validation and test accuracy). With no flags it trains a GCN on a 3000-node CSBM
// graph in a few seconds. --help lists every flag; --config FILE.json sets any of them
// (docs/user-guide.md).
#include <iostream>

#include "apps/node_classification/app.h"

int main(int argc, char** argv) {
  return moegnn::apps::node_classification_main(argc, argv, std::cout, std::cerr);
}
