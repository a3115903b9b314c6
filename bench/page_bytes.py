"""Bytes a citizen's phone receives for every citizen page, in each of the six languages.

The citizen walk of the page-weight test (tests/portal/citizen_walk.py) visits every
citizen page on a fresh embedded database, once per language. Each page is counted as a
first visit on a slow network sees it: the status line and headers, the HTML gzipped, and
the one stylesheet gzipped with its headers (a repeat visit has the stylesheet cached).
gzip level 6, as a front proxy is configured to compress text (see BENCHMARKS.md).
"""

from __future__ import annotations

import gzip
import re
import tempfile
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from bench.report import Figure
from casework.i18n import LANGUAGE_NAMES
from casework.migrate import upgrade
from portal import create_app
from tests.portal.citizen_walk import walk

BUDGET_KB = 30.0
STYLESHEET = "/static/thusa.css"


class _HeaderRecorder(FlaskClient):
    """A test client that remembers the size of each GET response's header block."""

    header_bytes: dict[str, int]

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        request = response.request
        if request.method == "GET":
            query = request.query_string.decode()
            path = f"{request.path}?{query}" if query else request.path
            self.header_bytes[path] = _header_size(response)
        return response


def _header_size(response: Any) -> int:
    lines = [f"HTTP/1.1 {response.status}", *(f"{k}: {v}" for k, v in response.headers)]
    return len("\r\n".join(lines).encode()) + 4


def _gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def measure(language: str) -> dict[str, int]:
    """{path: bytes transferred on a first visit} for every citizen page in `language`."""
    with tempfile.TemporaryDirectory(prefix="thusa-bench-pages-") as folder:
        app = create_app(
            {
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'pages.sqlite3'}",
                "TESTING": True,
            }
        )
        db = app.extensions["casework.db"]
        upgrade(app.config["DATABASE_URL"])
        app.test_client_class = _HeaderRecorder
        client = app.test_client()
        client.header_bytes = {}
        pages = walk(client, db, language)
        css = client.get(STYLESHEET)
        stylesheet = _gzipped(css.get_data()) + client.header_bytes[STYLESHEET]
        css.close()
        sizes = {
            path: client.header_bytes[path] + _gzipped(body) + stylesheet
            for path, body in pages.items()
        }
        db.dispose()
    return sizes


def run(args: Any) -> list[Figure]:
    languages = ["en", "zu"] if args.quick else list(LANGUAGE_NAMES)
    heaviest: dict[str, tuple[int, str]] = {}
    for language in languages:
        for walked, size in measure(language).items():
            # A case page's path holds that walk's reference: one row for all of them.
            path = re.sub(r"/\d{6,}", "/<reference>", walked)
            if size > heaviest.get(path, (0, ""))[0]:
                heaviest[path] = (size, language)
    figures = []
    for path, (size, language) in sorted(heaviest.items(), key=lambda item: -item[1][0]):
        kilobytes = size / 1024
        figures.append(
            Figure(
                section="pages",
                name=path,
                value=round(kilobytes, 1),
                unit="KB",
                target=f"<= {BUDGET_KB:g} KB",
                met=kilobytes <= BUDGET_KB,
                note=f"first visit, gzip, heaviest of {len(languages)} languages ({language})",
            )
        )
    return figures
