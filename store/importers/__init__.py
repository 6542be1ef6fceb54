"""File importers and exporters: products now, channel orders later."""
