"""What the API takes and gives, as pydantic models: spectree validates requests and
responses against them and writes the OpenAPI 3.1 document from them, so the document
cannot drift from the code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from casework.models.base import plausible_moment

Kind = Literal["application", "referral", "grievance"]
Urgency = Literal["urgent", "high", "normal"]


class Strict(BaseModel):
    # An unknown field is a mistake on the caller's side worth saying, not ignoring.
    model_config = ConfigDict(extra="forbid")


class StrictBody(Strict):
    # A JSON body says what it means: 0 is not false, "5" is not 5.
    model_config = ConfigDict(extra="forbid", strict=True)


def _timestamp(value: Any) -> Any:
    """Only a written date and time: left lax, pydantic would read a bare number as
    seconds since 1970 (a typo would quietly become a date in 1970)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ].+", value):
        raise ValueError("Give a date and time like 2026-11-24T08:00:00+02:00")
    return value


def _plausible(value: dt.datetime) -> dt.datetime:
    if not plausible_moment(value):
        raise ValueError("Give a date between 1970 and 2100")
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    # A NUL cannot be stored in PostgreSQL at all, and the others are never meant:
    # refused here, they are an answer that says so rather than an error or a stored oddity.
    if _CONTROL.search(value):
        raise ValueError("Remove the control characters")
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]

Timestamp = Annotated[AwareDatetime, BeforeValidator(_timestamp), AfterValidator(_plausible)]


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Every refusal: a title, the HTTP status, and what to change when it is the input."""

    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


class CaseQuery(Strict):
    kind: Kind | None = None
    status: str | None = Field(None, pattern=r"^[a-z_]{1,32}$")
    open: bool | None = Field(None, description="Only open (true) or only closed (false).")
    category: str | None = Field(None, pattern=r"^[a-z_]{1,32}$", description="Grievances.")
    district: Text | None = Field(None, min_length=1, max_length=100, description="Grievances.")
    updated_since: Timestamp | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: Text | None = Field(
        None, max_length=64, description="`next_cursor` of the page before."
    )


class CaseSummary(BaseModel):
    reference: str
    kind: Kind
    status: str
    agency: str = Field(description="The owning (for a referral: receiving) agency's code.")
    channel: str
    language: str
    created_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None
    closed_at: dt.datetime | None


class CasePage(BaseModel):
    cases: list[CaseSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class Citizen(BaseModel):
    name: str | None
    phone: str | None
    language: str


class Grievance(BaseModel):
    category: str
    description: str
    district: str
    priority: str
    anonymous: bool


class Application(BaseModel):
    service: str
    answers: dict[str, Any]


class Referral(BaseModel):
    from_agency: str
    service: str | None
    reason: str
    urgency: str
    source_case: str | None


class Event(BaseModel):
    at: dt.datetime
    type: str
    public: bool
    from_status: str | None
    to_status: str | None
    body: str | None
    actor: Literal["citizen", "staff", "api", "system"]


class CaseDetail(CaseSummary):
    citizen: Citizen | None
    assigned_to: str | None
    grievance: Grievance | None = None
    application: Application | None = None
    referral: Referral | None = None
    timeline: list[Event]
    allowed_transitions: list[str] = Field(
        description="The statuses this key's role may move the case to now."
    )


class TransitionIn(StrictBody):
    to: str = Field(pattern=r"^[a-z_]{1,32}$")
    reason: Text | None = Field(None, max_length=2000)


class NoteIn(StrictBody):
    body: Text = Field(min_length=1, max_length=2000)
    public: bool = Field(False, description="Public notes are sent to the citizen by SMS.")


class ReferralIn(StrictBody):
    to_agency: Text = Field(min_length=1, max_length=32, description="The agency's code.")
    reason: Text = Field(min_length=1, max_length=2000)
    urgency: Urgency = "normal"
    source_case: str | None = Field(None, pattern=r"^[0-9]{10}$")
    citizen_phone: Text | None = Field(
        None, min_length=3, max_length=20, description="When there is no source case."
    )
    service: Text | None = Field(None, min_length=1, max_length=64, description="A service code.")


class CitizenQuery(Strict):
    phone: Text = Field(min_length=3, max_length=20)


class CitizenCases(Citizen):
    cases: list[CaseSummary]


class Agency(BaseModel):
    code: str
    name: str
    short_name: str
    country: str
    phone: str | None
    email: str | None
    website: str | None


class AgencyList(BaseModel):
    agencies: list[Agency]


class LanguageQuery(Strict):
    language: str = Field("en", pattern=r"^[a-z]{2}$")


class Service(BaseModel):
    code: str
    agency: str
    category: str
    name: str
    short_name: str
    description: str
    language: str = Field(description="The language of the text (English when not translated).")
    channels: list[str]


class ServiceList(BaseModel):
    services: list[Service]


class WebhookIn(StrictBody):
    url: Text = Field(min_length=8, max_length=500)
    events: list[Text] = Field(default_factory=list, description="Empty: every event.")


class Webhook(BaseModel):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: dt.datetime


class WebhookCreated(Webhook):
    secret: str = Field(description="Signs every delivery (HMAC-SHA256). Shown once.")


class WebhookList(BaseModel):
    webhooks: list[Webhook]


class DeliveryQuery(Strict):
    status: Literal["queued", "sending", "sent", "failed", "expired"] | None = None
    limit: int = Field(50, ge=1, le=200)


class Delivery(BaseModel):
    id: int = Field(description="The `Thusa-Delivery` header it was (or will be) sent with.")
    event: str
    reference: str | None = Field(description="The case it was about.")
    status: str = Field(description="queued, sending, sent, failed or expired.")
    attempts: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None = Field(description="When a queued one is tried next.")
    response_status: int | None = Field(description="Your server's last HTTP status.")
    failure_reason: str | None


class DeliveryList(BaseModel):
    deliveries: list[Delivery]
