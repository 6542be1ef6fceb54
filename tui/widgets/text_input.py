"""The app's text field: Textual's Input with its editing keys run in the order they arrive.

Textual 8 inserts a typed character in `Input._on_key`, but runs a bound key (backspace,
delete, the arrows, home/end) later, after the key event has bubbled up to the app. When keys
arrive in one read — a slow SSH link delivering a correction and the next character together,
a password manager, a chorded keyboard — the next character is inserted first and the
backspace then deletes it: "abc", Backspace, "x" gives "abc" instead of "abx" (both keys seem
lost). Reported upstream as Textualize/textual#6605, with a fix proposed in #6631; until it
lands, a field runs its own non-priority bindings inline, which is what that fix does.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

# Only Input's own editing keys: a field inherits scrolling keys too (up, down, page up…),
# which skip when there is nothing to scroll so the screen's binding of the key runs.
EDITING_KEYS = frozenset(key.strip() for b in Input.BINDINGS if isinstance(b, Binding)
                         for key in b.key.split(","))


class TextInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if event.key in EDITING_KEYS:
            own = [b for b in self._bindings.key_to_bindings.get(event.key, [])
                   if not b.priority]
            # Run now, in arrival order; a skipped action (nothing to delete) bubbles on.
            if own and await self.app.run_action(own[0].action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
