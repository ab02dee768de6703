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

# name -> (description, population, latitude, longitude, website); figures are rounded, websites where known
ORGANISATION_PROFILES: dict[str, tuple[str, int | None, float, float, str | None]] = {
    "City of Leipzig": ("The largest city in Saxony, known for turning empty buildings and brownfields into "
                        "green space, housing and culture after decades of shrinking.", 620_000, 51.3397, 12.3731,
                        "https://www.leipzig.de"),
    "eThekwini Municipality": ("The metropolitan municipality of Durban on South Africa's east coast, a pioneer "
                               "of community-based climate adaptation.", 4_200_000, -29.8587, 31.0218,
                               "https://www.durban.gov.za"),
    "City of Bonn": ("A UN city on the Rhine, home to the UN climate secretariat, with a goal of climate "
                     "neutrality by 2035.", 335_000, 50.7374, 7.0982, "https://www.bonn.de"),
    "Accra Metropolitan Assembly": ("The local government of Ghana's capital, organised in sub-metropolitan "
                                    "district councils.", 285_000, 5.6037, -0.1870, None),
    "Da Nang People's Committee": ("The government of a fast-growing coastal city in central Viet Nam, investing "
                                   "in energy efficiency and public space.", 1_200_000, 16.0544, 108.2022, None),
    "Pune Municipal Corporation": ("The municipal corporation of a major city in Maharashtra, known for "
                                   "participatory budgeting and inclusive waste management.", 3_500_000,
                                   18.5204, 73.8567, None),
    "Curitiba City Hall": ("The city government of the capital of Paraná, Brazil, where bus rapid transit and "
                           "flood-control parks were invented.", 1_770_000, -25.4284, -49.2733,
                           "https://www.curitiba.pr.gov.br"),
    "Municipality of Puebla": ("The municipality of Puebla, Mexico, with a UNESCO-listed historic centre.",
                               1_700_000, 19.0414, -98.2063, None),
    "City of Kharkiv": ("Ukraine's second-largest city, rebuilding public buildings to higher standards.",
                        1_400_000, 49.9935, 36.2304, None),
    "Municipality of Thessaloniki": ("The second-largest city of Greece, on the Thermaic Gulf, working on "
                                     "resilience and the integration of newcomers.", 320_000, 40.6401, 22.9444,
                                     None),
    "Greater Irbid Municipality": ("The municipality of Jordan's second-largest metropolitan area, hosting many "
                                   "refugees from Syria.", None, 32.5556, 35.8500, None),
    "Ville de Dakar": ("The city of Dakar on the Cap-Vert peninsula, Senegal's capital.", 1_150_000, 14.7167,
                       -17.4677, None),
    "Association of German Cities": ("The association of German cities and towns, partner of the network.", None,
                                     52.5163, 13.3777, None),
    "Urban Futures Institute": ("A university research institute on African urban development.", None,
                                -33.9249, 18.4241, None),
    "Green Mobility Alliance": ("A non-governmental alliance for sustainable mobility in Latin America.", None,
                                -23.5505, -46.6333, None),
}

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


def _profile(org: Organisation) -> None:
    """Description, population, coordinates and website of a demo organisation, where not set yet."""
    if org.name not in ORGANISATION_PROFILES:
        return
    description, population, latitude, longitude, website = ORGANISATION_PROFILES[org.name]
    if not org.description:
        org.description = description
    if org.population is None:
        org.population = population
    if org.latitude is None and org.longitude is None:
        org.latitude, org.longitude = latitude, longitude
    if not org.website:
        org.website = website


def seed_foundation(session: Session, *, password: str, hash_method: str | None = None) -> DemoContext:
    """Topics, organisations and people; finds what exists instead of duplicating it."""
    ctx = DemoContext()
    ensure_default_topics(session)
    for name, kind, city, country in ORGANISATIONS:
        org = session.scalar(sa.select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind, city=city, country=country)
            session.add(org)
        _profile(org)
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
    from app.people import demo as people_demo
    from app.practices import demo as practices_demo

    now = utcnow()
    ctx = seed_foundation(session, password=password, hash_method=hash_method)
    events_demo.seed(session, ctx=ctx, now=now)
    learning_demo.seed(session, ctx=ctx, now=now)
    practices_demo.seed(session, ctx=ctx, now=now, storage_dir=current_app.config["PRACTICE_STORAGE_DIR"],
                        base_url=current_app.config.get("BASE_URL") or "",
                        network_name=current_app.config.get("NETWORK_NAME") or "Connective Cities")
    certificates_demo.seed(session, ctx=ctx, now=now)
    people_demo.seed(session, ctx=ctx, now=now)
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
