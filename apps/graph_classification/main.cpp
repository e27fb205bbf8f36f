// SPDX-License-Identifier: Apache-2.0
// moegnn-graph-classification: trains a graph classifier (GIN, or any registered graph model) on
// generated labelled graphs (the default), a TU set (MUTAG, PROTEINS, ENZYMES) with stratified
// 10-fold cross-validation, or an OGB graph-property set with its own split, and prints the mean ±
// std of validation and test accuracy over folds. --help lists every flag.
#include <iostream>

#include "apps/graph_classification/app.h"

int main(int argc, char** argv) {
  return moegnn::apps::graph_classification_main(argc, argv, std::cout, std::cerr);
}
