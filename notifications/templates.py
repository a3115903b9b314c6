"""Every SMS Thusa sends, as gettext message ids with named placeholders.

The relay renders a template in the recipient's language at send time. Status updates
and sign-in codes must fit one SMS part in every language (tests render each one with
the longest realistic values); where a translation cannot fit, it is the translation
that gets shorter. Plain ASCII in the English text keeps it GSM-7: no curly quotes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from casework.errors import N_
from casework.i18n import translations
from casework.status_labels import status_label
from casework.text_encoding import SmsSize, measure


@dataclass(frozen=True)
class Template:
    text: str
    # Must fit one part in every language (status updates and codes).
    one_part: bool = True
    # Secrets in params, dropped from the outbox row once sent.
    secret_params: tuple[str, ...] = ()
    # The recipient's number is dropped once sent (anonymous grievances).
    forget_recipient: bool = False
    # Sent even to a number that texted STOP (the citizen asked for it just now).
    requested: bool = False


TEMPLATES: dict[str, Template] = {
    # Grievances
    "grievance_lodged": Template(
        N_(
            "Thusa: we received your complaint. Ref %(reference)s. We will reply within"
            " 2 working days."
        )
    ),
    "grievance_lodged_anonymous": Template(
        N_(
            "Thusa: we received your complaint. Ref %(reference)s PIN %(pin)s. Keep both to"
            " follow it. Your number is not kept."
        ),
        secret_params=("pin",),
        forget_recipient=True,
        requested=True,
    ),
    "grievance_acknowledged": Template(
        N_("Thusa: your complaint %(reference)s has been read and will be looked into.")
    ),
    "grievance_assigned": Template(
        N_("Thusa: your complaint %(reference)s is now with an officer.")
    ),
    "grievance_in_progress": Template(
        N_("Thusa: an officer is working on your complaint %(reference)s.")
    ),
    "grievance_resolved": Template(
        N_(
            "Thusa: your complaint %(reference)s is resolved. Not happy? Reply STATUS"
            " %(reference)s or dial %(ussd)s."
        )
    ),
    "grievance_closed": Template(N_("Thusa: your complaint %(reference)s is closed.")),
    "grievance_reopened": Template(N_("Thusa: your complaint %(reference)s has been reopened.")),
    "grievance_rejected": Template(
        N_("Thusa: your complaint %(reference)s was not accepted. See why: dial %(ussd)s.")
    ),
    "grievance_escalated": Template(
        N_("Thusa: your complaint %(reference)s has gone to a supervisor.")
    ),
    # Referrals
    "referral_sent": Template(
        N_("Thusa: you have been referred to %(agency)s. Ref %(reference)s. They will contact you.")
    ),
    "referral_accepted": Template(N_("Thusa: %(reference)s: your referral was accepted.")),
    "referral_declined": Template(
        N_(
            "Thusa: %(reference)s: that office could not take your referral. Your officer will"
            " contact you."
        )
    ),
    "referral_completed": Template(N_("Thusa: %(reference)s: your referral is complete.")),
    "referral_cancelled": Template(N_("Thusa: %(reference)s: your referral was cancelled.")),
    # Applications
    "application_submitted": Template(
        N_("Thusa: we received your application for %(service)s. Ref %(reference)s.")
    ),
    "application_under_review": Template(
        N_("Thusa: your application %(reference)s is being reviewed.")
    ),
    "application_more_info": Template(
        N_(
            "Thusa: we need more information for application %(reference)s. Dial %(ussd)s"
            " or go online."
        )
    ),
    "application_approved": Template(
        N_("Thusa: good news! Your application %(reference)s was approved.")
    ),
    "application_rejected": Template(
        N_("Thusa: your application %(reference)s was not approved. See why: dial %(ussd)s.")
    ),
    "application_withdrawn": Template(N_("Thusa: your application %(reference)s was withdrawn.")),
    # Any kind
    "case_message": Template(
        N_("Thusa: you have a new message about %(reference)s. Dial %(ussd)s to read it.")
    ),
    # Sent once per case, by the overdue sweep (casework.sweep).
    "case_delayed": Template(
        N_(
            "Thusa: sorry, %(reference)s is taking longer than we promised. We have flagged"
            " it as late. Dial %(ussd)s to follow it."
        )
    ),
    # An officer's own words (shown to them, with its parts and encoding, before sending).
    "staff_message": Template(N_("Thusa %(reference)s: %(text)s"), one_part=False),
    # Standard messages an officer can send without typing.
    "staff_bring_documents": Template(
        N_(
            "Thusa %(reference)s: please bring your ID and the documents for your case to the"
            " office where you applied."
        )
    ),
    "staff_tried_to_call": Template(
        N_(
            "Thusa %(reference)s: an officer tried to reach you about your case. Dial"
            " %(ussd)s or visit the office."
        )
    ),
    # An officer's answer to an SMS that matched no keyword (the staff inbox). It answers
    # the citizen's own message, so it goes even to a number that once texted STOP.
    "inbox_reply": Template(N_("Thusa: %(text)s"), one_part=False, requested=True),
    "sign_in_code": Template(
        N_("%(code)s is your Thusa code. It expires in 10 minutes. Never share it."),
        secret_params=("code",),
        requested=True,
    ),
    # Sent once to a number after our first SMS to it, unless it agreed to the notice on
    # the web or by USSD already (casework.privacy). One part, whatever the language.
    "privacy_notice": Template(
        N_(
            "Thusa keeps your number and messages only to handle your requests. Privacy"
            " notice: dial %(privacy)s"
        ),
        requested=True,
    ),
    # Replies to keywords
    "reply_status": Template(N_("Thusa: %(reference)s is %(status)s."), requested=True),
    "reply_status_unknown": Template(
        N_(
            "Thusa: no case with that reference belongs to this number. Check the reference"
            " and try again."
        ),
        requested=True,
    ),
    "reply_help": Template(
        N_(
            "Thusa: send STATUS and your reference to follow a case. STOP ends updates,"
            " LANG zu changes language. Or dial %(ussd)s."
        ),
        requested=True,
    ),
    "reply_stopped": Template(
        N_(
            "Thusa: you will get no more messages, except about your own cases. Send START to undo."
        ),
        requested=True,
    ),
    "reply_started": Template(
        N_("Thusa: you will get SMS updates again. Send STOP to end them."), requested=True
    ),
    "reply_language": Template(N_("Thusa: we will write to you in %(language)s."), requested=True),
    "reply_reference_mistyped": Template(
        N_(
            "Thusa: check that reference, one digit looks mistyped. References have 10"
            " digits, like 4827 1935 06."
        ),
        requested=True,
    ),
    "reply_language_unknown": Template(
        N_("Thusa: send LANG and one of: %(languages)s."), requested=True
    ),
    "reply_received": Template(
        N_("Thusa: we got your message. To follow a case send STATUS and your reference."),
        requested=True,
    ),
}


STAFF_STANDARD_MESSAGES = ("staff_bring_documents", "staff_tried_to_call", "case_message")


def render(template: str, language: str, params: dict[str, Any]) -> str:
    """The message text in `language` (English where the catalog lacks it)."""
    text = translations(language).gettext(TEMPLATES[template].text)
    values = dict(params)
    if "status" in values and "kind" in values:
        values["status"] = translations(language).gettext(
            status_label(values.pop("kind"), values["status"])
        )
    # NFC: a decomposed "é" (e + combining accent) would force UCS-2 on its own.
    return unicodedata.normalize("NFC", text % values)


def render_and_measure(template: str, language: str, params: dict[str, Any]) -> tuple[str, SmsSize]:
    text = render(template, language, params)
    return text, measure(text)
