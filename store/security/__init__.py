"""Who may do what, and the record of what was done: users and their PINs (auth, accounts),
the role → permission matrix, supervisor approvals, the tamper-evident audit chain, the data
key and sealed personal data (crypto, keys), card-number recognition (pii). Imports `core`,
`models` and `common`; every business area above uses it."""
