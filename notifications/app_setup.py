"""Putting SMS into the Flask app: webhooks, the relay command, the doorbell, and the
relay thread that `make run` uses instead of a process of its own."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casework.dashboard_snapshots import refresh_dashboards
from casework.database import Database
from casework.privacy import privacy_shortcut
from casework.retention import anonymise_old_cases
from casework.sweep import sweep_overdue
from notifications import webhooks
from notifications.doorbell import Doorbell, LocalDoorbell, RedisDoorbell, ring_on_commit
from notifications.gateways import build_gateway
from notifications.relay import Relay, RelaySettings
from notifications.send_rate import LocalSendRate, RedisSendRate
from notifications.webhook_sender import WebhookSender

log = logging.getLogger(__name__)
commands = AppGroup("notifications", help="SMS and webhooks: the outbox relay.")
RETENTION_EVERY_SECONDS = 24 * 3600
# Shorter than the dashboard's own max age (casework.dashboard_snapshots), so no member of
# staff ever waits for a recount when opening it.
DASHBOARD_REFRESH_SECONDS = 5 * 60


def relay_settings(config: dict[str, Any]) -> RelaySettings:
    return RelaySettings(
        poll_seconds=float(config["SMS_POLL_SECONDS"]),
        lease=dt.timedelta(seconds=float(config["SMS_LEASE_SECONDS"])),
        retry_window=dt.timedelta(hours=float(config["SMS_RETRY_WINDOW_HOURS"])),
        default_params={
            "ussd": config["USSD_CODE"],
            "privacy": privacy_shortcut(config["USSD_CODE"]),
        },
    )


def build_relay(app: Flask, doorbell: Doorbell | None = None) -> Relay:
    """A relay for this app's configuration: its gateway, its doorbell, its send rate,
    the overdue sweep every SWEEP_EVERY_SECONDS (the sweep's SMS go out through it), and
    the retention job once a day, and the staff dashboards' figures every 5 minutes."""
    config: dict[str, Any] = app.config  # type: ignore[assignment]
    client = app.extensions.get("redis")
    rate = float(config["SMS_RATE_PER_SECOND"])
    db: Database = app.extensions["casework.db"]

    def overdue_sweep() -> None:
        sweep_overdue(db)

    def retention() -> None:
        anonymise_old_cases(
            db,
            older_than=dt.timedelta(days=float(config["RETENTION_DAYS"])),
            documents_dir=Path(config["DOCUMENTS_DIR"]),
        )

    counting = threading.Lock()

    def dashboards() -> None:
        # Counting every opened scope takes seconds on a big database: done on a thread of
        # its own, so sign-in codes are not held up behind it; one count at a time.
        if counting.acquire(blocking=False):
            threading.Thread(
                target=_refresh_dashboards, args=(db, counting), name="dashboards", daemon=True
            ).start()

    settings = relay_settings(config)
    return Relay(
        db,
        build_gateway(config),
        settings,
        doorbell=doorbell or (RedisDoorbell(client) if client else LocalDoorbell()),
        send_rate=RedisSendRate(client, rate) if client else LocalSendRate(rate),
        webhook_sender=WebhookSender(
            settings.webhook_timeout, private_addresses=config["PORTAL_ENV"] != "production"
        ),
        periodic=[
            (float(config["SWEEP_EVERY_SECONDS"]), overdue_sweep),
            (RETENTION_EVERY_SECONDS, retention),
            (DASHBOARD_REFRESH_SECONDS, dashboards),
        ],
    )


def _refresh_dashboards(db: Database, counting: threading.Lock) -> None:
    try:
        refresh_dashboards(db)
    except Exception:
        log.exception("refreshing the staff dashboards failed")
    finally:
        counting.release()


@commands.command("relay")
def relay_command() -> None:
    """Send queued SMS and webhooks until interrupted (one per machine; more on PostgreSQL)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    db: Database = app.extensions["casework.db"]
    if not db.is_postgresql:
        click.echo("SQLite: run only one relay against this database.")
    relay = build_relay(app)
    # SIGTERM (systemd, a deploy) stops after the message in hand and hands the rest of the
    # batch back at once, instead of leaving it claimed until the lease runs out.
    signal.signal(signal.SIGTERM, lambda *_: relay.stop())
    click.echo(f"Relay sending through the {relay.gateway.name} gateway. Ctrl-C stops it.")
    try:
        relay.run()
    except KeyboardInterrupt:
        relay.stop()


def init_app(app: Flask) -> None:
    app.register_blueprint(webhooks.blueprint)
    app.cli.add_command(commands)
    db: Database = app.extensions["casework.db"]
    client = app.extensions.get("redis")
    doorbell: Doorbell = RedisDoorbell(client) if client else LocalDoorbell()
    ring_on_commit(db, doorbell)
    if app.config["SMS_RELAY_THREAD"]:
        # The dev server's relay: the same process, so the local doorbell reaches it.
        relay = build_relay(app, doorbell=None if client else doorbell)
        thread = threading.Thread(target=relay.run, name="sms-relay", daemon=True)
        thread.start()
        app.extensions["sms.relay"] = relay
        app.extensions["sms.relay.thread"] = thread
