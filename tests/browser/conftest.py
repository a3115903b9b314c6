"""A real browser against a real server: Debian's Chromium, driven by Playwright, on pages
served by werkzeug on loopback, with axe-core checking every page a walk arrives at.

Chromium comes from Debian's `chromium` package (`.ci/run` installs it): Playwright's own
browser download does not work on these machines. Without Chromium or Playwright the
browser tests skip with the reason, and fail when CI=true (as a missing database does).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from casework.seed_demo import seed_demo
from tests.conftest import service_missing
from tests.fake_africastalking import FakeAfricasTalking

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# As root on a machine whose only network is loopback: no sandbox, no GPU, and none of the
# background connections Chromium would otherwise try (and fail) at every start.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_SCREEN = {"width": 360, "height": 740}  # a small, common Android screen
TIMEOUT_MS = 10_000  # a page of ours that takes longer than this is a failure, not a wait

# The WCAG 2.x A and AA rules; axe's "best-practice" rules are left out on purpose.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run; every test gets a fresh context (cookies) of it."""
    try:
        import axe_playwright_python  # noqa: F401  (carries axe-core's axe.min.js)
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        service_missing("Playwright and axe-playwright-python (pip install -e '.[dev]')", error)
    if not Path(CHROMIUM).exists():
        missing = FileNotFoundError(f"no {CHROMIUM}; apt-get install chromium")
        service_missing(f"Chromium at {CHROMIUM}", missing)
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
            )
        except PlaywrightError as error:
            service_missing(f"Chromium at {CHROMIUM}", error)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(make_app, db, database_url: str, fake: FakeAfricasTalking) -> Iterator[str]:
    """The app on 127.0.0.1 with the demo directory, its SMS relay thread sending to the
    fake gateway, as `make run` serves it; yields the base URL."""
    seed_demo(db, with_staff=False)
    app = make_app(
        {
            "DATABASE_URL": database_url,
            "AT_USERNAME": fake.username,
            "AT_API_KEY": fake.api_key,
            "AT_API_URL": fake.url,
            "SMS_RELAY_THREAD": "true",
        }
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


class AxeChecks:
    """Runs axe on the page the browser is at, and remembers every page it checked and
    every page the browser arrived at, so a walk can prove it checked them all."""

    def __init__(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.axe = Axe()
        self.arrived: list[str] = []  # every URL the browser landed on, redirects aside
        self.checked: set[str] = set()
        self.problems: list[str] = []
        page.on("load", lambda loaded: self.arrived.append(_path(loaded.url)))

    def check(self) -> None:
        """Run the WCAG A/AA rules on the current page; note (and print) any violation."""
        self.page.wait_for_load_state("load")
        path = _path(self.page.url)
        options = {
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        }
        results = self.axe.run(self.page, options=options)
        self.checked.add(path)
        for violation in results.response["violations"]:
            report = describe(path, violation)
            print(report)  # shown at once with -s, and with the failure otherwise
            self.problems.append(report)

    def assert_clean(self) -> None:
        print(f"axe checked {len(self.checked)} pages: {', '.join(sorted(self.checked))}")
        unchecked = [path for path in self.arrived if path not in self.checked]
        assert not unchecked, f"pages the walk reached but axe did not check: {unchecked}"
        assert not self.problems, (
            f"axe found {len(self.problems)} WCAG violation(s):\n" + "\n".join(self.problems)
        )


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def describe(path: str, violation: dict[str, Any]) -> str:
    """One violation as a person reads it: rule, page, impact, help, then each element."""
    lines = [
        f"[{violation['id']}] on {path} ({violation.get('impact')}): {violation['help']}",
        f"    {violation.get('helpUrl', '')}",
    ]
    for node in violation["nodes"]:
        lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
        summary = " ".join((node.get("failureSummary") or "").split())
        if summary:
            lines.append(f"       {summary}")
    return "\n".join(lines)


@pytest.fixture
def page(browser, live_server: str) -> Iterator[Any]:
    """A phone-sized tab of its own, with the base URL set so walks can `goto("/track")`.

    bypass_csp: the app's CSP forbids every script (the citizen pages have none), which
    would also stop axe being put into the page.
    """
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE_SCREEN,
        bypass_csp=True,
        locale="en-ZA",
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def axe(page) -> AxeChecks:
    return AxeChecks(page)


@pytest.fixture
def arrive(page, axe: AxeChecks) -> Callable[[str], None]:
    """`arrive("/complaint/check")`: wait until the browser is there, then run axe on it."""

    def arrive_at(path: str) -> None:
        page.wait_for_url(lambda url: _path(url) == path or urlsplit(url).path == path)
        axe.check()

    return arrive_at
