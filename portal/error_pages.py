"""Pages for requests we refuse, in the citizen's language, instead of a bare error."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import MethodNotAllowed, NotFound, RequestEntityTooLarge

from casework.documents import MAX_PER_CASE, describe_size
from portal.api.blueprint import http_problem
from portal.api.problems import is_api_request


def init_app(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
        # The limits as this deployment sets them (DOCUMENT_MAX_MB), not as they once were.
        size = describe_size(current_app.config["DOCUMENT_MAX_BYTES"])
        return render_template(
            "problem.html",
            heading=_l("That upload is too big"),
            message=_l(
                "Send at most %(count)s files of up to %(size)s each. Go back and try again.",
                count=MAX_PER_CASE,
                size=size,
            ),
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

    @app.errorhandler(MethodNotAllowed)
    def wrong_method(error: MethodNotAllowed) -> ResponseReturnValue:
        # A page answers only GET and POST: a person never meets this, a program does.
        return http_problem(error) if is_api_request() else error

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> ResponseReturnValue:
        if is_api_request():  # an address no route matched: no blueprint to answer
            return http_problem(error)
        return render_template(
            "problem.html",
            heading=_l("Page not found"),
            message=_l("Check the address, or start again from the home page."),
        ), 404
