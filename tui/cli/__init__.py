"""The `zhanggui` command line: `main.py` parses the global options and hands each command group
(one module each: shop, users, products, devices, sales, audit, customers, stock, purchasing,
receivables, orders, promotions, reports, backup) its subcommands. `common.py` holds what they
share. Commands call store services, as the screens do, and print results or JSON."""
