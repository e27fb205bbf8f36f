target_sources(moegnn_graph PRIVATE)
