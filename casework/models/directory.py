"""The service directory, shaped after Open Referral HSDS.

Agency ~ HSDS organization, Office ~ location, Service ~ service, service_offices ~
service_at_location. Text a citizen reads is stored per language in ServiceText, with
English as the fallback.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, Timestamped

FALLBACK_LANGUAGE = "en"


class Agency(Timestamped, Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    # Grievances lodged without an office start in this agency's triage queue.
    intake: Mapped[bool] = mapped_column(default=False)

    offices: Mapped[list[Office]] = relationship(back_populates="agency", order_by="Office.name")
    services: Mapped[list[Service]] = relationship(back_populates="agency")


class Office(Timestamped, Base):
    """A place a citizen can walk into, in a district (or metro) and municipality."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(100), index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(32))
    # [{"days": "Mon-Fri", "opens": "08:00", "closes": "16:00"}]: structured so each
    # channel can format days and times in the reader's language.
    opening_hours: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    agency: Mapped[Agency] = relationship(back_populates="offices")


service_offices = Table(
    "service_offices",
    Base.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("office_id", ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
)


class Service(Timestamped, Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    # Field definitions of the application form; see casework.application_fields.
    application_fields: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # Where a citizen may apply: any of "web", "ussd", "assisted" (at an office).
    channels: Mapped[list[str]] = mapped_column(default=list)
    service_level_days: Mapped[int] = mapped_column(default=10)
    active: Mapped[bool] = mapped_column(default=True)

    agency: Mapped[Agency] = relationship(back_populates="services")
    texts: Mapped[list[ServiceText]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    offices: Mapped[list[Office]] = relationship(secondary=service_offices)

    def text(self, language: str) -> ServiceText:
        """The text in `language`, else English (check `.language` to mark the fallback)."""
        by_language = {text.language: text for text in self.texts}
        return by_language.get(language) or by_language[FALLBACK_LANGUAGE]


class ServiceText(Base):
    __tablename__ = "service_texts"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Short enough for a USSD screen and an SMS.
    short_name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    eligibility: Mapped[str] = mapped_column(Text)
    required_documents: Mapped[list[str]] = mapped_column(default=list)
    cost: Mapped[str] = mapped_column(String(200))

    service: Mapped[Service] = relationship(back_populates="texts")
