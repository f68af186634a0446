"""keep the chair's "Gleichstand ausdrücklich beschlossen" with the jury's decision

Revision ID: 0004_season_a_tie_decided
Revises: 0003_account_security
Create Date: 2026-12-07 10:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004_season_a_tie_decided"
down_revision = "0003_account_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tie_decided", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("tie_decided")
