"""The demo shop: its data (a bilingual mini-market), its build (master data and opening stock
in bulk) and its history (weeks of past work made through the real services). The top room:
it may import everything, and nothing in the store imports it but bootstrap."""
