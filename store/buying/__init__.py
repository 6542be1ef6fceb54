"""The buying cycle: purchase orders, receiving goods against them, supplier bills matched to
what was received, payments and prepayments, what each supplier sells, reorder suggestions.
Imports the rooms up to `stock`; nothing but reports, demo and assurance imports it."""
