"""The soak test: steady traffic through the local runtime under scheduled faults."""
