"""The till, in parts that each read in one sitting: `screen.py` (keys, layout, scanning and
entering items), `view.py` (the state and the basket on screen), `paying.py` (pay, return,
park, recall, cancel), `adjustments.py` (discounts, prices, the drawer, a new product, the
customer) and `shift.py` (open, reprint, X, close)."""
