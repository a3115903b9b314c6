"""Structural accessibility rules every citizen page must keep (WCAG 2.2 AA basics, as
GOV.UK checks them): run on every HTML page the test client receives.

- `<html lang>` names the page's language;
- exactly one `<h1>`, and the `<title>` starts with its text ("Error: " first when the
  page shows an error summary);
- every visible form control has a label (`<label for>` or aria-labelledby), and radio
  groups sit in a fieldset with a legend;
- every error-summary link points at an element on the page;
- no inline script or style attribute (the CSP forbids them), no JavaScript needed.
"""

from __future__ import annotations

from html.parser import HTMLParser

from flask.testing import FlaskClient

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.h1: list[str] = []
        self.title = ""
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.summary_links: list[str] = []
        self.scripts = 0
        self.inline_styles = 0
        self._in: list[str] = []
        self.has_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.add(attr["id"] or "")
        if tag == "html":
            self.lang = attr.get("lang")
        if tag == "label" and attr.get("for"):
            self.label_for.add(attr["for"] or "")
        if tag in ("input", "select", "textarea") and attr.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append(attr)
        if tag == "script":
            self.scripts += 1
        if "style" in attr or any(name.startswith("on") for name in attr):
            self.inline_styles += 1
        summary = tag == "div" and "error-summary" in (attr.get("class") or "")
        if summary:
            self.has_summary = True
        if tag == "a" and "summary" in self._in and attr.get("href"):
            self.summary_links.append(attr["href"] or "")
        if tag == "h1":
            self.h1.append("")
        if tag not in VOID:
            # The error summary's div is remembered as "summary", so links after it
            # closes are not taken for its own.
            self._in.append("summary" if summary else tag)

    def handle_endtag(self, tag: str) -> None:
        names = ["div" if open_tag == "summary" else open_tag for open_tag in self._in]
        if tag in names:
            while self._in:
                closed = self._in.pop()
                if (closed == "summary" and tag == "div") or closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in and self.h1:
            self.h1[-1] += data


def check_page(html: str, expected_language: str | None = None) -> None:
    page = _Page()
    page.feed(html)
    assert page.lang, "<html> has no lang"
    if expected_language:
        assert page.lang == expected_language, (page.lang, expected_language)
    assert len(page.h1) == 1, f"{len(page.h1)} h1 elements"
    heading = " ".join(page.h1[0].split())
    title = " ".join(page.title.split())
    prefix = "Error: " if page.has_summary else ""
    assert title.startswith(prefix + heading), (title, heading)
    for control in page.controls:
        labelled = control.get("id") in page.label_for or control.get("aria-labelledby")
        assert labelled, f"control without a label: {control}"
    for link in page.summary_links:
        assert link.startswith("#") and link[1:] in page.ids, f"summary link to nowhere: {link}"
    assert page.scripts == 0, "the citizen pages use no script"
    assert page.inline_styles == 0, "inline style or event handler (the CSP forbids them)"


class CheckedClient(FlaskClient):
    """A test client that holds every HTML page it gets to `check_page`."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code < 300:
            check_page(response.get_data(as_text=True))
        return response
