"""The ledger: the chart of accounts, balanced journal entries posted as things happen, daily
account balances, period locks, and the aging of receivables and payables. Imports `core`,
`models`, `common` and `security`; stock, buying, customers and selling post through it."""
