"""privacy: access log, site pages, competition statistics

Revision ID: 0002_privacy
Revises: 0001
Create Date: 2026-11-22 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import compmgr.database

revision = "0002_privacy"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "access_log_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", compmgr.database.UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("competition_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("participant_ids", sa.JSON(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("endpoint", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_access_log_entries_user_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"],
                                name=op.f("fk_access_log_entries_competition_id_competitions"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log_entries")),
    )
    with op.batch_alter_table("access_log_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_entries_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_entries_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_entries_competition_id"), ["competition_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_entries_participant_id"), ["participant_id"],
                              unique=False)

    op.create_table(
        "site_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", compmgr.database.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_site_pages_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_pages")),
        sa.UniqueConstraint("slug", name=op.f("uq_site_pages_slug")),
    )

    op.create_table(
        "competition_statistics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("computed_at", compmgr.database.UTCDateTime(), nullable=False),
        sa.Column("purged_at", compmgr.database.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"],
                                name=op.f("fk_competition_statistics_competition_id_competitions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_statistics")),
        sa.UniqueConstraint("competition_id", name=op.f("uq_competition_statistics_competition_id")),
    )


def downgrade():
    op.drop_table("competition_statistics")
    op.drop_table("site_pages")
    with op.batch_alter_table("access_log_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_log_entries_participant_id"))
        batch_op.drop_index(batch_op.f("ix_access_log_entries_competition_id"))
        batch_op.drop_index(batch_op.f("ix_access_log_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_access_log_entries_at"))
    op.drop_table("access_log_entries")
