"""Reading the service directory, in a reader's language (English where untranslated)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.database import Database
from casework.errors import N_
from casework.models import Service

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
    )
