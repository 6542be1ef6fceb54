"""Customers and what they owe: parties (customers, groups, price lists, suppliers' master data),
finding a customer (lookup), a customer's protected details (records), accounts receivable,
and sales orders (by phone, for the trade, from a channel) with their states and items.
Imports the rooms up to `stock` and `pricing`; the till (selling) and channels build on it."""
