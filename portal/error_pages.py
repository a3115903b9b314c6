"""Pages for requests we refuse, in the citizen's language, instead of a bare error."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import NotFound, RequestEntityTooLarge


def init_app(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
        return render_template(
            "problem.html",
            heading=_l("That upload is too big"),
            message=_l("Send at most 5 files of up to 5 MB each. Go back and try again."),
        ), 413

    @app.errorhandler(CSRFError)
    def stale_form(error: CSRFError) -> ResponseReturnValue:
        return render_template(
            "problem.html",
            heading=_l("Please send the form again"),
            message=_l(
                "The page was open too long, or cookies are off. Go back, reload the"
                " page and send it again."
            ),
        ), 400

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> ResponseReturnValue:
        return render_template(
            "problem.html",
            heading=_l("Page not found"),
            message=_l("Check the address, or start again from the home page."),
        ), 404
