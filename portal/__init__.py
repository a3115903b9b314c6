"""The Flask application: the one place where channels and casework are put together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import redis
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.database import Database
from casework.log_privacy import install_log_masking
from notifications import app_setup as notifications_app
from notifications import webhooks as notifications_webhooks
from portal import (
    api,
    api_key_command,
    callback_token,
    cli,
    dashboard_command,
    database_unavailable,
    error_pages,
    generate_command,
    health,
    hsds_command,
    languages,
    open311,
    open_referral,
    page_helpers,
    rate_limits,
    retention_command,
    security,
    sweep_command,
)
from portal.account import my_data, sign_in
from portal.account import views as account_views
from portal.citizen import apply, complaint, directory, home, privacy, track
from portal.config import load_config
from portal.staff import assisted as staff_assisted
from portal.staff import auth as staff_auth
from portal.staff import cases as staff_cases
from portal.staff import citizens as staff_citizens
from portal.staff import dashboard as staff_dashboard
from portal.staff import exports as staff_exports
from portal.staff import inbox as staff_inbox
from portal.staff import referrals as staff_referrals
from portal.staff import views as staff_views
from ussd import app_setup as ussd_app
from ussd import webhook as ussd_webhook


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    # First: every log line of the web workers and of the relay command (which runs in
    # this app) has its phone and ID numbers masked, whatever library wrote it.
    install_log_masking()
    # Tests give each app an instance folder of its own (its SQLite file, its secret key).
    instance_path = (test_config or {}).get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)

    if app.config["PROXY_COUNT"]:
        # Behind a load balancer the client's address is in X-Forwarded-For; without this,
        # every citizen would share the balancer's address and its rate limits.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    app.extensions["casework.db"] = Database(app.config["DATABASE_URL"])
    if app.config["REDIS_URL"]:
        # Short timeouts: a Redis that stopped answering must fail fast, not hang requests.
        app.extensions["redis"] = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_timeout=1, socket_connect_timeout=1
        )
    languages.init_app(app)
    page_helpers.init_app(app)
    health.init_app(app)
    cli.init_app(app)
    notifications_app.init_app(app)
    ussd_app.init_app(app)
    gateway_callbacks = (notifications_webhooks.blueprint, ussd_webhook.blueprint)
    callback_token.protect(app, *(blueprint.name for blueprint in gateway_callbacks))
    # Systems calling with a key, not browsers with a session: no CSRF token to carry.
    machine_interfaces = (api.blueprint, open311.blueprint)
    security.init_app(app, exempt=gateway_callbacks + machine_interfaces)
    error_pages.init_app(app)
    database_unavailable.init_app(app)
    staff_auth.init_app(app)
    sweep_command.init_app(app)
    retention_command.init_app(app)
    generate_command.init_app(app)
    dashboard_command.init_app(app)
    hsds_command.init_app(app)
    api_key_command.init_app(app)
    for blueprint in (
        home.blueprint,
        directory.blueprint,
        sign_in.blueprint,
        account_views.blueprint,
        my_data.blueprint,
        privacy.blueprint,
        track.blueprint,
        complaint.blueprint,
        apply.blueprint,
        staff_views.blueprint,
        staff_cases.blueprint,
        staff_inbox.blueprint,
        staff_referrals.blueprint,
        staff_dashboard.blueprint,
        staff_exports.blueprint,
        staff_assisted.blueprint,
        staff_citizens.blueprint,
        open_referral.blueprint,
        open311.blueprint,
    ):
        app.register_blueprint(blueprint)
    api.init_app(app)
    # Last: it limits the views that every blueprint above registered.
    rate_limits.init_app(app)
    return app
