"""The service directory as Open Referral HSDS 3.0, for aggregators and other directories.

Services come out in HSDS's *compiled* shape (a service with its organization, and each
office it is delivered at as a `service_at_location` with the office nested as its
`location`), organizations with their offices as `locations`. Text is in the language
asked for, English where a service is not translated.

Ids are UUIDs, as HSDS 3.0 requires, and the same in every export (see hsds_ids).

The directory holds no personal data, and nothing here may add any: only agencies,
offices and services, which are public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework.database import Database
from casework.hsds_ids import stable_id
from casework.hsds_locations import location
from casework.models import Agency, Office, Service
from casework.models.directory import FALLBACK_LANGUAGE

HSDS_VERSION = "3.0"


def services(db: Database, language: str = FALLBACK_LANGUAGE) -> list[dict[str, Any]]:
    """Every active service, compiled, ordered by code (so pages stay put between calls)."""
    with db.read() as session:
        rows = _active_services(session)
        offered = _offered(rows, language)
        return [_service(row, offered, language) for row in rows]


def service(db: Database, hsds_id: str, language: str = FALLBACK_LANGUAGE) -> dict[str, Any] | None:
    """The active service with this HSDS id, compiled; None if there is none."""
    with db.read() as session:
        # Ids are derived, not stored, so there is no index to look one up by; the
        # directory is small enough (tens of services) to derive them all.
        rows = _active_services(session)
        for row in rows:
            if stable_id("service", row.code) == hsds_id:
                return _service(row, _offered(rows, language), language)
    return None


def organizations(db: Database, language: str = FALLBACK_LANGUAGE) -> list[dict[str, Any]]:
    """Every agency with its offices, ordered by code."""
    with db.read() as session:
        agencies, offered = _agencies(session, language)
        return [_organization(agency, offered, with_locations=True) for agency in agencies]


def organization(
    db: Database, hsds_id: str, language: str = FALLBACK_LANGUAGE
) -> dict[str, Any] | None:
    """The agency with this HSDS id, with its offices; None if there is none."""
    with db.read() as session:
        agencies, offered = _agencies(session, language)
        for agency in agencies:
            if stable_id("organization", agency.code) == hsds_id:
                return _organization(agency, offered, with_locations=True)
    return None


def one_to_one(record: dict[str, Any]) -> dict[str, Any]:
    """`record` without its lists of child records: what an HSDS list endpoint returns
    for each item (nested single records, like a service's organization, keep their
    own fields)."""
    return {
        key: one_to_one(value) if isinstance(value, dict) else value
        for key, value in record.items()
        if not isinstance(value, list)
    }


def _active_services(session: Session) -> list[Service]:
    return list(
        session.scalars(
            select(Service)
            .where(Service.active)
            .options(
                selectinload(Service.texts),
                selectinload(Service.agency),
                selectinload(Service.offices).selectinload(Office.agency),
            )
            .order_by(Service.code)
        )
    )


def _agencies(session: Session, language: str) -> tuple[list[Agency], dict[int, list[str]]]:
    """Agencies with their offices, and the names of each one's active services."""
    agencies = list(
        session.scalars(select(Agency).options(selectinload(Agency.offices)).order_by(Agency.code))
    )
    return agencies, _offered(_active_services(session), language)


def _offered(rows: list[Service], language: str) -> dict[int, list[str]]:
    """The names of each agency's active services, by agency id."""
    offered: dict[int, list[str]] = {}
    for row in rows:
        offered.setdefault(row.agency_id, []).append(row.text(language).name)
    return offered


def _service(row: Service, offered: dict[int, list[str]], language: str) -> dict[str, Any]:
    text = row.text(language)
    service_id = stable_id("service", row.code)
    record: dict[str, Any] = {
        "id": service_id,
        "organization_id": stable_id("organization", row.agency.code),
        "name": text.name,
        "description": text.description,
        "status": "active" if row.active else "inactive",
        "eligibility_description": text.eligibility,
        "fees_description": text.cost,
        "last_modified": _last_modified(row),
        "organization": _organization(row.agency, offered, with_locations=False),
        "service_at_locations": [
            _service_at_location(service_id, row.code, office)
            for office in sorted(row.offices, key=lambda office: (office.district, office.name))
        ],
        "required_documents": [
            {
                "id": stable_id("required_document", f"{row.code}:{n}"),
                "service_id": service_id,
                "document": document,
            }
            for n, document in enumerate(text.required_documents)
        ],
        "languages": [
            {
                "id": stable_id("language", f"{row.code}:{code}"),
                "service_id": service_id,
                "name": _language_name(code, language),
                "code": code,
            }
            for code in sorted({translation.language for translation in row.texts})
        ],
    }
    if text.short_name and text.short_name != text.name:
        record["alternate_name"] = text.short_name
    return record


def _organization(
    agency: Agency, offered: dict[int, list[str]], *, with_locations: bool
) -> dict[str, Any]:
    organization_id = stable_id("organization", agency.code)
    names = offered.get(agency.id)
    record: dict[str, Any] = {
        "id": organization_id,
        "name": agency.name,
        "alternate_name": agency.short_name,
        # HSDS requires a description and the directory keeps none: the services it
        # delivers, in the reader's language, say more than repeating its name would.
        "description": "; ".join(sorted(names)) if names else agency.name,
        "phones": [
            {
                "id": stable_id("phone", f"organization:{agency.code}"),
                "organization_id": organization_id,
                "number": agency.phone,
                "type": "voice",
            }
        ]
        if agency.phone
        else [],
    }
    if agency.email:
        record["email"] = agency.email
    if agency.website:
        record["website"] = agency.website
    if with_locations:
        record["locations"] = [location(office) for office in agency.offices]
    return record


def _service_at_location(service_id: str, code: str, office: Office) -> dict[str, Any]:
    return {
        "id": stable_id("service_at_location", f"{code}:{office.id}"),
        "service_id": service_id,
        "location_id": stable_id("location", office.id),
        "location": location(office),
    }


def _language_name(code: str, language: str) -> str:
    """The name of language `code`, written in `language` (English where Babel lacks it)."""
    for reader in (language, FALLBACK_LANGUAGE):
        try:
            name = Locale.parse(reader).languages.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            return name
    return code


def _last_modified(row: Service) -> str:
    """When the service, its agency or one of its offices last changed, as HSDS writes it
    (UTC, milliseconds). Its texts keep no time of their own, so a change to a text alone
    shows only if it was saved with the service."""
    moments = [
        row.updated_at,
        row.agency.updated_at,
        *(office.updated_at for office in row.offices),
    ]
    latest = max(moments).astimezone(dt.UTC)
    return latest.isoformat(timespec="milliseconds").replace("+00:00", "Z")
