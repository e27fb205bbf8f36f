# SPDX-License-Identifier: Apache-2.0
target_sources(moegnn_graph PRIVATE
  builder.cpp
  detail/rows.cpp
  generators.cpp)
