"""Open311 answers as JSON or XML, both from one Python shape.

GeoReport v2's JSON is its XML mapped by the Spark convention: a container element whose
children all share one name is a JSON array, even with one child. So a shape of dicts,
lists and plain values renders both ways: a dict is an element per key, a list is a
container whose children take the name CHILD_OF gives it.
"""

from __future__ import annotations

import json
import re

# Builds XML, never parses any: B405 warns of parsing untrusted XML.
import xml.etree.ElementTree as ET  # nosec B405
from typing import Any

from flask import Response, request

FORMATS = ("json", "xml")
MIMETYPES = {"json": "application/json", "xml": "text/xml"}
CHILD_OF = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}
# As the spec's examples open their documents ("the root element must be preceded with
# the XML declaration including the encoding").
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all, even escaped: a citizen's text pasted from
# somewhere may hold one, and one would make the whole document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def requested_format() -> str:
    """The format the URL asks for: its `.json` or `.xml`. XML when it names neither,
    the one format the spec requires."""
    fmt = (request.view_args or {}).get("fmt")
    if fmt in FORMATS:
        return fmt
    return "json" if request.path.endswith(".json") else "xml"


def render(
    fmt: str,
    root: str,
    payload: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False).encode()
    else:
        body = XML_DECLARATION + ET.tostring(element(root, payload), encoding="utf-8")
    response = Response(body, status, headers, content_type=f"{MIMETYPES[fmt]}; charset=utf-8")
    # Answers hold case details for one key's eyes: no shared cache may keep them.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def element(name: str, value: Any) -> ET.Element:
    node = ET.Element(name)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(element(key, child))
    elif isinstance(value, list | tuple):
        for child in value:
            node.append(element(CHILD_OF[name], child))
    else:
        node.text = text(value)
    return node


def text(value: Any) -> str | None:
    if value is None:
        return None  # an empty element, as the spec's examples show an absent value
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))
