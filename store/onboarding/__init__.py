"""Bringing a shop's old data in: the opening balances (what customers and suppliers owed, the
accounts' balances) and a template for every import. It sits above the business rooms, since
one file of balances touches customers, suppliers and the books at once, and above reporting,
whose exporter writes the templates. The single-area importers (products, parties, opening
stock) live in their own rooms. `progress` says how far a new shop's set-up has come."""
