"""Join the branches of this round's features into one head.

Revision ID: 0005_merge_round_three
Revises: 0002_privacy, 0004_mail_messaging, 0004_planning_days_halls,
    0004_season_a_tie_decided, 0004_season_b_judge_absence, 0004_stats_participant_gender
"""

revision = "0005_merge_round_three"
down_revision = (
    "0002_privacy",
    "0004_mail_messaging",
    "0004_planning_days_halls",
    "0004_season_a_tie_decided",
    "0004_season_b_judge_absence",
    "0004_stats_participant_gender",
)
branch_labels = None
depends_on = None


def upgrade():
    pass  # no schema change: one head again, so `flask db upgrade` and later revisions have one parent


def downgrade():
    pass
