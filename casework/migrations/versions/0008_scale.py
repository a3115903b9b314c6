"""scale: indexes for the staff queues and lookups at millions of cases, and kept
dashboard figures

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OPEN = sa.text("closed_at IS NULL")
DECLINED = sa.text("status = 'declined'")
RESOLVED = sa.text("to_status = 'resolved'")


def _where(condition: sa.TextClause) -> dict[str, sa.TextClause]:
    return {"postgresql_where": condition, "sqlite_where": condition}


def upgrade() -> None:
    # Built in one go per index; on a large database run this in a quiet hour (CREATE
    # INDEX blocks writes to the table while it builds: seconds at 3 million cases).
    op.create_index("ix_cases_open_due", "cases", ["due_at", "id"], **_where(OPEN))
    op.create_index(
        "ix_cases_open_by_kind", "cases", ["kind", "status", "due_at", "id"], **_where(OPEN)
    )
    op.create_index("ix_cases_declined_due", "cases", ["kind", "due_at", "id"], **_where(DECLINED))
    op.create_index("ix_cases_kind_created", "cases", ["kind", "created_at"])
    op.create_index("ix_case_events_resolved", "case_events", ["at"], **_where(RESOLVED))
    op.create_index("ix_referrals_from_agency", "referrals", ["from_agency_id", "id"])
    op.drop_index("ix_referrals_from_agency_id", table_name="referrals")
    op.create_table(
        "dashboard_snapshots",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "figures",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_dashboard_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("dashboard_snapshots")
    op.create_index("ix_referrals_from_agency_id", "referrals", ["from_agency_id"])
    op.drop_index("ix_referrals_from_agency", table_name="referrals")
    op.drop_index("ix_case_events_resolved", table_name="case_events")
    op.drop_index("ix_cases_kind_created", table_name="cases")
    op.drop_index("ix_cases_declined_due", table_name="cases")
    op.drop_index("ix_cases_open_by_kind", table_name="cases")
    op.drop_index("ix_cases_open_due", table_name="cases")
