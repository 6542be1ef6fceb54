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
from textual.actions import SkipAction
from textual.binding import Binding
from textual.widget import Widget
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


# A form's Enter, bound with priority so it runs as the key is dispatched: the keys typed
# after it already go to the next field. A handler of Input.Submitted runs only once the keys
# behind the Enter have gone to the old field (a fast typist, a password manager, a burst
# over SSH). Used with EnterMovesFocus.
ENTER_NEXT = Binding("enter", "enter_next", show=False, priority=True)


class EnterMovesFocus:
    """A screen whose Enter moves from field to field: `enter_target` says where to, or None
    where Enter is the field's own (it submits, after the field's own keys)."""

    def enter_target(self) -> Widget | None:
        raise NotImplementedError

    def action_enter_next(self) -> None:
        target = self.enter_target()
        if target is None:
            raise SkipAction
        # set_focus, not focus(): Widget.focus() waits for the next idle moment, by which
        # time the burst's next keys have gone to the old field.
        self.set_focus(target)  # type: ignore[attr-defined]
