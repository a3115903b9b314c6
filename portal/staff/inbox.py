"""The staff inbox: inbound SMS that matched no keyword, to attach to a case, answer or
dismiss. Every write is one casework call (casework.services.inbox); the roles that may
use it are casework's (INBOX_ROLES), and others get the console's "not for your role"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_datetime
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from casework.errors import N_, CaseworkError, InvalidInput
from casework.i18n import DISPLAY_TIMEZONE
from casework.inbox_queries import (
    INBOX_ROLES,
    InboxMessage,
    inbox_message,
    may_use_inbox,
    open_inbox,
    open_inbox_count,
)
from casework.references import format_reference
from casework.services.inbox import (
    ALREADY_HANDLED,
    ANSWER_TEMPLATE,
    AlreadyHandled,
    answer_inbound,
    attach_inbound,
    dismiss_inbound,
)
from casework.services.triage import MESSAGE_MAX
from notifications.templates import render_and_measure
from portal.page_helpers import clean_text
from portal.services import get_db
from portal.staff.auth import staff_required

blueprint = Blueprint("staff_inbox", __name__, url_prefix="/staff")


class AttachForm(FlaskForm):
    # Any reference may come back: the casework call checks it is in the officer's scope.
    case = RadioField(_l("The sender's open cases"), validate_choice=False)
    reference = StringField(
        _l("Or the reference of another case"), filters=[clean_text], render_kw={"maxlength": 20}
    )


class AnswerForm(FlaskForm):
    text = TextAreaField(
        _l("Your answer (sent by SMS)"),
        filters=[clean_text],
        validators=[
            # The data after clean_text: spaces alone are no answer.
            DataRequired(_l("Write the message")),
            Length(
                max=MESSAGE_MAX,
                message=_l("The message must be %(limit)s characters or fewer", limit=MESSAGE_MAX),
            ),
        ],
        render_kw={"rows": 3, "maxlength": MESSAGE_MAX},
    )


class DismissForm(FlaskForm):
    """Nothing but the CSRF token: dismissing asks for no words."""


@blueprint.get("/inbox")
@staff_required(*INBOX_ROLES)
def inbox() -> ResponseReturnValue:
    page = min(max(request.args.get("page", 0, type=int), 0), 10_000)
    found = open_inbox(get_db(), current_user.actor, page)
    return render_template(
        "staff/inbox.html", inbox=found, page=page, when=_when, done=request.args.get("done")
    )


@blueprint.route("/inbox/<int:inbound_id>", methods=["GET", "POST"])
@staff_required(*INBOX_ROLES)
def message(inbound_id: int) -> ResponseReturnValue:
    view = _message(inbound_id)
    forms = _forms(view)
    preview, problem = None, None
    action = request.form.get("action")
    if request.method == "POST" and view.handled_at is not None:
        # Another officer got there between this officer's page and their click.
        problem = str(AlreadyHandled(ALREADY_HANDLED, name=view.handled_by or "another officer"))
    elif request.method == "POST" and action in forms and forms[action].validate_on_submit():
        try:
            if action == "answer" and request.form.get("confirm") != "send":
                preview = _preview(view, forms["answer"])
            else:
                _act(view, action, forms[action])
                return redirect(url_for("staff_inbox.inbox", done=action))
        except AlreadyHandled as error:
            problem = str(error)
            view = _message(inbound_id)  # show who handled it, and how
        except CaseworkError as error:
            field = forms[action].reference if action == "attach" else forms[action].text
            field.errors = [*field.errors, str(error)]
    return render_template(
        "staff/inbox_message.html",
        view=view,
        forms=forms,
        preview=preview,
        problem=problem,
        when=_when,
    )


def _message(inbound_id: int) -> InboxMessage:
    fallback = current_app.config["PORTAL_LANGUAGES"][0]
    view = inbox_message(get_db(), current_user.actor, inbound_id, fallback)
    if view is None:
        abort(404)  # no such message, or a keyword message (not the inbox's)
    return view


def _forms(view: InboxMessage) -> dict[str, Any]:
    attach = AttachForm(prefix="attach")
    attach.case.choices = [
        SelectChoice(
            c.reference,
            f"{format_reference(c.reference, c.kind)} ({c.kind}, {c.status.replace('_', ' ')})",
        )
        for c in view.row.cases
    ]
    forms: dict[str, Any] = {"attach": attach, "dismiss": DismissForm(prefix="dismiss")}
    if view.row.sender and not view.stopped_since:
        forms["answer"] = AnswerForm(prefix="answer")
    return forms


def _act(view: InboxMessage, action: str, form: Any) -> None:
    db, actor, inbound_id = get_db(), current_user.actor, view.row.id
    if action == "attach":
        chosen, typed = form.case.data or "", form.reference.data or ""
        if chosen and typed:
            raise InvalidInput(
                "reference", N_("Choose one of the sender's cases or type a reference, not both")
            )
        attach_inbound(db, inbound_id, actor, chosen or typed)
    elif action == "answer":
        answer_inbound(
            db,
            inbound_id,
            actor,
            form.text.data,
            fallback_language=current_app.config["PORTAL_LANGUAGES"][0],
        )
    elif action == "dismiss":
        dismiss_inbound(db, inbound_id, actor)


def _preview(view: InboxMessage, form: AnswerForm) -> dict[str, Any]:
    """The SMS exactly as the sender will get it (the relay renders it the same way),
    with what it costs to send."""
    body = " ".join((form.text.data or "").split())
    sms, size = render_and_measure(ANSWER_TEMPLATE, view.answer_language, {"text": body})
    return {"sms": sms, "size": size}


def _when(value: dt.datetime) -> str:
    """Day and time: an SMS that waited since 08:00 is older than one from 15:00."""
    return format_datetime(value, "d MMM y, HH:mm", tzinfo=DISPLAY_TIMEZONE, locale="en")


@blueprint.app_context_processor
def inbox_link() -> dict[str, Any]:
    """For the staff navigation: the open count, or None for a role without the inbox.
    A function, so only the pages that show the link pay for the query."""

    def inbox_open_count() -> int | None:
        if not current_user.is_authenticated or not hasattr(current_user, "actor"):
            return None
        return open_inbox_count(get_db()) if may_use_inbox(current_user.actor) else None

    return {"inbox_open_count": inbox_open_count}
