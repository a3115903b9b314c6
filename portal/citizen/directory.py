"""The service directory on the web: categories, a category's services, search, and one
service's page (who qualifies, what to bring, where to go, how to apply).
"""

from __future__ import annotations

import re
from typing import Any

from babel import UnknownLocaleError
from babel.dates import get_day_names
from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Form, SearchField
from wtforms.validators import DataRequired

from casework.database import Database
from casework.directory import (
    CATEGORIES,
    ServiceSummary,
    categories,
    list_services,
    service_detail,
    services_in_category,
)
from portal.services import get_db

blueprint = Blueprint("directory", __name__)

QUERY_MAX = 100
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _trim(value: str | None) -> str:
    return (value or "").strip()[:QUERY_MAX]


class SearchForm(Form):
    # A plain Form, not a FlaskForm: the search is a GET that changes nothing, so it needs no
    # CSRF token and its results page can be bookmarked and shared.
    q = SearchField(
        _l("Search for a service"),
        filters=[_trim],
        render_kw={"maxlength": QUERY_MAX},
        validators=[DataRequired(_l("Enter what you are looking for"))],
    )


def _language() -> str:
    return str(get_locale())


@blueprint.get("/services")
def index() -> ResponseReturnValue:
    return _index_page(SearchForm())


@blueprint.get("/services/category/<code>")
def category(code: str) -> ResponseReturnValue:
    if code not in CATEGORIES:
        abort(404)
    services = services_in_category(get_db(), code, _language())
    return render_template("directory/category.html", label=CATEGORIES[code], services=services)


@blueprint.get("/services/search")
def search() -> ResponseReturnValue:
    form = SearchForm(request.args)
    if not form.validate():
        return _index_page(form)
    found = matching_services(get_db(), form.q.data, _language())
    return render_template("directory/search.html", form=form, query=form.q.data, services=found)


@blueprint.get("/services/<code>")
def service(code: str) -> ResponseReturnValue:
    db, language = get_db(), _language()
    summary = next((s for s in list_services(db, language) if s.code == code), None)
    detail = service_detail(db, summary.id, language) if summary else None
    if detail is None:
        abort(404)
    return render_template(
        "directory/service.html",
        service=detail.summary,
        detail=detail,
        category_label=CATEGORIES.get(detail.summary.category),
        offices=[
            (office, [opening_hours(hours, language) for hours in office.opening_hours])
            for office in detail.offices
        ],
    )


def _index_page(form: SearchForm) -> str:
    topics = [(code, CATEGORIES[code]) for code in categories(get_db())]
    return render_template("directory/index.html", form=form, categories=topics)


def matching_services(db: Database, query: str, language: str) -> list[ServiceSummary]:
    """Services whose text in `language` has, for every word of `query`, a word starting
    with it ("grant" finds "grants", "id" finds "ID" but not "provide"), in directory order.

    Eligibility is only in a service's detail, so a service whose summary does not already
    match costs one more small query; the directory has tens of services, not thousands.
    """
    wanted = _words(query)
    if not wanted:
        return []
    found = []
    for summary in list_services(db, language):
        words = _words(" ".join((summary.name, summary.short_name, summary.description)))
        if not _has_all(words, wanted):
            detail = service_detail(db, summary.id, language)
            words |= _words(detail.eligibility if detail else "")
        if _has_all(words, wanted):
            found.append(summary)
    return found


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _has_all(words: set[str], wanted: set[str]) -> bool:
    return all(any(word.startswith(w) for word in words) for w in wanted)


def opening_hours(hours: dict[str, Any], language: str) -> str:
    """`Mon-Fri 08:00–16:00`, with the day names in the reader's language where Babel has
    them; days written any other way are shown as stored."""
    days = str(hours.get("days", ""))
    try:
        names = get_day_names("abbreviated", locale=language)
    except (UnknownLocaleError, ValueError):
        names = get_day_names("abbreviated", locale="en")
    parts = days.split("-")
    if all(part in _WEEKDAYS for part in parts):
        days = "-".join(names[_WEEKDAYS.index(part)] for part in parts)
    return f"{days} {hours.get('opens', '')}–{hours.get('closes', '')}".strip()
