"""A case's staff page and its actions, and the grievance triage queue. Every write is one
casework service call; a case out of the officer's scope is a 404 here as everywhere."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import BooleanField, Form, SelectChoice, SelectField, StringField

from casework.directory import districts
from casework.errors import CaseworkError, InvalidInput
from casework.grievance_categories import CATEGORIES
from casework.references import format_reference, parse_reference
from casework.services import add_note, assign, transition
from casework.services.triage import PRIORITIES, message_citizen, reclassify
from casework.staff_case_view import StaffCaseView, staff_case
from casework.staff_queries import QueueFilters, triage_queue
from casework.staff_sign_in import staff_list
from casework.workflows import GRIEVANCE
from notifications.templates import STAFF_STANDARD_MESSAGES, render_and_measure
from portal.services import get_db
from portal.staff.auth import staff_required
from portal.staff.case_forms import AssignForm, ClassifyForm, MessageForm, NoteForm, StatusForm
from portal.staff.referrals import ReferForm, send_referral

blueprint = Blueprint("staff_cases", __name__, url_prefix="/staff")


def _any(label: str) -> list[SelectChoice]:
    return [SelectChoice("", label)]


class QueueForm(Form):
    """Filters, by GET: a queue's address can be bookmarked and shared."""

    status = SelectField(
        "Status",
        choices=_any("Any") + [SelectChoice(s, s.replace("_", " ")) for s in GRIEVANCE.statuses],
    )
    category = SelectField(
        "Category", choices=_any("Any") + [SelectChoice(c.code, c.label) for c in CATEGORIES]
    )
    district = SelectField("District")
    channel = SelectField(
        "Channel",
        choices=_any("Any")
        + [SelectChoice(c, c) for c in ("web", "ussd", "sms", "assisted", "api")],
    )
    priority = SelectField(
        "Priority", choices=_any("Any") + [SelectChoice(p, p) for p in PRIORITIES]
    )
    overdue = BooleanField("Overdue only")
    q = StringField("Reference or phone number")


def queue_filters() -> tuple[QueueForm, QueueFilters]:
    """The triage queue's filters from the query string: the page and its CSV read them
    the same way, so a download holds what the page showed."""
    form = QueueForm(request.args)
    form.district.choices = _any("Any") + [SelectChoice(d, d) for d in districts(get_db())]
    filters = QueueFilters(
        status=form.status.data or None,
        category=form.category.data or None,
        district=form.district.data or None,
        channel=form.channel.data or None,
        priority=form.priority.data or None,
        overdue=bool(form.overdue.data),
        search=(form.q.data or "").strip()[:40] or None,
        country=current_app.config["PORTAL_COUNTRY"],
    )
    return form, filters


@blueprint.get("/grievances")
@staff_required()
def queue() -> ResponseReturnValue:
    form, filters = queue_filters()
    page = min(max(request.args.get("page", 0, type=int), 0), 10_000)
    rows, more = triage_queue(get_db(), current_user.actor, filters, page)
    args = {k: v for k, v in request.args.items() if k in form._fields}
    return render_template(
        "staff/queue.html", form=form, rows=rows, page=page, more=more, args=args
    )


def _case(reference: str) -> StaffCaseView:
    try:
        digits, _kind = parse_reference(reference)
    except InvalidInput:
        abort(404)
    view = staff_case(get_db(), current_user.actor, digits)
    if view is None:
        abort(404)  # out of scope looks exactly like no such case
    return view


def _forms(view: StaffCaseView) -> dict[str, Any]:
    forms: dict[str, Any] = {
        "status": StatusForm(prefix="status"),
        "note": NoteForm(prefix="note"),
        "message": MessageForm(prefix="message"),
        "assign": AssignForm(prefix="assign"),
    }
    forms["status"].offer(view, current_user.actor)
    forms["assign"].officer.choices = [
        SelectChoice(
            f"{u.id}",
            f"{u.display_name} ({u.agency.short_name}, {u.role.replace('_', ' ')})",
            optgroup=u.agency.short_name,
        )
        for u in staff_list(get_db())
        if u.active
    ]
    forms["refer"] = ReferForm(prefix="refer")
    forms["refer"].offer(current_user.user.agency_id, "en")
    if view.row.kind == "grievance":
        forms["classify"] = ClassifyForm(
            prefix="classify", category=view.details["category"], priority=view.details["priority"]
        )
    return forms


@blueprint.route("/cases/<reference>", methods=["GET", "POST"])
@staff_required()
def case(reference: str) -> ResponseReturnValue:
    view = _case(reference)
    forms = _forms(view)
    preview = None
    action = request.form.get("action")
    if request.method == "POST" and action in forms and forms[action].validate_on_submit():
        try:
            if action == "message" and request.form.get("confirm") != "send":
                preview = _preview(view, forms["message"])
            else:
                _act(view, action, forms[action])
                return redirect(url_for("staff_cases.case", reference=reference, done=action))
        except CaseworkError as error:
            field = next(iter(forms[action]._fields.values()))
            if action == "status":
                field = forms[action].reason if "reason" in error.message else forms[action].target
            field.errors = [*field.errors, str(error)]
    return render_template(
        "staff/case.html", view=view, forms=forms, preview=preview, done=request.args.get("done")
    )


def _act(view: StaffCaseView, action: str, form: Any) -> None:
    db, actor, case_id = get_db(), current_user.actor, view.row.id
    if action == "status":
        transition(
            db,
            case_id,
            form.target.data,
            actor,
            reason=form.reason.data,
            holidays=current_app.config["PUBLIC_HOLIDAYS"],
        )
    elif action == "note":
        add_note(db, case_id, actor, form.note.data)
    elif action == "message":
        preview = _preview(view, form)
        message_citizen(db, case_id, actor, preview["text"], template=preview["template"])
    elif action == "assign":
        officer = next(u for u in staff_list(db) if str(u.id) == form.officer.data)
        assign(db, case_id, actor, officer_id=officer.id, agency_id=officer.agency_id)
    elif action == "refer":
        send_referral(form, source_case_id=case_id)
    elif action == "classify":
        reclassify(db, case_id, actor, category=form.category.data, priority=form.priority.data)


def _preview(view: StaffCaseView, form: Any) -> dict[str, Any]:
    """The SMS exactly as the citizen will get it, with what it costs to send."""
    template = form.template.data
    if template not in (*STAFF_STANDARD_MESSAGES, "staff_message"):
        template = "staff_message"
    body = " ".join((form.text.data or "").split())
    params = {
        "reference": format_reference(view.row.reference, view.row.kind),
        "text": body,
        "ussd": current_app.config["USSD_CODE"],
    }
    sms, size = render_and_measure(template, view.row.language, params)
    return {
        "template": template,
        "text": body if template == "staff_message" else sms,
        "sms": sms,
        "size": size,
    }
