"""Validators for Open Referral HSDS 3.0 records, from the schemas in tests/data/hsds/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HSDS_DIR = Path(__file__).resolve().parent / "data" / "hsds"
KEPT = ("compiled/service_with_definitions.json", "page.json")
SERVICE_SCHEMA = (HSDS_DIR / KEPT[0]).as_uri()
ORGANIZATION_SCHEMA = f"{SERVICE_SCHEMA}#/definitions/organization"
PAGE_SCHEMA = (HSDS_DIR / KEPT[1]).as_uri()


def _resource(name: str) -> Resource[Any]:
    contents = json.loads((HSDS_DIR / name).read_text(encoding="utf-8"))
    # The files declare no $schema: read them as the dialect HSDS's openapi.json names.
    return Resource.from_contents(contents, default_specification=DRAFT202012)


# Every schema a validator may reach, and nothing fetched: an unknown $ref is an error.
REGISTRY: Registry[Any] = Registry().with_resources(
    ((HSDS_DIR / name).as_uri(), _resource(name)) for name in KEPT
)

# uuid and email are checked by jsonschema itself; date-time and uri would need optional
# packages, so they are checked here, as strictly as a consumer parsing them would be.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


SERVICE = _validator({"$ref": SERVICE_SCHEMA})
ORGANIZATION = _validator({"$ref": ORGANIZATION_SCHEMA})


def page_of(item_schema: str) -> Draft202012Validator:
    """A validator of an HSDS page whose `contents` are records of `item_schema`."""
    return _validator(
        {
            "allOf": [{"$ref": PAGE_SCHEMA}],
            "required": ["total_items", "total_pages", "page_number", "size", "contents"],
            "properties": {"contents": {"type": "array", "items": {"$ref": item_schema}}},
        }
    )


SERVICE_PAGE = page_of(SERVICE_SCHEMA)
ORGANIZATION_PAGE = page_of(ORGANIZATION_SCHEMA)
