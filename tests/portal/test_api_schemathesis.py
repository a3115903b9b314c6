"""schemathesis, the real command, against /api/v1 served on loopback: thousands of
generated calls, every response checked against the OpenAPI document (status codes,
bodies, content types, headers, auth, methods), on each database."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from casework.actors import Actor
from casework.api_keys import issue_key
from tests.factories import create_agency, create_service, lodge

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_api_passes_schemathesis(app, tmp_path):
    db = app.extensions["casework.db"]
    create_agency(db, code="dsd", short_name="DSD", intake=True)
    sassa = create_agency(db, code="sassa", short_name="SASSA")
    create_service(db, sassa, code="child-support")
    case = lodge(db, phone="+27821110001").grievance
    key = issue_key(db, Actor.system(), agency_code="dsd", role="supervisor", name="CRM")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(CONFIG),
                "run",
                f"http://127.0.0.1:{server.server_port}/api/v1/openapi.json",
                "--header",
                f"Authorization: Bearer {key.key}",
                "--max-examples",
                "40",
                # Fixed: a failure in CI is the same failure on a laptop.
                "--seed",
                "20261124",
                "--no-color",
            ],
            env={**os.environ, "THUSA_API_TEST_REFERENCE": case.reference},
            cwd=tmp_path,  # where it keeps its own records of the run
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-6000:]
    # Every operation the document describes was called, none skipped.
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operations = sum(len(methods) for methods in document["paths"].values())
    assert operations >= 11
    assert f"Tested: {operations}\n" in report, report[-3000:]


class _Quiet(WSGIRequestHandler):
    """No line per request: thousands of them would bury the report."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass
