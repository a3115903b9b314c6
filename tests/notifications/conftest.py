from __future__ import annotations

import datetime as dt

import pytest

from notifications.gateways import AfricasTalkingGateway
from notifications.relay import Relay, RelaySettings
from tests.fake_africastalking import FakeAfricasTalking


@pytest.fixture
def gateway(fake: FakeAfricasTalking) -> AfricasTalkingGateway:
    return AfricasTalkingGateway(
        fake.username, fake.api_key, sender_id="THUSA", api_url=fake.url, timeout=0.5
    )


def quick_settings(**overrides: object) -> RelaySettings:
    values: dict[str, object] = {
        "poll_seconds": 0.05,
        "backoff_base": dt.timedelta(seconds=30),
        "default_params": {"ussd": "*120*3210#"},
    }
    return RelaySettings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def relay(db, gateway) -> Relay:  # type: ignore[no-untyped-def]
    return Relay(db, gateway, quick_settings())
