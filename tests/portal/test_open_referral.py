"""`/open-referral/`: the directory as an HSDS 3.0 API, and the `export-hsds` command."""

from __future__ import annotations

import json
import uuid

import pytest

from casework.demo_directory_data import AGENCIES, SERVICES
from casework.hsds_ids import stable_id
from casework.seed_demo import directory_texts, seed_demo
from tests.hsds_validation import ORGANIZATION, ORGANIZATION_PAGE, SERVICE, SERVICE_PAGE

OLDER = stable_id("service", "older-persons-grant")


@pytest.fixture
def client(app, db):  # type: ignore[no-untyped-def]
    seed_demo(db, with_staff=False)
    return app.test_client()


def _json(response, status=200):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_root_says_which_hsds_this_is(client):
    about = _json(client.get("/open-referral/"))
    assert about["version"] == "3.0"
    assert about["openapi_url"].endswith("/3.0/schema/openapi.json")
    assert about["profile"].startswith("https://")


def test_services_come_in_valid_pages(client):
    first = _json(client.get("/open-referral/services?per_page=5"))
    SERVICE_PAGE.validate(first)
    assert first["total_items"] == len(SERVICES)
    assert first["total_pages"] == 4
    assert (first["page_number"], first["size"]) == (1, 5)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    # A list item carries the service's own fields, not its child records.
    assert "service_at_locations" not in first["contents"][0]

    last = _json(client.get("/open-referral/services?per_page=5&page=4"))
    SERVICE_PAGE.validate(last)
    assert last["size"] == len(SERVICES) - 15
    assert last["last_page"] and not last["first_page"]

    pages = [
        _json(client.get(f"/open-referral/services?per_page=5&page={n}"))["contents"]
        for n in range(1, 5)
    ]
    ids = [service["id"] for page in pages for service in page]
    assert len(ids) == len(set(ids)) == len(SERVICES)


def test_a_page_past_the_end_is_empty(client):
    page = _json(client.get("/open-referral/services?page=99"))
    SERVICE_PAGE.validate(page)
    assert page["empty"] and page["contents"] == [] and page["size"] == 0


def test_full_pages_nest_locations_and_schedules(client):
    page = _json(client.get("/open-referral/services?full=true&per_page=100"))
    SERVICE_PAGE.validate(page)
    for service in page["contents"]:
        assert service["service_at_locations"], service["name"]
        location = service["service_at_locations"][0]["location"]
        assert location["schedules"] and "latitude" in location


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("page=0", "page"),
        ("page=two", "page"),
        ("page=-1", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=1.5", "per_page"),
        ("full=yes", "full"),
        ("language=fr", "language"),
    ],
)
def test_bad_query_values_are_refused_with_what_to_send(client, query, named):
    for path in ("/open-referral/services", "/open-referral/organizations"):
        problem = _json(client.get(f"{path}?{query}"), 400)
        assert problem["status"] == 400
        assert problem["detail"].startswith(f"{named} must be"), problem


def test_one_service_comes_whole_in_the_language_asked_for(client):
    service = _json(client.get(f"/open-referral/services/{OLDER}?language=zu"))
    SERVICE.validate(service)
    assert service["id"] == OLDER
    assert service["name"] == directory_texts()["zu"]["services"]["older-persons-grant"]["name"]
    assert service["organization"]["alternate_name"] == "SASSA"
    for link in service["service_at_locations"]:
        assert link["location"]["addresses"][0]["country"] == "ZA"


@pytest.mark.parametrize("hsds_id", [str(uuid.uuid4()), "older-persons-grant", "1"])
def test_an_unknown_id_is_a_json_404(client, hsds_id):
    for kind in ("services", "organizations"):
        problem = _json(client.get(f"/open-referral/{kind}/{hsds_id}"), 404)
        assert problem["status"] == 404 and hsds_id in problem["detail"]


def test_organizations_come_in_pages_and_whole(client):
    page = _json(client.get("/open-referral/organizations?language=af"))
    ORGANIZATION_PAGE.validate(page)
    assert page["total_items"] == len(AGENCIES)
    assert {item["name"] for item in page["contents"]} == {agency["name"] for agency in AGENCIES}

    sassa = _json(client.get(f"/open-referral/organizations/{stable_id('organization', 'sassa')}"))
    ORGANIZATION.validate(sassa)
    assert sassa["website"] == "https://www.sassa.gov.za"
    assert all("latitude" in location for location in sassa["locations"])


def test_no_session_or_form_token_is_needed(app, client):
    # A fresh client, no cookies: the API is public and GET-only.
    assert client.get("/open-referral/services").status_code == 200
    assert client.post("/open-referral/services").status_code == 405


def test_export_command_writes_valid_services(app, db):
    seed_demo(db, with_staff=False)
    result = app.test_cli_runner().invoke(args=["directory", "export-hsds", "--language", "st"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    assert len(exported) == len(SERVICES)
    for service in exported:
        SERVICE.validate(service)
    names = {service["name"] for service in exported}
    assert directory_texts()["st"]["services"]["older-persons-grant"]["name"] in names


def test_export_command_writes_a_file(app, db, tmp_path):
    seed_demo(db, with_staff=False)
    target = tmp_path / "hsds.json"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["directory", "export-hsds", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert OLDER in {service["id"] for service in exported}


def test_export_command_refuses_a_language_not_offered(app, db, tmp_path):
    target = tmp_path / "hsds.json"
    runner = app.test_cli_runner()
    args = ["directory", "export-hsds", "--language", "fr", "--output", str(target)]
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert "--language" in result.output and "en" in result.output
    assert not target.exists()  # no empty file left where the export was expected
