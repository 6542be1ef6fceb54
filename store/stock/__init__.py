"""Goods on hand: the moving-average cost and every stock move (costing), levels, moves and
reorder alerts (inventory), transfers between warehouses, counts, and stockroom scans. Imports
the rooms up to `books` and `shops`; buying, customers and selling move stock through it."""
