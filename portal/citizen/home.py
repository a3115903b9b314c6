"""The front door: the three things a citizen comes for, and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask.typing import ResponseReturnValue

from casework.services.citizen_preferences import choose_language
from portal.languages import LANGUAGE_COOKIE
from portal.page_helpers import safe_next
from portal.services import get_db

blueprint = Blueprint("citizen", __name__)


@blueprint.get("/")
def home() -> ResponseReturnValue:
    return render_template("citizen/home.html")


@blueprint.post("/language")
def change_language() -> ResponseReturnValue:
    """Remember the choice in this browser, and for a signed-in citizen on every channel."""
    language = request.form.get("language", "")
    response = redirect(safe_next(request.form.get("next")))
    if language not in current_app.config["PORTAL_LANGUAGES"]:
        return response
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["PORTAL_ENV"] == "production",
    )
    if "citizen_id" in session:
        choose_language(get_db(), session["phone"], language, "web")
        session["language"] = language
    return response
