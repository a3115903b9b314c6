"""The service directory pages, on the demo directory a fresh install shows."""

from __future__ import annotations

import html

import pytest
from babel.dates import get_day_names
from flask import Blueprint, Flask, url_for
from sqlalchemy import select

from casework.database import Database
from casework.demo_directory_data import OFFICES, SERVICES
from casework.directory import CATEGORIES
from casework.models import Service, ServiceText
from casework.seed_demo import directory_texts, seed_demo
from portal.citizen.directory import blueprint, opening_hours

BY_CODE = {service["code"]: service for service in SERVICES}
OLDER = BY_CODE["older-persons-grant"]


def _with_directory(app: Flask) -> Flask:
    # Until portal/__init__.py registers it; must happen before the app's first request.
    if "directory" not in app.blueprints:
        app.register_blueprint(blueprint)
    return app


@pytest.fixture
def client(app: Flask, db: Database):  # type: ignore[no-untyped-def]
    seed_demo(db, with_staff=False)
    return _with_directory(app).test_client()


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The page with entities decoded, to look for text as a reader sees it."""
    return html.unescape(response.get_data(as_text=True))


def main_of(page: str) -> str:
    # The footer's language switch carries the whole URL back, query and all.
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def title_of(page: str) -> str:
    return page.split("<title>", 1)[1].split("</title>", 1)[0].strip()


def test_index_lists_every_category_that_has_services(client):
    response = client.get("/services")
    page = text_of(response)
    assert response.status_code == 200
    assert "<h1>Find a service</h1>" in page
    assert '<form method="get" action="/services/search"' in page
    assert '<label for="q">' in page
    for code in {service["category"] for service in SERVICES}:
        assert f'<a href="/services/category/{code}">{CATEGORIES[code]}</a>' in page


def test_category_lists_its_services_with_links_and_agency(client):
    page = text_of(client.get("/services/category/grants"))
    assert title_of(page).startswith("Grants and money")
    grants = [service for service in SERVICES if service["category"] == "grants"]
    assert grants
    for service in grants:
        assert f'href="/services/{service["code"]}"' in page
        assert service["text"]["name"] in page
        assert service["text"]["description"] in page
    assert "SASSA" in page
    assert BY_CODE["birth-registration"]["text"]["name"] not in page


def test_category_of_nonsense_is_not_found(client):
    assert client.get("/services/category/nonsense").status_code == 404


def test_search_finds_a_service_by_a_word_of_its_description(client):
    page = text_of(client.get("/services/search", query_string={"q": "aged 60"}))
    assert 'href="/services/older-persons-grant"' in page
    assert BY_CODE["birth-registration"]["text"]["name"] not in page


def test_search_matches_eligibility_and_ignores_case(client):
    for query in ("OLDER Persons", "state-funded INSTITUTION"):
        page = text_of(client.get("/services/search", query_string={"q": query}))
        assert 'href="/services/older-persons-grant"' in page, query
        assert f"Services matching “{query}”" in page


def test_search_matches_the_start_of_words(client):
    page = text_of(client.get("/services/search", query_string={"q": "smart ID"}))
    assert 'href="/services/identity-document"' in page
    assert "1 service found" in page
    page = text_of(client.get("/services/search", query_string={"q": "ocial relief"}))
    assert "No services match your search" in page


def test_search_without_results_says_so_and_links_to_all_categories(client):
    response = client.get("/services/search", query_string={"q": "xylophone lessons"})
    page = text_of(response)
    assert response.status_code == 200
    assert "No services match your search" in page
    assert '<a href="/services">' in page
    assert 'href="/services/older-persons-grant"' not in page


@pytest.mark.parametrize("query_string", [{}, {"q": ""}, {"q": "   "}])
def test_search_for_nothing_shows_the_error_summary(client, query_string):
    response = client.get("/services/search", query_string=query_string)
    page = text_of(response)
    assert response.status_code == 200
    assert title_of(page).startswith("Error: Find a service")
    assert 'class="error-summary"' in page
    assert '<a href="#q">Enter what you are looking for</a>' in page
    assert 'aria-invalid="true"' in page
    assert '<form method="get" action="/services/search"' in page


def test_search_query_is_capped_and_escaped(client):
    page = main_of(
        client.get("/services/search", query_string={"q": "x" * 500}).get_data(as_text=True)
    )
    assert "x" * 100 in page and "x" * 101 not in page
    assert 'maxlength="100"' in page
    # The test client's page checks fail on any <script> that got through.
    response = client.get("/services/search", query_string={"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "&lt;script&gt;" in response.get_data(as_text=True)


def test_service_page_shows_what_a_citizen_needs_to_apply(client):
    response = client.get("/services/older-persons-grant")
    page = text_of(response)
    assert response.status_code == 200
    assert title_of(page).startswith(OLDER["text"]["name"])
    for heading in ("Who qualifies", "What to bring", "Cost", "Where to go", "How to apply"):
        assert f"<h2>{heading}</h2>" in page
    assert OLDER["text"]["eligibility"] in page
    for document in OLDER["text"]["required_documents"]:
        assert f"<li>{document}</li>" in page
    sassa_offices = [office for office in OFFICES if office["agency"] == "sassa"]
    assert sassa_offices
    for office in sassa_offices:
        assert office["name"] in page
        assert office["address"] in page
        assert f'href="tel:{office["phone"].replace(" ", "")}"' in page
    assert "Open Mon-Fri 08:00–16:00" in page
    assert "Dial *120*3210# from any phone" in page
    assert "In person at any office above" in page


def test_service_page_shows_every_opening_time(client):
    page = text_of(client.get("/services/birth-registration"))
    assert "Open Mon-Fri 08:00–15:30, Sat 08:00–13:00" in page


def test_opening_hours_name_the_days_in_the_reader_language():
    weekdays = {"days": "Mon-Fri", "opens": "08:00", "closes": "16:00"}
    assert opening_hours(weekdays, "en") == "Mon-Fri 08:00–16:00"
    afrikaans = get_day_names("abbreviated", locale="af")
    assert opening_hours(weekdays, "af") == f"{afrikaans[0]}-{afrikaans[4]} 08:00–16:00"
    # No day names for a language: English ones; days written some other way: as they are.
    assert opening_hours(weekdays, "xx") == "Mon-Fri 08:00–16:00"
    holidays = {"days": "Public holidays", "opens": "09:00", "closes": "12:00"}
    assert opening_hours(holidays, "zu") == "Public holidays 09:00–12:00"


def test_service_page_offers_no_ussd_for_an_office_only_service(client):
    page = text_of(client.get("/services/identity-document"))
    assert "Dial *120*3210#" not in main_of(page)
    assert "In person at any office above" in page


def test_service_page_links_apply_online_only_when_the_journey_exists(app, client):
    page = text_of(client.get("/services/older-persons-grant"))
    assert ("Apply online" in page) == ("apply.start" in app.view_functions)


def test_service_page_links_apply_online_for_web_services(make_app, database_url, db):
    seed_demo(db, with_staff=False)
    app = _with_directory(make_app({"DATABASE_URL": database_url}, TESTING=True))
    if "apply.start" not in app.view_functions:
        stand_in = Blueprint("apply", __name__)
        stand_in.add_url_rule("/apply/<code>", "start", lambda code: code)
        app.register_blueprint(stand_in)
    with app.test_request_context():
        href = url_for("apply.start", code="older-persons-grant")
    client = app.test_client()
    page = text_of(client.get("/services/older-persons-grant"))
    assert f'<a href="{href}">Apply online</a>' in page
    assert "Apply online" not in text_of(client.get("/services/identity-document"))


@pytest.mark.parametrize("code", ["no-such-service", "search-me"])
def test_service_page_of_an_unknown_code_is_not_found(client, code):
    assert client.get(f"/services/{code}").status_code == 404


def test_service_page_of_an_inactive_service_is_not_found(client, db):
    with db.transaction() as session:
        session.scalars(
            select(Service).where(Service.code == "older-persons-grant")
        ).one().active = False
    assert client.get("/services/older-persons-grant").status_code == 404
    page = text_of(client.get("/services/category/grants"))
    assert 'href="/services/older-persons-grant"' not in page


def test_text_falling_back_to_english_is_marked_as_english(client, db):
    # Every demo service has isiZulu words; take them away from one to see the fallback.
    with db.transaction() as session:
        older = session.scalars(select(Service).where(Service.code == "older-persons-grant")).one()
        session.delete(session.get(ServiceText, (older.id, "zu")))
    zulu = directory_texts()["zu"]["services"]["disability-grant"]
    client.set_cookie("lang", "zu")

    page = text_of(client.get("/services/older-persons-grant"))
    assert '<html lang="zu">' in page
    assert f'<h1 lang="en">{OLDER["text"]["name"]}</h1>' in page
    assert f'<p lang="en">{OLDER["text"]["eligibility"]}</p>' in page
    assert f'<p lang="en">{OLDER["text"]["cost"]}</p>' in page
    assert '<ul lang="en">' in page

    translated = text_of(client.get("/services/disability-grant"))
    assert f"<h1>{zulu['name']}</h1>" in translated
    assert f"<p>{zulu['eligibility']}</p>" in translated

    listing = text_of(client.get("/services/category/grants"))
    assert '<a href="/services/older-persons-grant" lang="en">' in listing
    assert f'<a href="/services/disability-grant">{zulu["name"]}</a>' in listing


def test_english_page_marks_nothing_as_a_fallback(client):
    page = text_of(client.get("/services/older-persons-grant"))
    assert '<html lang="en">' in page
    assert 'lang="en"' not in main_of(page)
