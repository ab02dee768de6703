"""network topics: every database starts with the network's themes

Revision ID: 5c1d0e7a9b21
Revises: 2fa6308264f9
Create Date: 2026-11-24 04:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5c1d0e7a9b21'
down_revision = '2fa6308264f9'
branch_labels = None
depends_on = None

# A snapshot (migrations never import application code); app.directory.services.DEFAULT_TOPICS matches it.
TOPICS = [
    ("circular-economy", "Closed-loop systems and circular economy",
     "Waste prevention, recycling and closed material cycles in municipal services."),
    ("sustainable-transport", "Environmentally compatible transport",
     "Public transport, cycling, walking and low-emission mobility."),
    ("energy-efficiency", "Energy efficiency",
     "Efficient buildings, street lighting, municipal energy management and renewables."),
    ("climate-friendly-urban-development", "Climate-friendly urban development",
     "Urban planning for mitigation and adaptation, green and blue infrastructure."),
    ("social-integration", "Social integration and social justice",
     "Inclusive neighbourhoods, integration of migrants and equal access to services."),
    ("local-business-cooperation", "Cooperation with local businesses",
     "Local economic development and partnerships between cities and enterprises."),
    ("citizen-participation", "Citizen participation",
     "Involving residents in planning, budgeting and decision-making."),
    ("poverty-reduction", "Poverty reduction",
     "Basic services, informal settlements and livelihoods."),
]

topic = sa.table("topic", sa.column("slug", sa.String), sa.column("name", sa.String),
                 sa.column("description", sa.Text))


def upgrade():
    conn = op.get_bind()
    existing = {row[0] for row in conn.execute(sa.select(topic.c.slug))}
    rows = [{"slug": s, "name": n, "description": d} for s, n, d in TOPICS if s not in existing]
    if rows:
        op.bulk_insert(topic, rows)


def downgrade():
    op.execute(topic.delete().where(topic.c.slug.in_([s for s, *_ in TOPICS])))
