target_sources(moegnn_models PRIVATE)
