"""The offline till (issue 18.2): when the database cannot be reached the till keeps selling.

- `local_copy`: a read-only copy of what a till needs to sell (its shop's prices, barcodes,
  promotions, tenders, the users who may log in and approve) in a local SQLite file,
  refreshed while online;
- `outbox`: sales the till made offline, committed to a local SQLite file (synchronous=FULL)
  before the receipt prints, numbered on from the till's own series;
- `payload`: a sale as the outbox keeps it (JSON);
- `sync`: the outbox posted to the database through `post_sale` by each sale's UUID, so a
  replayed or half-acknowledged sale is never doubled.

docs/OFFLINE.md tells the whole story.
"""
