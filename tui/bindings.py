"""Key bindings whose labels follow the language: declared with N_(), translated per instance."""

from __future__ import annotations

import dataclasses
from typing import Any

from store.core.i18n import translate


def translate_bindings(node: Any) -> None:
    """Replace each binding's description with its translation in the current language.

    Textual copies the class's bindings into every instance, so translating the copy at
    construction makes the footer follow the language chosen at run time.
    """
    bindings = node._bindings.key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [dataclasses.replace(b, description=translate(b.description)
                                             if b.description else b.description)
                         for b in items]


class TranslatedBindings:
    """Mixin for App, Screen and Widget subclasses: translated binding labels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
