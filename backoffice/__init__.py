"""Textual screens for owners and managers: catalog, purchasing, finance, reports, settings."""
