"""The bottom room: errors, gettext, money and quantities, the database and its unit of work,
configuration, migrations and CSV reading. It knows no table and no business rule, and imports
nothing from the rest of `store` (only the standard library and third-party packages)."""
