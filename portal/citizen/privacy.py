"""The privacy notice, in the citizen's language: what we keep, why, who sees it, for how
long, and their rights. Every channel points here (USSD and SMS give its dial code)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from casework.privacy import NOTICE_VERSION, privacy_shortcut

blueprint = Blueprint("privacy", __name__)


@blueprint.get("/privacy")
def notice() -> ResponseReturnValue:
    days = float(current_app.config["RETENTION_DAYS"])
    return render_template(
        "privacy/notice.html",
        version=NOTICE_VERSION,
        # Years when the age is a whole number of them (the default, 1825 days), else days.
        years=int(days // 365) if days >= 365 and days % 365 == 0 else None,
        days=int(days),
        country=current_app.config["PORTAL_COUNTRY"],
        shortcut=privacy_shortcut(current_app.config["USSD_CODE"]),
    )
