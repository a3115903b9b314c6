"""privacy: consents to the privacy notice, and when retention anonymised a case

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 03:52:50.444756
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "privacy_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("notice_version", sa.String(length=16), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("how IN ('agreed', 'notified')", name=op.f("ck_privacy_consents_how")),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizens.id"], name=op.f("fk_privacy_consents_citizen_id_citizens")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_consents")),
    )
    op.create_index(
        op.f("ix_privacy_consents_citizen_id"), "privacy_consents", ["citizen_id"], unique=False
    )
    op.create_index(op.f("ix_privacy_consents_phone"), "privacy_consents", ["phone"], unique=False)
    # A plain ADD COLUMN on both databases: no copy of `cases` on SQLite.
    op.add_column("cases", sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Native since SQLite 3.35. A batch copy would have to drop `cases`, which the
        # foreign keys pointing at it refuse (the cascading ones would empty their tables).
        op.execute("ALTER TABLE cases DROP COLUMN anonymised_at")
    else:
        op.drop_column("cases", "anonymised_at")
    op.drop_index(op.f("ix_privacy_consents_phone"), table_name="privacy_consents")
    op.drop_index(op.f("ix_privacy_consents_citizen_id"), table_name="privacy_consents")
    op.drop_table("privacy_consents")
