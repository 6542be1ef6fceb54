"""Prices beyond the shelf price: price lists (fixed prices with quantity breaks, % off a
category) and promotions (% or amount off, buy X get Y, bundles). Pure pricing functions that
the till, parked baskets and sales orders share. Imports the rooms up to `catalog`."""
