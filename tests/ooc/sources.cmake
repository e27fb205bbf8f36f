# SPDX-License-Identifier: Apache-2.0
# Test sources of the out-of-core module (paths relative to tests/).
list(APPEND moegnn_ooc_test_sources ooc/disk_store_test.cpp ooc/pack_test.cpp
  ooc/pipeline_test.cpp ooc/memory_limit_test.cpp ooc/scan_test.cpp)
