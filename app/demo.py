"""`flask seed-demo`: realistic, idempotent demo data. Each domain adds its part in its demo.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from app.auth import services as auth_services
from app.auth.models import User
from app.directory.models import Organisation
from app.directory.services import ensure_default_topics
from app.extensions import db
from app.search.index import reindex
from app.sqltypes import utcnow

ORGANISATIONS = [
    # name, kind, city, country
    ("City of Leipzig", "municipality", "Leipzig", "DE"),
    ("eThekwini Municipality", "municipality", "Durban", "ZA"),
    ("City of Bonn", "municipality", "Bonn", "DE"),
    ("Accra Metropolitan Assembly", "municipality", "Accra", "GH"),
    ("Da Nang People's Committee", "municipality", "Da Nang", "VN"),
    ("Pune Municipal Corporation", "municipality", "Pune", "IN"),
    ("Curitiba City Hall", "municipality", "Curitiba", "BR"),
    ("Municipality of Puebla", "municipality", "Puebla", "MX"),
    ("City of Kharkiv", "municipality", "Kharkiv", "UA"),
    ("Municipality of Thessaloniki", "municipality", "Thessaloniki", "GR"),
    ("Greater Irbid Municipality", "municipality", "Irbid", "JO"),
    ("Ville de Dakar", "municipality", "Dakar", "SN"),
    ("Association of German Cities", "partner", "Berlin", "DE"),
    ("Urban Futures Institute", "university", "Cape Town", "ZA"),
    ("Green Mobility Alliance", "ngo", "São Paulo", "BR"),
]

# email, name, role, organisation, timezone, language
PEOPLE = [
    ("admin@demo.connective-cities.org", "Ada Admin", "admin", "Association of German Cities", "Europe/Berlin", "en"),
    ("organiser@demo.connective-cities.org", "Olivia Okafor", "organiser", "Association of German Cities",
     "Europe/Berlin", "en"),
    ("sipho.ndlovu@demo.connective-cities.org", "Sipho Ndlovu", "organiser", "eThekwini Municipality",
     "Africa/Johannesburg", "en"),
    ("participant@demo.connective-cities.org", "Zoë Müller-Łukasiewicz", "participant", "City of Leipzig",
     "Europe/Berlin", "de"),
    ("anna.kovalchuk@demo.connective-cities.org", "Анна Ковальчук", "participant", "City of Kharkiv",
     "Europe/Kyiv", "en"),
    ("giorgos.papadopoulos@demo.connective-cities.org", "Γιώργος Παπαδόπουλος", "participant",
     "Municipality of Thessaloniki", "Europe/Athens", "en"),
    ("nguyen.van.an@demo.connective-cities.org", "Nguyễn Văn An", "participant", "Da Nang People's Committee",
     "Asia/Ho_Chi_Minh", "en"),
    ("thandiwe.mkhize@demo.connective-cities.org", "Thandiwe Mkhize", "participant", "eThekwini Municipality",
     "Africa/Johannesburg", "en"),
    ("kwame.mensah@demo.connective-cities.org", "Kwame Mensah", "participant", "Accra Metropolitan Assembly",
     "Africa/Accra", "en"),
    ("priya.deshpande@demo.connective-cities.org", "Priya Deshpande", "participant", "Pune Municipal Corporation",
     "Asia/Kolkata", "en"),
    ("lucas.oliveira@demo.connective-cities.org", "Lucas Oliveira", "participant", "Curitiba City Hall",
     "America/Sao_Paulo", "pt"),
    ("maria.hernandez@demo.connective-cities.org", "María Hernández", "participant", "Municipality of Puebla",
     "America/Mexico_City", "es"),
    ("jonas.weber@demo.connective-cities.org", "Jonas Weber", "participant", "City of Bonn", "Europe/Berlin", "de"),
    # the Middle East and North Africa network works in Arabic and English; West Africa partly in French
    ("layla.haddad@demo.connective-cities.org", "ليلى حداد", "organiser", "Greater Irbid Municipality",
     "Asia/Amman", "ar"),
    ("fatima.zahra@demo.connective-cities.org", "فاطمة الزهراء", "participant", "Greater Irbid Municipality",
     "Asia/Amman", "ar"),
    ("aminata.diallo@demo.connective-cities.org", "Aminata Diallo", "participant", "Ville de Dakar",
     "Africa/Dakar", "fr"),
    ("wang.xiuying@demo.connective-cities.org", "王秀英", "participant", "Urban Futures Institute",
     "Africa/Johannesburg", "en"),
]


@dataclass
class DemoContext:
    """What earlier steps created, for later steps to build on."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    @property
    def organisers(self) -> list[User]:
        return [u for u in self.users.values() if u.role in ("organiser", "admin")]

    @property
    def participants(self) -> list[User]:
        return [u for u in self.users.values() if u.role == "participant"]


def seed_foundation(session: Session, *, password: str, hash_method: str | None = None) -> DemoContext:
    """Topics, organisations and people; finds what exists instead of duplicating it."""
    ctx = DemoContext()
    ensure_default_topics(session)
    for name, kind, city, country in ORGANISATIONS:
        org = session.scalar(sa.select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind, city=city, country=country)
            session.add(org)
        ctx.organisations[name] = org
    session.flush()
    for email, name, role, org_name, tz, lang in PEOPLE:
        user = auth_services.find_user_by_email(session, email)
        if user is None:
            org = ctx.organisations[org_name]
            user = auth_services.register_user(
                session, email=email, name=name, password=password, role=role, organisation_id=org.id,
                country=org.country, timezone=tz, language=lang, hash_method=hash_method,
            )
        ctx.users[email] = user
    session.flush()
    return ctx


def seed_all(session: Session, *, password: str, hash_method: str | None = None) -> DemoContext:
    """Every domain's demo data, in dependency order."""
    from app.certificates import demo as certificates_demo
    from app.events import demo as events_demo
    from app.learning import demo as learning_demo

    now = utcnow()
    ctx = seed_foundation(session, password=password, hash_method=hash_method)
    events_demo.seed(session, ctx=ctx, now=now)
    learning_demo.seed(session, ctx=ctx, now=now)
    certificates_demo.seed(session, ctx=ctx, now=now)
    return ctx


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo data (safe to run again: nothing is duplicated)."""
    password = current_app.config["DEMO_PASSWORD"]
    seed_all(db.session, password=password, hash_method=current_app.config.get("PASSWORD_HASH_METHOD"))
    # rows made before the search index existed (an older database, bulk inserts) are indexed too
    reindex(db.session)
    db.session.commit()
    click.echo(f"Demo data is loaded. Demo logins (password: {password}):")
    for email, name, role, *_ in PEOPLE[:4]:
        click.echo(f"  {role:<12} {email}  ({name})")
