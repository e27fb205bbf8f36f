# SPDX-License-Identifier: Apache-2.0
# Tests of the format readers (paths relative to tests/).
list(APPEND moegnn_datasets_test_sources)
