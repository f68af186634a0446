"""stats: optional gender per participant, for the statistics only

Revision ID: 0004_stats_participant_gender
Revises: 0003_account_security
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004_stats_participant_gender"
down_revision = "0003_account_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("gender", sa.String(length=1), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("gender")
