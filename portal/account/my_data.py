"""`/my-data`: a signed-in citizen downloads everything Thusa keeps about them, as a ZIP
of one JSON file and the documents they uploaded. The download is audited."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, send_file, session
from flask.typing import ResponseReturnValue

from casework.models import utcnow
from casework.my_data import SentSms, citizen_data
from casework.privacy import privacy_shortcut
from notifications.templates import TEMPLATES
from notifications.templates import render as render_sms
from portal.account.views import citizen_required
from portal.services import get_db

blueprint = Blueprint("my_data", __name__)
HIDDEN = "****"


@blueprint.get("/my-data")
@citizen_required
def download() -> ResponseReturnValue:
    found = citizen_data(get_db(), session["citizen_id"], "web")
    if found is None:
        abort(404)  # signed in as a citizen retention has since removed
    data = {**found.data, "sms_to_you": [_as_read(sms) for sms in found.sent_sms]}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        folder = Path(current_app.config["DOCUMENTS_DIR"])
        for stored_name, name in found.documents:
            if (folder / stored_name).is_file():
                zipped.write(folder / stored_name, name)
    archive.seek(0)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"thusa-my-data-{utcnow():%Y-%m-%d}.zip",
    )
    # Personal data: never kept by a shared phone's browser or a proxy on the way.
    response.headers["Cache-Control"] = "no-store"
    return response


def _as_read(sms: SentSms) -> dict[str, Any]:
    """The SMS as the citizen read it; a sign-in code still waiting to go is hidden."""
    template = TEMPLATES.get(sms.template)
    text = sms.template
    if template is not None:
        ussd = current_app.config["USSD_CODE"]
        params = {
            "ussd": ussd,
            "privacy": privacy_shortcut(ussd),
            **sms.params,
            **dict.fromkeys(template.secret_params, HIDDEN),
        }
        try:
            text = render_sms(sms.template, sms.language, params)
        except (KeyError, TypeError, ValueError):
            text = sms.template  # an old row whose parameters changed shape
    return {"at": sms.at.isoformat(), "status": sms.status, "text": text}
