// SPDX-License-Identifier: Apache-2.0
// moegnn-link-prediction: trains NCN or GAE (or scores CN / AA / RA) on Cora, CiteSeer, ogbl-ddi
// or, with no flags, a generated R-MAT graph, over --runs runs with a new split each, and prints
// Hits@K (OGB's evaluator), AUC and AP as mean ± population std. --predict-pairs / --predict-node
// print the trained model's predictions. --config FILE.json sets any flag (configs/link/).
#include <iostream>

#include "apps/link_prediction/app.h"

int main(int argc, char** argv) {
  return moegnn::apps::link_prediction_main(argc, argv, std::cout, std::cerr);
}
