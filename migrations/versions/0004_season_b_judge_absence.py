"""judge absence: when a judge dropped out, and the juries they were in (for the undo)

Revision ID: 0004_season_b_judge_absence
Revises: 0003_account_security
Create Date: 2026-12-07 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import compmgr.database

revision = "0004_season_b_judge_absence"
down_revision = "0003_account_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("judges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("absent_since", compmgr.database.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("absent_from", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("judges", schema=None) as batch_op:
        batch_op.drop_column("absent_from")
        batch_op.drop_column("absent_since")
