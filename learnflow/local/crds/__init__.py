"""Upstream CRDs and JSON Schemas the manifests are validated against (see SOURCES.md)."""
