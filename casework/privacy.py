"""The privacy notice (POPIA, Ghana's Data Protection Act): which version citizens agree
to, and the record of who agreed or was told, when and on which channel.

Where a citizen first gives us personal information, the channel tells them: the web
says it on the sign-in page and above every "Send" button, USSD in one line of the
confirmation screen, and a number that first reaches us by SMS is sent the notice by SMS
after our first reply. Anonymous complaints keep no number and record nothing here.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.models import Citizen, OutboundMessage, PrivacyConsent

# Change it whenever the notice's words change in substance: consents name the version
# the citizen saw.
NOTICE_VERSION = "2026-11"
NOTICE_TEMPLATE = "privacy_notice"
# The home menu's Privacy option (ussd.screens.home), dialled straight from home.
USSD_MENU_KEY = "6"
AGREED, NOTIFIED = "agreed", "notified"


def privacy_shortcut(ussd_code: str) -> str:
    """`*120*3210*6#` from `*120*3210#`: the code that opens the notice on any phone."""
    if ussd_code.endswith("#"):
        return f"{ussd_code[:-1]}*{USSD_MENU_KEY}#"
    return ussd_code


def record_consent(session: Session, citizen: Citizen, channel: str) -> PrivacyConsent | None:
    """The citizen agreed to the current notice on `channel`, in the caller's transaction.

    Once per citizen, channel and version: a second form sent under the same notice adds
    nothing. Returns the new row, or None when there was one already.
    """
    session.flush()  # a citizen registered a moment ago needs its id
    earlier = session.scalar(
        select(PrivacyConsent.id).where(
            PrivacyConsent.citizen_id == citizen.id,
            PrivacyConsent.channel == channel,
            PrivacyConsent.notice_version == NOTICE_VERSION,
            PrivacyConsent.how == AGREED,
        )
    )
    if earlier is not None:
        return None
    consent = PrivacyConsent(
        citizen_id=citizen.id, channel=channel, notice_version=NOTICE_VERSION, how=AGREED
    )
    session.add(consent)
    return consent


def has_had_notice(session: Session, phone: str) -> bool:
    """Whether this number agreed to or was sent the notice, on any channel, ever."""
    citizen_id = session.scalar(select(Citizen.id).where(Citizen.phone == phone))
    who = PrivacyConsent.phone == phone
    if citizen_id is not None:
        who = or_(who, PrivacyConsent.citizen_id == citizen_id)
    return session.scalar(select(PrivacyConsent.id).where(who).limit(1)) is not None


def follow_with_notice(session: Session, phone: str, language: str) -> OutboundMessage | None:
    """Queue the one-part SMS notice for a number that never had it, after whatever the
    caller queued for it in this transaction; None when it had the notice already.

    For first contact by SMS (our reply to a number new to us) and for numbers staff give
    us (a referral): a citizen who agreed on the web or by USSD is not texted it.
    """
    if has_had_notice(session, phone):
        return None
    citizen_id = session.scalar(select(Citizen.id).where(Citizen.phone == phone))
    session.add(
        PrivacyConsent(
            citizen_id=citizen_id,
            phone=None if citizen_id is not None else phone,
            channel="sms",
            notice_version=NOTICE_VERSION,
            how=NOTIFIED,
        )
    )
    notice = OutboundMessage(to=phone, template=NOTICE_TEMPLATE, params={}, language=language)
    session.add(notice)
    return notice


def consents_of(session: Session, citizen: Citizen) -> list[PrivacyConsent]:
    """Every record of the citizen's consent, oldest first (by id or by their number)."""
    who = PrivacyConsent.citizen_id == citizen.id
    if citizen.phone:
        who = or_(who, PrivacyConsent.phone == citizen.phone)
    return list(session.scalars(select(PrivacyConsent).where(who).order_by(PrivacyConsent.id)))
