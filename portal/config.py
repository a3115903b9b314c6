"""Configuration from the environment (see the table in README.md).

Every setting has an embedded default so a fresh machine runs with no configuration;
`PORTAL_ENV=production` turns the settings that must not be defaulted into errors.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casework.abuse_limits import LIMITS, parse_table
from casework.documents import MAX_PER_CASE
from casework.service_levels import DEFAULT_PUBLIC_HOLIDAYS, holidays_from

SUPPORTED_LANGUAGES = ("en", "af", "zu", "xh", "st", "sw")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def load_config(instance_path: str, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    def get(name: str, default: str | None = None) -> str | None:
        value = environ.get(name, "").strip()
        return value or default

    production = get("PORTAL_ENV", "development") == "production"
    languages = _languages(get("PORTAL_LANGUAGES", ",".join(SUPPORTED_LANGUAGES)))
    config: dict[str, Any] = {
        "PORTAL_ENV": "production" if production else "development",
        "DATABASE_URL": database_url(
            get("DATABASE_URL", f"sqlite:///{Path(instance_path) / 'thusa.sqlite3'}")
        ),
        "REDIS_URL": get("REDIS_URL"),
        "PORTAL_LANGUAGES": languages,
        "PORTAL_DEFAULT_LANGUAGE": languages[0],
        "PORTAL_COUNTRY": (get("PORTAL_COUNTRY", "ZA") or "ZA").upper(),
        # What citizens dial; shown on pages and SMS so people without data can use Thusa.
        "USSD_CODE": get("USSD_CODE", "*120*3210#"),
        # How many proxies (load balancers) stand in front of the app and set
        # X-Forwarded-For; 0 trusts no such header.
        "PROXY_COUNT": int(get("PROXY_COUNT", "0") or 0),
        # Uploaded documents: outside anything a web server serves.
        "DOCUMENTS_DIR": get("DOCUMENTS_DIR", str(Path(instance_path) / "documents")),
        # A phone photo of a document; five of them and the form around them at most.
        "DOCUMENT_MAX_BYTES": int(
            _number("DOCUMENT_MAX_MB", get("DOCUMENT_MAX_MB", "5")) * 1024 * 1024
        ),
        "AT_USERNAME": get("AT_USERNAME"),
        "AT_API_KEY": get("AT_API_KEY"),
        "AT_SENDER_ID": get("AT_SENDER_ID"),
        "AT_API_URL": get("AT_API_URL"),
        "AT_CALLBACK_TOKEN": get("AT_CALLBACK_TOKEN"),
        # What Open311 discovery tells partners: whom to ask, and how to get a key.
        "OPEN311_CONTACT": get("OPEN311_CONTACT"),
        "OPEN311_KEY_SERVICE": get("OPEN311_KEY_SERVICE"),
        "SMS_RATE_PER_SECOND": _number("SMS_RATE_PER_SECOND", get("SMS_RATE_PER_SECOND", "10")),
        "SMS_RETRY_WINDOW_HOURS": _number(
            "SMS_RETRY_WINDOW_HOURS", get("SMS_RETRY_WINDOW_HOURS", "24")
        ),
        "SMS_POLL_SECONDS": _number("SMS_POLL_SECONDS", get("SMS_POLL_SECONDS", "5")),
        "SMS_SEND_TIMEOUT": _number("SMS_SEND_TIMEOUT", get("SMS_SEND_TIMEOUT", "10")),
        # A relay's hold on the messages it claimed; after it, a dead relay's claims expire.
        "SMS_LEASE_SECONDS": _number("SMS_LEASE_SECONDS", get("SMS_LEASE_SECONDS", "300")),
        # `make run` sends SMS from a thread of the dev server; production runs
        # `flask --app portal notifications relay` as a process of its own.
        "SMS_RELAY_THREAD": get("SMS_RELAY_THREAD", "false") in ("1", "true", "yes"),
        # Days that are not working days (a set of dates; ISO dates, comma-separated, in
        # the environment): service levels skip them. Pass it as `holidays=` to casework.
        "PUBLIC_HOLIDAYS": _holidays(get("PUBLIC_HOLIDAYS", DEFAULT_PUBLIC_HOLIDAYS)),
        # How often the relay escalates overdue cases and tells their citizens.
        "SWEEP_EVERY_SECONDS": _number("SWEEP_EVERY_SECONDS", get("SWEEP_EVERY_SECONDS", "300")),
        # Closed cases older than this lose their personal data (casework.retention); the
        # relay does it daily, `flask --app portal casework retention` on demand.
        "RETENTION_DAYS": _number("RETENTION_DAYS", get("RETENTION_DAYS", "1825")),
        # Rows of the abuse-limits table changed by RATE_LIMIT_<NAME> (casework/abuse_limits.py).
        "RATE_LIMITS": _rate_limits(get),
    }
    # The most a form with all its documents can weigh; a bigger body gets the friendly
    # "too big" page before anything is read. Follows DOCUMENT_MAX_MB, so raising that
    # never turns a form of allowed files into an error.
    config["MAX_CONTENT_LENGTH"] = MAX_PER_CASE * config["DOCUMENT_MAX_BYTES"] + 1024 * 1024
    secret_key = get("SECRET_KEY")
    if production:
        # Without an Africa's Talking account, SMS would be printed and silently lost.
        required = ("SECRET_KEY", "AT_CALLBACK_TOKEN", "DATABASE_URL", "AT_USERNAME", "AT_API_KEY")
        missing = [name for name in required if not get(name)]
        if missing:
            raise ConfigError(
                f"PORTAL_ENV=production needs {', '.join(missing)} set in the environment"
            )
    config["SECRET_KEY"] = secret_key or _instance_secret_key(Path(instance_path))
    return config


def database_url(url: str) -> str:
    """Point bare PostgreSQL URLs (as hosting providers hand them out) at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _number(name: str, value: str | None) -> float:
    try:
        number = float(value or "")
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigError(f"{name} must be a positive number; got {value!r}")
    return number


def _rate_limits(get: Any) -> dict[str, str]:
    overrides = {}
    for name in LIMITS:
        variable = f"RATE_LIMIT_{name.upper()}"
        value = get(variable)
        if value is None:
            continue
        try:
            parse_table({name: value})
        except ValueError:
            raise ConfigError(
                f"{variable} must look like '10 per hour' or '60 per 10 minutes;300 per day';"
                f" got {value!r}"
            ) from None
        overrides[name] = value
    return overrides


def _holidays(value: str | None) -> frozenset[dt.date]:
    try:
        return holidays_from(value)
    except ValueError as error:
        raise ConfigError(
            f"PUBLIC_HOLIDAYS must be ISO dates separated by commas; {error}"
        ) from None


def _languages(value: str | None) -> list[str]:
    languages = [code.strip() for code in (value or "").split(",") if code.strip()]
    unknown = [code for code in languages if code not in SUPPORTED_LANGUAGES]
    if not languages or unknown:
        raise ConfigError(
            f"PORTAL_LANGUAGES must list codes from {','.join(SUPPORTED_LANGUAGES)}; got {value!r}"
        )
    return languages


def _instance_secret_key(instance: Path) -> str:
    """A key generated once and kept in the instance folder, so sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting together must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
