"""The front door: what a citizen can do here, and the services on offer."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from casework.directory import CATEGORIES, list_services
from portal.services import get_db

blueprint = Blueprint("citizen", __name__)


@blueprint.get("/")
def home() -> ResponseReturnValue:
    services = list_services(get_db(), str(get_locale()))
    by_category = [
        (CATEGORIES.get(category, category), list(group))
        for category, group in groupby(services, key=lambda s: s.category)
    ]
    return render_template("citizen/home.html", by_category=by_category)
