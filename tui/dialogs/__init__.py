"""Typed modal dialogs (`ModalScreen[T]`), each returning its result or None: one-line inputs,
pickers, the key list (F1), a supervisor's override, counting cash, adding a product at the till."""
