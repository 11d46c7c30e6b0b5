"""A wellbeing support link per deployment.

Revision ID: b293797b1c06
Revises: 0f3e730ed4c1
Create Date: 2026-11-22 17:00:35.028697

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b293797b1c06'
down_revision = '0f3e730ed4c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('support_url', sa.String(length=1024), nullable=True))



def downgrade():
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.drop_column('support_url')

