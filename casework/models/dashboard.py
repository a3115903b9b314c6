"""Figures kept so a page need not count millions of rows each time it is opened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class DashboardSnapshot(Base):
    """The staff dashboard's figures for one scope (casework.staff_queries.scope_key), as
    they were at `computed_at` (casework.dashboard_snapshots)."""

    __tablename__ = "dashboard_snapshots"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_at: Mapped[dt.datetime]
    figures: Mapped[dict[str, Any]]
