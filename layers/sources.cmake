target_sources(moegnn_layers PRIVATE)
