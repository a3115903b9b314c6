"""`GET /healthz`: whether this process can reach what it needs, for load balancers and on-call."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue

from casework.outbox import gateway_pause
from portal.services import get_db, get_redis

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    checks = {"database": _check(_ping_database)}
    redis_client = get_redis()
    if redis_client is not None:
        checks["redis"] = _check(redis_client.ping)
    # Without the database nothing works. Without Redis every worker carries on alone
    # (sessions, limits and the SMS doorbell fall back to the process): reported, but
    # still 200, since pulling every worker out of the load balancer at once because
    # their shared Redis is down would turn a degraded service into no service.
    healthy = checks["database"]["ok"]
    status = "ok" if all(check["ok"] for check in checks.values()) else "degraded"
    body: dict[str, object] = {"status": status if healthy else "unavailable", "checks": checks}
    if healthy:
        # Paused SMS is reported but keeps the answer 200: pulling every web worker out of
        # the load balancer because the SMS balance ran out would make things worse.
        try:
            pause = gateway_pause(get_db())
        except Exception:  # the database answered a moment ago; report that, not a 500
            log.warning("could not read the SMS pause")
            pause = None
        if pause is not None:
            body["status"] = "degraded"
            body["sms"] = {
                "paused": True,
                "reason": pause.reason,
                "since": pause.since.isoformat(),
                "retry_at": pause.paused_until.isoformat(),
            }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _ping_database() -> None:
    get_db().ping()


def _check(probe) -> dict[str, object]:  # type: ignore[no-untyped-def]
    try:
        probe()
    except Exception as error:  # any failure means "not healthy"; the kind is the clue
        log.warning("health check failed: %s", type(error).__name__)
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
