"""account security: server-side sessions, role offers, throttling per client

Revision ID: 0003_account_security
Revises: 0001
Create Date: 2026-11-28 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import compmgr.database

revision = "0003_account_security"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", compmgr.database.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", compmgr.database.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", compmgr.database.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_sessions_created_at"), ["created_at"], unique=False)

    op.create_table(
        "role_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", compmgr.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"],
                                name=op.f("fk_role_offers_competition_id_competitions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"],
                                name=op.f("fk_role_offers_invited_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"],
                                name=op.f("fk_role_offers_school_id_schools"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_role_offers_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_offers")),
        sa.UniqueConstraint("user_id", "competition_id", "role", "school_id",
                            name=op.f("uq_role_offers_user_id_competition_id_role_school_id")),
    )
    with op.batch_alter_table("role_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_offers_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_offers_competition_id"), ["competition_id"], unique=False)

    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=80), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="login"))


def downgrade():
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_column("kind")
        batch_op.drop_column("client_key")
    op.drop_table("role_offers")
    op.drop_table("user_sessions")
