"""Reading the service directory, in a reader's language (English where untranslated)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.database import Database
from casework.errors import N_
from casework.models import Agency, Office, Service

CATEGORIES = {
    "grants": N_("Grants and money"),
    "documents": N_("Birth, ID and documents"),
    "protection": N_("Safety and protection"),
    "health": N_("Health and recovery"),
    "education": N_("Children and school"),
    "housing": N_("Housing"),
    "food": N_("Food"),
}


@dataclass(frozen=True)
class ServiceSummary:
    id: int
    code: str
    category: str
    name: str
    short_name: str
    description: str
    # The language the text is in: differs from the one asked for when it fell back.
    language: str
    agency: str
    channels: tuple[str, ...]
    agency_code: str = ""


def list_services(db: Database, language: str) -> list[ServiceSummary]:
    """Active services, ordered by category (as in CATEGORIES) and then by name."""
    with db.read() as session:
        services = session.scalars(
            select(Service)
            .where(Service.active)
            .options(selectinload(Service.texts), selectinload(Service.agency))
        ).all()
        summaries = [_summary(service, language) for service in services]
    order = list(CATEGORIES)
    return sorted(
        summaries,
        key=lambda s: (order.index(s.category) if s.category in order else len(order), s.name),
    )


def _summary(service: Service, language: str) -> ServiceSummary:
    text = service.text(language)
    return ServiceSummary(
        id=service.id,
        code=service.code,
        category=service.category,
        name=text.name,
        short_name=text.short_name,
        description=text.description,
        language=text.language,
        agency=service.agency.short_name,
        channels=tuple(service.channels),
        agency_code=service.agency.code,
    )


@dataclass(frozen=True)
class OfficeSummary:
    id: int
    name: str
    agency: str
    district: str
    address: str
    phone: str | None
    opening_hours: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class ServiceDetail:
    summary: ServiceSummary
    eligibility: str
    required_documents: tuple[str, ...]
    cost: str
    application_fields: tuple[dict[str, Any], ...]
    offices: tuple[OfficeSummary, ...]


def categories(db: Database, channel: str | None = None) -> list[str]:
    """Categories with at least one active service (open to `channel`, if given)."""
    found = {
        s.category for s in list_services(db, "en") if channel is None or channel in s.channels
    }
    return [code for code in CATEGORIES if code in found]


def services_in_category(
    db: Database, category: str, language: str, channel: str | None = None
) -> list[ServiceSummary]:
    return [
        s
        for s in list_services(db, language)
        if s.category == category and (channel is None or channel in s.channels)
    ]


def service_detail(db: Database, service_id: int, language: str) -> ServiceDetail | None:
    with db.read() as session:
        service = session.scalars(
            select(Service)
            .where(Service.id == service_id, Service.active)
            .options(
                selectinload(Service.texts),
                selectinload(Service.agency),
                selectinload(Service.offices).selectinload(Office.agency),
            )
        ).one_or_none()
        if service is None:
            return None
        text = service.text(language)
        return ServiceDetail(
            summary=_summary(service, language),
            eligibility=text.eligibility,
            required_documents=tuple(text.required_documents),
            cost=text.cost,
            application_fields=tuple(service.application_fields),
            offices=tuple(_office(office) for office in sorted(service.offices, key=_by_place)),
        )


def districts(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Office.district).distinct().order_by(Office.district)))


def offices_in_district(db: Database, district: str) -> list[OfficeSummary]:
    with db.read() as session:
        offices = session.scalars(
            select(Office)
            .where(Office.district == district)
            .options(selectinload(Office.agency))
            .order_by(Office.name)
        ).all()
        return [_office(office) for office in offices]


def office(db: Database, office_id: int) -> OfficeSummary | None:
    with db.read() as session:
        found = session.get(Office, office_id)
        return _office(found) if found else None


def _by_place(office: Office) -> tuple[str, str]:
    return (office.district, office.name)


def _office(office: Office) -> OfficeSummary:
    return OfficeSummary(
        id=office.id,
        name=office.name,
        agency=office.agency.short_name,
        district=office.district,
        address=office.address,
        phone=office.phone,
        opening_hours=tuple(office.opening_hours),
    )


@dataclass(frozen=True)
class AgencySummary:
    id: int
    code: str
    short_name: str
    services: tuple[tuple[int, str], ...]  # (service id, name in the reader's language)


def agencies(db: Database, language: str) -> list[AgencySummary]:
    """Every agency with its active services, for choosing where to refer someone."""
    with db.read() as session:
        rows = session.scalars(select(Agency).order_by(Agency.short_name)).all()
        services = session.scalars(
            select(Service).where(Service.active).options(selectinload(Service.texts))
        ).all()
        by_agency: dict[int, list[tuple[int, str]]] = {}
        for service in services:
            by_agency.setdefault(service.agency_id, []).append(
                (service.id, service.text(language).name)
            )
        return [
            AgencySummary(
                a.id,
                a.code,
                a.short_name,
                tuple(sorted(by_agency.get(a.id, []), key=lambda s: s[1])),
            )
            for a in rows
        ]


def agency_records(db: Database) -> list[dict[str, str | None]]:
    """Every agency's public particulars, by name."""
    with db.read() as session:
        return [
            {
                "code": a.code,
                "name": a.name,
                "short_name": a.short_name,
                "country": a.country,
                "phone": a.phone,
                "email": a.email,
                "website": a.website,
            }
            for a in session.scalars(select(Agency).order_by(Agency.name))
        ]
