"""Hardware: receipt documents, ESC/POS rendering, transports, scanners, drawer, display, simulators."""
