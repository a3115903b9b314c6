"""Open311 discovery, service list and service definitions, and the endpoint's refusals:
always in the spec's shape, in JSON and XML, never an HTML page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import TooManyRequests

from casework.grievance_categories import CATEGORIES
from portal.open311 import services
from tests.portal.open311_calls import (
    BASE,
    SPEC_DEFINITION_JSON,
    SPEC_DEFINITION_URL,
    SPEC_DEFINITION_XML,
    SPEC_DISCOVERY_XML,
    SPEC_ERROR_JSON,
    SPEC_ERROR_XML,
    SPEC_SERVICES_JSON,
    SPEC_SERVICES_URL,
    SPEC_SERVICES_XML,
    body,
    ours,
    seeded,
    shape,
    spec_json,
    xml,
)


@pytest.fixture
def directory(db):
    return seeded(db)


def test_discovery_has_the_spec_examples_shape_and_names_this_endpoint(client, directory):
    document = xml(client.get(f"{BASE}/discovery.xml"))
    assert shape(document) == shape(ET.fromstring(SPEC_DISCOVERY_XML))
    endpoint = document.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://localhost/open311/v2"
    assert endpoint.findtext("type") == "test"  # not PORTAL_ENV=production
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]

    answer = body(client.get(f"{BASE}/discovery.json"))
    assert answer["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert answer["changeset"] == document.findtext("changeset")
    assert answer["key_service"] and answer["contact"]


def test_service_list_replays_the_spec_sample_one_service_per_grievance_category(client, directory):
    listed = xml(client.get(ours(SPEC_SERVICES_URL)))  # jurisdiction_id is ignored
    assert shape(listed) == shape(ET.fromstring(SPEC_SERVICES_XML))
    codes = [service.findtext("service_code") for service in listed]
    assert codes == [category.code for category in CATEGORIES]
    delay = listed[0]
    assert delay.findtext("service_name") == "Delay in a service"
    assert delay.findtext("metadata") == "true" and delay.findtext("type") == "realtime"
    assert "working days" in delay.findtext("description")

    answer = body(client.get(f"{BASE}/services.json"))
    assert shape(answer) == shape(spec_json(SPEC_SERVICES_JSON))
    gbv = next(s for s in answer if s["service_code"] == "gender_based_violence")
    assert gbv["group"] == "Safety" and "24 hours" in gbv["description"]
    assert gbv["metadata"] is True


def test_service_definition_offers_directory_services_and_districts(client, directory):
    definition = xml(client.get(f"{BASE}/services/payment.xml"))
    assert shape(definition) == shape(ET.fromstring(SPEC_DEFINITION_XML))
    attributes = {a.findtext("code"): a for a in definition.find("attributes")}
    assert list(attributes) == ["service", "district", "anonymous"]
    service = attributes["service"]
    assert service.findtext("datatype") == "singlevaluelist"
    assert service.findtext("required") == "false"
    keys = {value.findtext("key"): value.findtext("name") for value in service.find("values")}
    assert keys["child-support-grant"] == "Child Support Grant (SASSA)"
    districts = [v.findtext("key") for v in attributes["district"].find("values")]
    assert "eThekwini" in districts and "OR Tambo" in districts

    answer = body(client.get(f"{BASE}/services/payment.json"))
    assert shape(answer) == shape(spec_json(SPEC_DEFINITION_JSON))
    assert answer["service_code"] == "payment"
    assert [a["order"] for a in answer["attributes"]] == [1, 2, 3]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_service_definition_of_the_spec_sample_code_is_a_spec_shaped_404(client, directory, fmt):
    url = ours(SPEC_DEFINITION_URL).replace(".xml", f".{fmt}")  # service code 033
    response = client.get(url)
    assert response.status_code == 404
    if fmt == "xml":
        assert shape(xml(response)) == shape(ET.fromstring(SPEC_ERROR_XML))
        assert xml(response).findtext("error/code") == "404"
    else:
        assert shape(body(response)) == shape(spec_json(SPEC_ERROR_JSON))
        assert body(response) == [{"code": 404, "description": "service_code '033' was not found"}]


def test_an_unknown_path_or_format_is_a_spec_shaped_404(client, directory):
    for path, read in (("nothing.json", body), ("services.html", xml), ("", xml)):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404, path
        errors = read(response)
        code = errors[0]["code"] if read is body else errors.findtext("error/code")
        assert str(code) == "404"


def test_a_wrong_method_is_a_spec_shaped_405_naming_the_right_ones(client, directory):
    response = client.delete(f"{BASE}/requests.json")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST"}
    assert body(response)[0]["code"] == 405
    assert client.post(f"{BASE}/services.xml").status_code == 405


def test_too_many_calls_from_one_address_are_refused_in_the_spec_shape(make_app, database_url):
    app = make_app(
        {"DATABASE_URL": database_url},
        TESTING=True,
        RATE_LIMITS={"open311_per_address": "2 per minute"},
    )
    client = app.test_client()
    for _ in range(2):
        assert client.get(f"{BASE}/services.json").status_code == 200
    refused = client.get(f"{BASE}/services.json")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert body(refused)[0]["code"] == 429
    assert client.get("/").status_code == 200  # the citizen pages are not limited by it


def test_a_database_outage_is_a_spec_shaped_503(client, directory, monkeypatch):
    def down(db):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(services, "grievance_choices", down)
    response = client.get(f"{BASE}/services/payment.xml")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert xml(response).findtext("error/code") == "503"


def test_an_unexpected_error_is_a_spec_shaped_500_not_a_page(client, directory, monkeypatch):
    def broken(db):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "grievance_choices", broken)
    response = client.get(f"{BASE}/services/payment.json")
    assert response.status_code == 500
    assert body(response)[0]["code"] == 500
    assert "a bug" not in response.get_data(as_text=True)


def test_workers_share_one_count_in_redis(make_app, database_url, redis_url):
    limits = {"RATE_LIMITS": {"open311_per_address": "3 per minute"}}
    workers = [
        make_app({"DATABASE_URL": database_url, "REDIS_URL": redis_url}, TESTING=True, **limits)
        for _ in range(2)
    ]
    answers = [
        workers[n % 2].test_client().get(f"{BASE}/services.json").status_code for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_the_apps_own_limit_is_refused_in_the_spec_shape_too(client, directory, monkeypatch):
    # Flask-Limiter's refusal (the per-key limit the app sets on machine interfaces).
    def limited(db):
        raise TooManyRequests()

    monkeypatch.setattr(services, "grievance_choices", limited)
    response = client.get(f"{BASE}/services/payment.xml")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert xml(response).findtext("error/code") == "429"
