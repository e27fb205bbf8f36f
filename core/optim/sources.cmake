# SPDX-License-Identifier: Apache-2.0
# Optimizers, gradient clipping and learning-rate schedules (paths relative to core/).
target_sources(moegnn_core PRIVATE
  optim/optimizer.cpp
  optim/sgd.cpp
  optim/adam.cpp
  optim/adamw.cpp
  optim/detail/adam_update.cpp
  optim/schedule.cpp
  optim/clip.cpp)
