def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": {"ok": True}}}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_checks_redis_when_configured(make_app, database_url, redis_url):
    app = make_app({"DATABASE_URL": database_url, "REDIS_URL": redis_url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": {"ok": True}, "redis": {"ok": True}}


def test_healthz_answers_503_when_the_database_is_down(make_app):
    # Nothing listens on port 1: the same answer a stopped PostgreSQL gives.
    app = make_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/thusa"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_healthz_reports_redis_down_as_degraded_but_keeps_the_worker_in(make_app, database_url):
    # Every worker carries on without Redis (tests/faults/test_redis_stopped.py): a 503
    # would take them all out of the load balancer at once.
    app = make_app({"DATABASE_URL": database_url, "REDIS_URL": "redis://127.0.0.1:1/0"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["checks"]["database"] == {"ok": True}
    assert response.json["checks"]["redis"]["ok"] is False
