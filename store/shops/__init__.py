"""The shop itself: its company record, warehouses, terminals and tenders, each terminal's print
queue, and the set-up of a new shop. Imports the rooms below it (up to `catalog` and `books`,
which a new shop fills with tax rates, units and the chart); buying and selling refer to it.
A chain's branches will live here too."""
