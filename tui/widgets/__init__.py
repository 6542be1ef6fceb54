"""Widgets shared by the till, the stockroom and the back office."""
