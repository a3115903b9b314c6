"""Webhook subscriptions: an agency's system asks to be told about its cases' events."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import abort, current_app

from casework.webhooks import delivery_log, list_subscriptions, subscribe, unsubscribe
from portal.api.blueprint import actor, blueprint, db, responses, spec, write_responses
from portal.api.schemas import (
    DeliveryList,
    DeliveryQuery,
    Problem,
    WebhookCreated,
    WebhookIn,
    WebhookList,
)

MAX_ID = 2**31 - 1


@blueprint.get("/webhooks")
@spec.validate(resp=responses(HTTP_200=WebhookList), tags=["webhooks"], operation_id="listWebhooks")
def webhooks_list() -> Any:
    """The agency's subscriptions (their secrets are never shown again)."""
    found = [asdict(view) for view in list_subscriptions(db(), actor())]
    return WebhookList.model_validate({"webhooks": found})


@blueprint.post("/webhooks")
@spec.validate(
    json=WebhookIn,
    resp=write_responses(HTTP_201=WebhookCreated, HTTP_403=Problem, HTTP_422=Problem),
    tags=["webhooks"],
    operation_id="createWebhook",
)
def webhook_create(json: WebhookIn) -> Any:
    """Subscribe `url` to events on the agency's cases. Each delivery is a JSON POST
    signed with the returned secret: `Thusa-Signature: sha256=<hex>` is the HMAC-SHA256
    of `<Thusa-Timestamp>.<body>`. Failed deliveries are retried with backoff for a day.
    """
    # Outside production a developer's own machine may receive them over plain http.
    loopback = current_app.config["PORTAL_ENV"] != "production"
    view, secret = subscribe(
        db(), actor(), url=json.url, events=json.events, allow_loopback_http=loopback
    )
    return WebhookCreated.model_validate(asdict(view) | {"secret": secret}), 201


@blueprint.delete("/webhooks/<int:subscription_id>")
@spec.validate(
    resp=responses(HTTP_204=None, HTTP_404=Problem), tags=["webhooks"], operation_id="deleteWebhook"
)
def webhook_delete(subscription_id: int) -> Any:
    """Stop deliveries to this subscription."""
    if subscription_id > MAX_ID:  # no such row, and past what the id column holds
        abort(404)
    unsubscribe(db(), actor(), subscription_id)
    done = current_app.response_class(status=204)
    done.headers.remove("Content-Type")  # no body, so no type of body
    return done


@blueprint.get("/webhooks/<int:subscription_id>/deliveries")
@spec.validate(
    query=DeliveryQuery,
    resp=responses(HTTP_200=DeliveryList, HTTP_404=Problem, HTTP_422=Problem),
    tags=["webhooks"],
    operation_id="listWebhookDeliveries",
)
def webhook_deliveries(subscription_id: int, query: DeliveryQuery) -> Any:
    """What was sent to this subscription and how each went, newest first: the answer
    to "why did our system stop hearing?" (`?status=failed`)."""
    if subscription_id > MAX_ID:
        abort(404)
    found = delivery_log(db(), actor(), subscription_id, status=query.status, limit=query.limit)
    return DeliveryList.model_validate({"deliveries": [asdict(view) for view in found]})
