"""The till: the basket (plain Python), posting a sale in one transaction, returns, parked
and cancelled baskets, price and discount checks (overrides), voids, the no-sale drawer and
quick-adding a product at the till. Imports the rooms up to `customers`."""
