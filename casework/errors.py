"""Errors casework raises, each with a message a citizen or officer can act on.

`message` is plain English and doubles as the gettext message id: casework knows no
channel, so the channel that shows it translates it. `N_` only marks it for extraction.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    return message


class CaseworkError(Exception):
    """Base for errors a user is shown. `params` fill `%(name)s` places in the message."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class InvalidInput(CaseworkError):
    """Something a citizen or officer typed cannot be used as it is."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class NotFound(CaseworkError):
    pass


class TransitionNotAllowed(CaseworkError):
    pass


class NotPermitted(CaseworkError):
    pass
