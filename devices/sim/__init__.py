"""Simulators that speak the devices' real protocols: an ESC/POS network printer, a serial scanner."""
