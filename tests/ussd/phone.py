"""A handset for tests: dials the engine as Africa's Talking would, hop by hop."""

from __future__ import annotations

import itertools

from casework.database import Database
from casework.i18n import LANGUAGE_NAMES
from ussd.engine import handle_hop
from ussd.screen_kit import Context
from ussd.session_store import SessionStore

_sessions = itertools.count(1)


class Phone:
    def __init__(
        self,
        db: Database,
        store: SessionStore,
        number: str = "+27821234567",
        languages: tuple[str, ...] = tuple(LANGUAGE_NAMES),
    ) -> None:
        self.db, self.store, self.number, self.languages = db, store, number, languages
        self.inputs: list[str] = []
        self.session_id = ""
        self.reply = ""

    def context(self) -> Context:
        return Context(
            self.db,
            self.number,
            self.languages[0],
            self.languages,
            "ZA",
            "*120*3210#",
            self.session_id,
        )

    def dial(self) -> str:
        self.session_id = f"ATUid_{next(_sessions)}"
        self.inputs = []
        return self._send()

    def press(self, *keys: str) -> str:
        for key in keys:
            self.inputs.append(key)
            self._send()
        return self.reply

    def text(self) -> str:
        return "*".join(self.inputs)

    def _send(self) -> str:
        self.reply = handle_hop(self.context(), self.store, self.text())
        assert self.reply.startswith(("CON ", "END ")), self.reply
        assert len(self.reply) <= 182, (len(self.reply), self.reply)
        return self.reply

    def option(self, label: str) -> str:
        """The number the current screen gives `label` (the first option containing it)."""
        for line in self.reply.splitlines()[1:]:
            number, _, text = line.partition(" ")
            if label in text and number.isdigit():
                return number
        raise AssertionError(f"{label!r} is not on the screen:\n{self.reply}")

    def choose(self, label: str) -> str:
        """Press the option showing `label`, paging with 98 until it appears."""
        for _ in range(10):
            try:
                return self.press(self.option(label))
            except AssertionError:
                if "98 " not in self.reply:
                    raise
                self.press("98")
        raise AssertionError(f"{label!r} never appeared")
