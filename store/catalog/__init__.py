"""Products: their master data (products), barcodes and check digits, pinyin keys, search and
the scan hot path, scale-label layouts, and product CSV import/export. Imports `core`,
`models`, `common` and `security`."""
