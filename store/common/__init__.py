"""Shop-wide state that every business area reads, over the tables: settings (cached JSON rows),
the shop clock and its time zone, gap-free document numbers. Imports `core` and `models` only;
everything above may import it."""
