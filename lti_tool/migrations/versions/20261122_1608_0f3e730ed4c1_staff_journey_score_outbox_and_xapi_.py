"""Staff journey (profiles, cycles, ratings, plans, course settings), score outbox, xAPI outbox.

Revision ID: 0f3e730ed4c1
Revises: 73a7e1651ac0
Create Date: 2026-11-22 16:08:59.589532

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0f3e730ed4c1'
down_revision = '73a7e1651ac0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=64), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('suggested_group', sa.String(length=16), nullable=False),
    sa.Column('send_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_staff_profiles_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_profiles')),
    sa.UniqueConstraint('person_id', 'framework_id', name=op.f('uq_staff_profiles_person_id_framework_id'))
    )
    op.create_table('assessment_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('framework_version', sa.String(length=32), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('send_enabled', sa.Boolean(), nullable=False),
    sa.Column('registration', sa.String(length=36), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_in_context_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['completed_in_context_id'], ['contexts.id'], name=op.f('fk_assessment_cycles_completed_in_context_id_contexts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['staff_profiles.id'], name=op.f('fk_assessment_cycles_profile_id_staff_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_cycles')),
    sa.UniqueConstraint('profile_id', 'number', name=op.f('uq_assessment_cycles_profile_id_number')),
    sa.UniqueConstraint('registration', name=op.f('uq_assessment_cycles_registration'))
    )
    op.create_table('context_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=64), nullable=False),
    sa.Column('send_enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['context_id'], ['contexts.id'], name=op.f('fk_context_settings_context_id_contexts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_context_settings')),
    sa.UniqueConstraint('context_id', name=op.f('uq_context_settings_context_id'))
    )
    op.create_table('plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('evidence_note', sa.String(length=300), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['staff_profiles.id'], name=op.f('fk_plan_items_profile_id_staff_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_items')),
    sa.UniqueConstraint('profile_id', 'training_id', name=op.f('uq_plan_items_profile_id_training_id'))
    )
    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.String(length=64), nullable=False),
    sa.Column('rating', sa.String(length=64), nullable=False),
    sa.Column('evidence_note', sa.String(length=300), nullable=False),
    sa.Column('private_note', sa.String(length=500), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['assessment_cycles.id'], name=op.f('fk_ratings_cycle_id_assessment_cycles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('cycle_id', 'competency_id', name=op.f('uq_ratings_cycle_id_competency_id'))
    )
    op.create_table('score_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('score_given', sa.Double(), nullable=False),
    sa.Column('score_maximum', sa.Double(), nullable=False),
    sa.Column('activity_progress', sa.String(length=32), nullable=False),
    sa.Column('grading_progress', sa.String(length=32), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_score_outbox_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_link_id'], ['resource_links.id'], name=op.f('fk_score_outbox_resource_link_id_resource_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_outbox'))
    )
    with op.batch_alter_table('score_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_score_outbox_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('xapi_outbox',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_outbox'))
    )
    with op.batch_alter_table('xapi_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_xapi_outbox_status_created_at', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_xapi_outbox_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('xapi_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_xapi_outbox_status_next_attempt_at')
        batch_op.drop_index('ix_xapi_outbox_status_created_at')

    op.drop_table('xapi_outbox')
    with op.batch_alter_table('score_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_score_outbox_due')

    op.drop_table('score_outbox')
    op.drop_table('ratings')
    op.drop_table('plan_items')
    op.drop_table('context_settings')
    op.drop_table('assessment_cycles')
    op.drop_table('staff_profiles')
