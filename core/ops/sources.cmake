target_sources(moegnn_core PRIVATE)
