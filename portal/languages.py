"""Which language a page speaks: the citizen's choice cookie, then the browser's
Accept-Language, then the deployment default (the first of PORTAL_LANGUAGES).
"""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import Babel, get_locale

from casework.i18n import TRANSLATIONS_DIR

LANGUAGE_COOKIE = "lang"

babel = Babel()


def select_language() -> str:
    offered = current_app.config["PORTAL_LANGUAGES"]
    # A signed-in citizen's saved choice, then this browser's, then what it asks for.
    for chosen in (session.get("language"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen in offered:
            return chosen
    return request.accept_languages.best_match(offered) or offered[0]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_language)

    @app.context_processor
    def page_context() -> dict[str, object]:
        # `lang` on <html> must name the language the page is actually in.
        return {"page_language": str(get_locale()), "ussd_code": app.config["USSD_CODE"]}
