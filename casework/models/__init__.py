"""Every casework table, importable from one place (Alembic reads Base.metadata)."""

from casework.models.base import Base, utcnow
from casework.models.cases import (
    Application,
    Case,
    CaseEvent,
    CaseKind,
    Channel,
    Grievance,
    Referral,
)
from casework.models.dashboard import DashboardSnapshot
from casework.models.directory import Agency, Office, Service, ServiceText, service_offices
from casework.models.integrations import ApiKey, WebhookDelivery, WebhookSubscription
from casework.models.people import Citizen, PrivacyConsent, Role, StaffUser
from casework.models.records import (
    AuditLog,
    Document,
    EarlyDeliveryReport,
    GatewayPause,
    InboundMessage,
    InboxOutcome,
    MessageStatus,
    OutboundMessage,
    SignInCode,
)

__all__ = [
    "Agency",
    "ApiKey",
    "Application",
    "AuditLog",
    "Base",
    "Case",
    "CaseEvent",
    "CaseKind",
    "Channel",
    "Citizen",
    "DashboardSnapshot",
    "Document",
    "EarlyDeliveryReport",
    "GatewayPause",
    "Grievance",
    "InboundMessage",
    "InboxOutcome",
    "MessageStatus",
    "Office",
    "OutboundMessage",
    "PrivacyConsent",
    "Referral",
    "Role",
    "Service",
    "ServiceText",
    "SignInCode",
    "StaffUser",
    "WebhookDelivery",
    "WebhookSubscription",
    "service_offices",
    "utcnow",
]
