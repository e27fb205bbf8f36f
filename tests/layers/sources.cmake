# SPDX-License-Identifier: Apache-2.0
# Test sources of the layers module, one list per area (paths relative to tests/).
list(APPEND moegnn_layers_test_sources)
