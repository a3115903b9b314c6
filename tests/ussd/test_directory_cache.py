"""The USSD menus read the directory from a copy kept between hops: a change committed
in this process shows at once, one made anywhere else once the copy expires."""

import sqlalchemy as sa
from sqlalchemy import select

from casework.models import Service
from ussd.directory_cache import TTL_SECONDS, cache


def grants_menu(phone) -> str:  # type: ignore[no-untyped-def]
    phone.dial()
    phone.choose("Apply for a service")
    return phone.choose("Grants and money")


def test_a_service_closed_in_this_process_leaves_the_menu_at_once(phone, directory):
    assert "Older persons grant" in grants_menu(phone)
    with directory.transaction() as session:
        session.scalars(
            select(Service).where(Service.code == "older-persons-grant")
        ).one().active = False
    menu = grants_menu(phone)
    assert "Older persons grant" not in menu and "Child support grant" in menu


def test_a_service_closed_by_another_process_leaves_the_menu_when_the_copy_expires(
    phone, directory, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(cache, "clock", lambda: now[0])
    assert "Older persons grant" in grants_menu(phone)
    # Another process (or someone with psql): no session of ours sees the change.
    elsewhere = sa.create_engine(directory.url)
    with elsewhere.begin() as connection:
        connection.execute(
            sa.text("UPDATE services SET active = false WHERE code = 'older-persons-grant'")
        )
    elsewhere.dispose()
    now[0] += TTL_SECONDS - 1
    assert "Older persons grant" in grants_menu(phone)
    now[0] += 2
    assert "Older persons grant" not in grants_menu(phone)
