"""staff inbox: handling inbound SMS that matched no keyword

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 02:56:22.782124
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported from the models: a revision must keep meaning what it meant.
OPEN_INBOX = "handled_at IS NULL AND command = 'other'"


def upgrade() -> None:
    # On SQLite the batch copies the table (new foreign keys and a check need that); on
    # PostgreSQL these are plain ALTER TABLE statements.
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("answer_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_inbound_messages_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_inbound_messages_open",
            ["received_at"],
            unique=False,
            sqlite_where=sa.text(OPEN_INBOX),
            postgresql_where=sa.text(OPEN_INBOX),
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_inbound_messages_handled_by_id_staff_users"),
            "staff_users",
            ["handled_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_inbound_messages_answer_id_outbound_messages"),
            "outbound_messages",
            ["answer_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_inbound_messages_case_id_cases"), "cases", ["case_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_inbound_messages_outcome"),
            "outcome IN ('attached', 'answered', 'dismissed')",
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_inbound_messages_outcome"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_inbound_messages_case_id_cases"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_inbound_messages_answer_id_outbound_messages"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_inbound_messages_handled_by_id_staff_users"), type_="foreignkey"
        )
        batch_op.drop_index("ix_inbound_messages_open")
        batch_op.drop_index(batch_op.f("ix_inbound_messages_case_id"))
        batch_op.drop_column("answer_id")
        batch_op.drop_column("case_id")
        batch_op.drop_column("outcome")
        batch_op.drop_column("handled_by_id")
        batch_op.drop_column("handled_at")
