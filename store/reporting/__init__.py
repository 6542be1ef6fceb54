"""Reports summed in SQL (sales by day, hour, product …; P&L and balance sheet from daily
account balances) and their export to CSV and XLSX. Reads from every business area; nothing
in the store imports it but the demo."""
