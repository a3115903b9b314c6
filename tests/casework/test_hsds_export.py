"""The directory as Open Referral HSDS 3.0: valid against the published schema, in every
language, with ids that never change."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from jsonschema import ValidationError
from sqlalchemy import select

from casework import hsds_export
from casework.demo_directory_data import AGENCIES, OFFICES, SERVICES
from casework.hsds_ids import stable_id
from casework.models import Office, Service, ServiceText
from casework.seed_demo import DEMO_STAFF, directory_texts, seed_demo
from tests.factories import create_agency, create_office, create_service
from tests.hsds_validation import ORGANIZATION, SERVICE

LANGUAGES = ["en", *directory_texts()]
BY_CODE = {service["code"]: service for service in SERVICES}


@pytest.fixture
def demo(db):
    seed_demo(db, with_staff=False)
    return db


def _by_name(records, name):
    return next(record for record in records if record["name"] == name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_services_validate_against_hsds_in_every_language(demo, language):
    exported = hsds_export.services(demo, language)
    assert len(exported) == len(SERVICES)
    for record in exported:
        SERVICE.validate(record)


@pytest.mark.parametrize("language", LANGUAGES)
def test_organizations_validate_against_hsds_in_every_language(demo, language):
    exported = hsds_export.organizations(demo, language)
    assert {record["name"] for record in exported} == {agency["name"] for agency in AGENCIES}
    for record in exported:
        ORGANIZATION.validate(record)


def test_validation_rejects_a_broken_export(demo):
    # Without this, a schema that failed to load or checked nothing would pass every test.
    good = hsds_export.services(demo)[0]
    breakages = {
        "an id that is not a UUID": lambda s: s.update(id="older-persons-grant"),
        "no name": lambda s: s.pop("name"),
        "a status HSDS does not know": lambda s: s.update(status="open"),
        "a latitude as text": lambda s: s["service_at_locations"][0]["location"].update(
            latitude="-26.2"
        ),
        "an address without its postcode": lambda s: s["service_at_locations"][0]["location"][
            "addresses"
        ][0].pop("postal_code"),
        "a schedule repeating daily": lambda s: s["service_at_locations"][0]["location"][
            "schedules"
        ][0].update(freq="DAILY"),
        "an organization without a description": lambda s: s["organization"].pop("description"),
        "a last_modified that is not a date": lambda s: s.update(last_modified="yesterday"),
    }
    for what, breaking in breakages.items():
        broken = copy.deepcopy(good)
        breaking(broken)
        with pytest.raises(ValidationError):
            SERVICE.validate(broken)
            pytest.fail(f"{what} passed validation")


def test_ids_are_the_same_in_every_export_and_language(demo):
    def ids(records):
        found = []

        def walk(value):
            if isinstance(value, dict):
                found.extend(v for k, v in value.items() if k == "id" or k.endswith("_id"))
                for child in value.values():
                    walk(child)
            elif isinstance(value, list):
                for child in value:
                    walk(child)

        walk(records)
        return found

    first = ids(hsds_export.services(demo, "en"))
    assert first == ids(hsds_export.services(demo, "en"))
    assert first == ids(hsds_export.services(demo, "zu"))
    # Pinned: a changed namespace or naming would make every published record look new.
    assert stable_id("service", "older-persons-grant") == "b13253a0-3bc4-5c3a-a8b5-7c8e12c37fbe"
    older = next(s for s in hsds_export.services(demo) if s["name"] == "Older Persons Grant")
    assert older["id"] == stable_id("service", "older-persons-grant")


def test_text_is_in_the_language_asked_for(demo):
    zulu = directory_texts()["zu"]["services"]["older-persons-grant"]
    record = _by_name(hsds_export.services(demo, "zu"), zulu["name"])
    assert record["description"] == zulu["description"]
    assert record["eligibility_description"] == zulu["eligibility"]
    assert record["fees_description"] == zulu["cost"]
    assert [d["document"] for d in record["required_documents"]] == zulu["required_documents"]
    assert {language["code"] for language in record["languages"]} == set(LANGUAGES)
    # Language names are written in the reader's language.
    assert {"isiXhosa", "isiZulu"} <= {language["name"] for language in record["languages"]}


def test_untranslated_services_fall_back_to_english(db):
    agency = create_agency(db, name="Department of Social Development", short_name="DSD")
    create_office(db, agency)
    english = ServiceText(
        language="en",
        name="Food parcels",
        short_name="Food parcels",
        description="A parcel of food for a household in distress.",
        eligibility="Households with no income.",
        required_documents=["ID document"],
        cost="Free",
    )
    create_service(db, agency, texts=[english])
    (record,) = hsds_export.services(db, "xh")
    assert record["name"] == "Food parcels"
    assert [language["code"] for language in record["languages"]] == ["en"]
    SERVICE.validate(record)


def test_every_office_is_a_location_with_coordinates_address_and_hours(demo):
    record = _by_name(hsds_export.services(demo), "Older Persons Grant")
    sassa = [
        office for office in OFFICES if office["agency"] == BY_CODE["older-persons-grant"]["agency"]
    ]
    locations = [sal["location"] for sal in record["service_at_locations"]]
    assert {location["name"] for location in locations} == {office["name"] for office in sassa}
    for office in sassa:
        location = _by_name(locations, office["name"])
        assert (location["latitude"], location["longitude"]) == (
            office["latitude"],
            office["longitude"],
        )
        (address,) = location["addresses"]
        assert address["postal_code"] == office["address"].rsplit(", ", 1)[1]
        assert address["country"] == "ZA"
        assert location["phones"][0]["number"] == office["phone"]
        (hours,) = location["schedules"]
        # SASSA offices: weekdays 08:00-16:00, South African time.
        assert hours["freq"] == "WEEKLY" and hours["byday"] == "MO,TU,WE,TH,FR"
        assert (hours["opens_at"], hours["closes_at"]) == ("08:00+02:00", "16:00+02:00")
    jabulani = _by_name(locations, "SASSA Jabulani Local Office")["addresses"][0]
    assert jabulani["address_1"] == "Jabulani Civic Centre, Koma Road, Jabulani"
    assert jabulani["city"] == "Soweto"


def test_opening_hours_written_otherwise_keep_their_words(db):
    agency = create_agency(db)
    office = create_office(
        db,
        agency,
        address="Stand 12, next to the taxi rank",
        municipality="Mbizana Local Municipality",
        opening_hours=[
            {"days": "Sat-Mon", "opens": "09:00", "closes": "12:00"},
            {"days": "Month-end Fridays", "opens": "07:00", "closes": "18:00"},
        ],
    )
    create_service(db, agency, offices=[office])
    (record,) = hsds_export.services(db)
    SERVICE.validate(record)
    location = record["service_at_locations"][0]["location"]
    weekend, month_end = location["schedules"]
    assert weekend["byday"] == "SA,SU,MO"
    assert "byday" not in month_end and month_end["description"] == "Month-end Fridays 07:00-18:00"
    (address,) = location["addresses"]
    assert address["address_1"] == "Stand 12, next to the taxi rank"
    assert (address["city"], address["postal_code"]) == ("Mbizana Local Municipality", "")
    assert "latitude" not in location  # no coordinates rather than made-up ones


def test_inactive_services_are_left_out(demo):
    with demo.transaction() as session:
        row = session.scalars(select(Service).where(Service.code == "older-persons-grant")).one()
        row.active = False
    exported = hsds_export.services(demo)
    assert len(exported) == len(SERVICES) - 1
    assert "Older Persons Grant" not in {record["name"] for record in exported}
    assert hsds_export.service(demo, stable_id("service", "older-persons-grant")) is None


def test_one_record_is_found_by_its_id(demo):
    found = hsds_export.service(demo, stable_id("service", "older-persons-grant"), "af")
    assert found is not None
    assert found["name"] == directory_texts()["af"]["services"]["older-persons-grant"]["name"]
    sassa = hsds_export.organization(demo, stable_id("organization", "sassa"))
    assert sassa is not None and sassa["alternate_name"] == "SASSA"
    assert len(sassa["locations"]) == sum(office["agency"] == "sassa" for office in OFFICES)
    assert hsds_export.organization(demo, stable_id("organization", "nobody")) is None


def test_list_items_keep_direct_fields_only(demo):
    record = hsds_export.services(demo)[0]
    item = hsds_export.one_to_one(record)
    assert "service_at_locations" not in item and "required_documents" not in item
    assert item["organization"]["name"] == record["organization"]["name"]
    assert "phones" not in item["organization"]
    SERVICE.validate(item)


def test_the_export_names_no_person(db):
    seed_demo(db)  # with the demo staff accounts, who must not leak into a public export
    exported = json.dumps(
        [hsds_export.services(db), hsds_export.organizations(db)], ensure_ascii=False
    )
    for username, display_name, _role, _agency in DEMO_STAFF:
        assert username not in exported and display_name not in exported


def test_last_modified_follows_changes_to_an_office(demo):
    later = dt.datetime(2031, 5, 4, 3, 2, 1, 123000, tzinfo=dt.UTC)
    with demo.transaction() as session:
        office = session.scalars(
            select(Office).where(Office.name == "SASSA Jabulani Local Office")
        ).one()
        office.phone = "011 983 5901"
        office.updated_at = later
    record = _by_name(hsds_export.services(demo), "Older Persons Grant")
    assert record["last_modified"] == "2031-05-04T03:02:01.123Z"
