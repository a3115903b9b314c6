"""While the database is down (restarting, failing over): a page that says so, not a 500.

Citizens and staff get a short page in their language with `Retry-After`; nothing they
sent was kept, so the page asks them to send it again later. The engine's pool replaces
dead connections by itself once the server answers again (`pool_pre_ping`): the app needs
no restart. Gateway callbacks answer in their own way (`ussd.webhook`,
`notifications.webhooks`).
"""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin

from casework.database import DATABASE_UNAVAILABLE

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: Exception) -> ResponseReturnValue:
    log.warning("database unavailable: %s", type(getattr(error, "orig", error)).__name__)
    if "_login_user" not in g:
        # Rendering asks Flask-Login for the signed-in staff member, whom it would load
        # from the database again (and fail again): this page is nobody's in particular.
        g._login_user = AnonymousUserMixin()
    page = render_template(
        "problem.html",
        heading=_l("Sorry, Thusa is not working right now"),
        message=_l(
            "Please try again in a few minutes. If you were sending a form, it was not"
            " sent: send it again then."
        ),
    )
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)
