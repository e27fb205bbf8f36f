// SPDX-License-Identifier: Apache-2.0
// moegnn-gmope: GMoPE pretraining across graphs and prompt-only transfer. With no flags it
// pretrains on two generated graphs of different feature widths and fine-tunes every transfer arm
// on a third. --help lists every flag.
#include <iostream>

#include "apps/gmope/app.h"

int main(int argc, char** argv) {
  return moegnn::apps::gmope_main(argc, argv, std::cout, std::cerr);
}
