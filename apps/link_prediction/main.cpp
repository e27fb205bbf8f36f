// SPDX-License-Identifier: Apache-2.0
// moegnn-link-prediction: trains NCN or GAE (or scores CN / AA / RA) on Cora, CiteSeer, ogbl-ddi
// or, with no flags, a generated R-MAT graph, over --runs runs with a new split each, and prints
// Hits@K (OGB's evaluator), AUC and AP as mean ± population std. --predict-pairs / --predict-node
// print the trained model's predictions. --config FILE.json sets any flag (configs/link/).
#include <malloc.h>

#include <iostream>

#include "apps/link_prediction/app.h"

int main(int argc, char** argv) {
  // Every step allocates and frees the same few hundred KiB-to-MiB tensors; glibc maps and unmaps
  // them each time and the kernel zeroes every page again (perf on Cora NCN: clear_page_erms 34 %
  // of the time). Keeping them in the heap makes an epoch 1.6x faster.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return moegnn::apps::link_prediction_main(argc, argv, std::cout, std::cerr);
}
