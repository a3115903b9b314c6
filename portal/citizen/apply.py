"""Apply for a service on the web: sign in, answer its questions, add documents, check,
send; the reference on screen and by SMS."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from casework import documents
from casework.directory import ServiceDetail, list_services, service_detail
from casework.errors import InvalidInput
from casework.references import format_reference
from casework.services import submit_application
from portal.account.views import citizen_required
from portal.citizen.application_form import (
    PREFIX,
    form_for,
    to_answer,
    to_form_value,
    web_questions,
)
from portal.rate_limits import client_address, limited, sent
from portal.services import get_db

blueprint = Blueprint("apply", __name__)
DRAFT_TTL = 6 * 3600  # time to find a birth certificate and photograph it


def _service(code: str) -> ServiceDetail:
    language = str(get_locale())
    found = next((s for s in list_services(get_db(), language) if s.code == code), None)
    detail = service_detail(get_db(), found.id, language) if found else None
    if detail is None or "web" not in detail.summary.channels:
        abort(404)
    return detail


def _drafts() -> Any:
    return current_app.extensions["drafts"]


def _draft(code: str) -> dict[str, Any]:
    token = session.get("application_draft")
    draft = _drafts().get("application:" + token) if token else None
    if draft is None or draft["service"] != code:
        return {"service": code, "answers": {}, "documents": []}
    return draft


def _save(draft: dict[str, Any]) -> None:
    token = session.get("application_draft") or secrets.token_hex(12)
    _drafts().put("application:" + token, draft, DRAFT_TTL)
    session["application_draft"] = token


def _documents_dir() -> Path:
    return Path(current_app.config["DOCUMENTS_DIR"])


@blueprint.route("/apply/<code>", methods=["GET", "POST"])
@citizen_required
def start(code: str) -> ResponseReturnValue:
    service = _service(code)
    questions = web_questions(service.application_fields)
    form = form_for(
        service.application_fields, str(get_locale()), current_app.config["PORTAL_COUNTRY"]
    )()
    draft = _draft(code)
    if not form.is_submitted():
        form.process(
            data={
                PREFIX + q["name"]: to_form_value(q, draft["answers"][q["name"]])
                for q in questions
                if q["name"] in draft["answers"]
            }
        )
    if form.validate_on_submit():
        uploads = [u for u in form.documents.data or () if u and u.filename]
        try:
            added = documents.store_all(
                _documents_dir(),
                [(upload.stream, upload.filename) for upload in uploads],
                max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
                already=len(draft["documents"]),
            )
        except InvalidInput as error:
            form.documents.errors = [_l(error.message) % error.params]
        else:
            answers = {
                q["name"]: to_answer(q, getattr(form, PREFIX + q["name"]).data)
                for q in questions
                if getattr(form, PREFIX + q["name"]).data not in (None, "")
            }
            stored = [*draft["documents"], *(file.as_dict() for file in added)]
            _save({"service": code, "answers": answers, "documents": stored})
            return redirect(url_for("apply.check", code=code))
        finally:
            for upload in uploads:  # large uploads are spooled to temporary files
                upload.close()
    fields = [getattr(form, PREFIX + q["name"]) for q in questions]
    return render_template(
        "apply/start.html",
        form=form,
        service=service,
        fields=fields,
        uploaded=draft["documents"],
        max_size=documents.describe_size(current_app.config["DOCUMENT_MAX_BYTES"]),
    )


@blueprint.route("/apply/<code>/check", methods=["GET", "POST"])
@citizen_required
@limited("submission_per_address", client_address, counts=sent)
@limited("submission_per_phone", lambda: session.get("phone"), counts=sent)
def check(code: str) -> ResponseReturnValue:
    service = _service(code)
    draft = _draft(code)
    if not draft["answers"] and web_questions(service.application_fields):
        return redirect(url_for("apply.start", code=code))
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            application = submit_application(
                get_db(),
                phone=session["phone"],
                service_id=service.summary.id,
                answers=draft["answers"],
                channel="web",
                language=str(get_locale()),
                idempotency_key="web:" + session.get("application_draft", ""),
                documents=draft["documents"],
                # The check page says that sending accepts the privacy notice.
                privacy_consent=True,
            )
        except InvalidInput:
            return redirect(url_for("apply.start", code=code))
        _drafts().delete("application:" + session.pop("application_draft", ""))
        session["application_sent"] = format_reference(application.reference, "application")
        return redirect(url_for("apply.sent", code=code))
    rows = [(q, draft["answers"].get(q["name"])) for q in web_questions(service.application_fields)]
    return render_template(
        "apply/check.html", form=form, service=service, rows=rows, uploaded=draft["documents"]
    )


@blueprint.get("/apply/<code>/sent")
@citizen_required
def sent(code: str) -> ResponseReturnValue:
    reference = session.pop("application_sent", None)
    if reference is None:
        return redirect(url_for("account.cases"))
    return render_template("apply/sent.html", service=_service(code), reference=reference)


@blueprint.get("/documents/<int:document_id>")
@citizen_required
def document(document_id: int) -> ResponseReturnValue:
    found = documents.document_for_citizen(get_db(), document_id, session["citizen_id"])
    if found is None:
        abort(404)
    # Always a download: a file is never rendered as a page of ours.
    return send_file(
        _documents_dir() / found.stored_name,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=documents.download_name(found.original_name, found.content_type),
    )
