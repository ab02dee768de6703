"""Demo data of this package (called by app.demo.seed_all): events of every format across the network."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.events import services
from app.events.models import Event, EventSession

ORGANISER = "organiser@demo.connective-cities.org"
SIPHO = "sipho.ndlovu@demo.connective-cities.org"
LAYLA = "layla.haddad@demo.connective-cities.org"

# slug, organiser, place (latitude, longitude), data (day offsets from today; local hours),
# agenda [(day, start, end, title, location, address[, (latitude, longitude) of an itinerary stop])],
# how many demo participants enrol, whether they check in (past events), extra options
EVENTS = [
    {
        "slug": "circular-economy-municipal-waste-leipzig", "place": (51.3363, 12.3713), "organiser": ORGANISER, "days": (-45, 2), "hours": (9, 17),
        "data": {"title": "Circular economy in municipal waste management", "format": "workshop",
                 "timezone": "Europe/Berlin", "venue": "Neues Rathaus", "address": "Martin-Luther-Ring 4",
                 "city": "Leipzig", "country": "DE", "capacity": 25, "topics": ["circular-economy"],
                 "hosts": ["City of Leipzig"], "languages": ["en", "de"], "hours": 12,
                 "summary": "Two days on separate collection, repair cafés and public procurement for reuse.",
                 "description": "Practitioners from **Leipzig**, **Accra** and **Pune** compare how their cities "
                                "moved from landfill to material cycles.\n\n- separate collection\n"
                                "- repair and reuse networks\n- green public procurement",
                 "translations": {"de": {
                     "title": "Kreislaufwirtschaft in der kommunalen Abfallwirtschaft",
                     "summary": "Zwei Tage zu getrennter Sammlung, Repair-Cafés und öffentlicher Beschaffung für die "
                                "Wiederverwendung.",
                     "description": "Fachleute aus **Leipzig**, **Accra** und **Pune** vergleichen, wie ihre Städte "
                                    "von der Deponie zu Stoffkreisläufen gekommen sind.\n\n- getrennte Sammlung\n"
                                    "- Reparatur- und Wiederverwendungsnetzwerke\n- umweltfreundliche Beschaffung"}}},
        "agenda": [(0, 9, 12, "Welcome and city reports", "Festsaal", ""),
                   (0, 13, 17, "Peer exchange: separate collection", "Room 2.14", ""),
                   (1, 9, 13, "Visit: Stadtreinigung Leipzig recycling centre", "Recycling centre",
                    "Geithainer Straße 60, Leipzig")],
        "enrol": 8, "attend": True,
    },
    {
        "slug": "durban-climate-adaptation-information-trip", "place": (-29.8587, 31.0254), "organiser": SIPHO, "days": (38, 3), "hours": (8, 16),
        "data": {"title": "Information trip: climate adaptation in eThekwini", "format": "information_trip",
                 "timezone": "Africa/Johannesburg", "venue": "Durban City Hall", "address": "Anton Lembede Street",
                 "city": "Durban", "country": "ZA", "capacity": 4,
                 "topics": ["climate-friendly-urban-development", "citizen-participation"],
                 "hosts": ["eThekwini Municipality"], "languages": ["en"], "hours": 18,
                 "summary": "See community ecosystem-based adaptation along the Palmiet and uMngeni rivers.",
                 "description": "A three-day study tour: river restoration, the Inanda Dam catchment and "
                                "community reforestation. Bring sturdy shoes."},
        "agenda": [(0, 8, 11, "Briefing at the Climate Protection Branch", "City Hall, Room 4", "Anton Lembede Street", (-29.8587, 31.0254)),
                   (0, 13, 16, "Palmiet River rehabilitation site", "Palmiet Nature Reserve", "Westville", (-29.8275, 30.936)),
                   (1, 8, 12, "Inanda Dam catchment and community nursery", "Inanda", "Inanda Road", (-29.7083, 30.8667)),
                   (2, 9, 12, "Buffelsdraai landfill community reforestation", "Buffelsdraai", "Verulam", (-29.645, 31.03))],
        "enrol": 7, "demo_participant_last": True,  # 4 seats: three people wait, the demo login third
    },
    {
        "slug": "da-nang-energy-efficient-street-lighting-training", "place": (16.0775, 108.223), "organiser": ORGANISER, "days": (16, 1),
        "hours": (9, 16),
        "data": {"title": "Training: energy-efficient street lighting", "format": "training",
                 "timezone": "Asia/Ho_Chi_Minh", "venue": "Da Nang Administrative Centre",
                 "address": "24 Tran Phu", "city": "Da Nang", "country": "VN", "capacity": 30,
                 "online_url": "https://meet.example.org/da-nang-lighting", "topics": ["energy-efficiency"],
                 "hosts": ["Da Nang People's Committee"], "languages": ["en", "vi"], "hours": 6,
                 "summary": "Hybrid training on LED retrofits, smart dimming and energy performance contracts."},
        "agenda": [(0, 9, 12, "LED retrofits: what Da Nang learned", "Hall B", ""),
                   (0, 13, 16, "Energy performance contracting clinic", "Hall B", "")],
        "enrol": 5,
    },
    {
        "slug": "pune-inclusive-cities-conference", "place": (18.558, 73.807), "organiser": ORGANISER, "days": (70, 2), "hours": (9, 18),
        "data": {"title": "Inclusive cities conference", "format": "conference", "timezone": "Asia/Kolkata",
                 "venue": "Yashwantrao Chavan Academy", "address": "Baner Road", "city": "Pune", "country": "IN",
                 "capacity": 200, "topics": ["social-integration", "poverty-reduction"],
                 "hosts": ["Pune Municipal Corporation", "Urban Futures Institute"], "languages": ["en", "hi"],
                 "hours": 14, "registration_closes_offset_days": 60,
                 "summary": "Basic services, informal settlements and participatory budgeting: two days of "
                            "exchange."},
        "agenda": [(0, 9, 10, "Opening plenary", "Main hall", ""),
                   (0, 10, 13, "Panel: upgrading informal settlements", "Main hall", ""),
                   (1, 9, 12, "Workshops in parallel", "Rooms 1-4", "")],
        "enrol": 6,
    },
    {
        "slug": "curitiba-bus-rapid-transit-study-tour", "place": (-25.437, -49.258), "organiser": ORGANISER, "days": (-120, 2), "hours": (8, 17),
        "data": {"title": "Study tour: bus rapid transit and green spaces in Curitiba", "format": "information_trip",
                 "timezone": "America/Sao_Paulo", "venue": "URBS headquarters", "address": "Av. Presidente Affonso Camargo 330",
                 "city": "Curitiba", "country": "BR", "capacity": 12,
                 "topics": ["sustainable-transport", "climate-friendly-urban-development"],
                 "hosts": ["Curitiba City Hall", "Green Mobility Alliance"], "languages": ["en", "pt"], "hours": 14,
                 "summary": "The Rede Integrada de Transporte, tube stations and the city's parks.",
                 "translations": {
                     "pt": {"title": "Viagem de estudo: BRT e áreas verdes em Curitiba",
                            "summary": "A Rede Integrada de Transporte, as estações-tubo e os parques da cidade."},
                     "es": {"title": "Viaje de estudio: autobús de tránsito rápido y áreas verdes en Curitiba",
                            "summary": "La Rede Integrada de Transporte, las estaciones tubo y los parques de la "
                                       "ciudad."}}},
        "agenda": [(0, 8, 12, "Integrated transport network operations centre", "URBS", "Av. Pres. Affonso Camargo 330", (-25.437, -49.258)),
                   (0, 13, 17, "Ride the Linha Verde and its tube stations", "Linha Verde", "Estação Marechal Floriano", (-25.474, -49.242)),
                   (1, 9, 13, "Barigui Park: flood control as public space", "Parque Barigui", "Av. Cândido Hartmann", (-25.422, -49.308))],
        "enrol": 9, "attend": True,
    },
    {
        "slug": "accra-participatory-budgeting-workshop", "place": (5.547, -0.204), "organiser": SIPHO, "days": (9, 1), "hours": (9, 17),
        "data": {"title": "Participatory budgeting in practice", "format": "workshop", "timezone": "Africa/Accra",
                 "venue": "Accra City Hall", "address": "Thorpe Road", "city": "Accra", "country": "GH",
                 "capacity": 3, "requires_approval": False, "waitlist_mode": "offer", "offer_hours": 48,
                 "topics": ["citizen-participation"], "hosts": ["Accra Metropolitan Assembly"],
                 "languages": ["en", "fr"], "hours": 7,
                 "summary": "How Accra's sub-metros involve residents in setting spending priorities."},
        "agenda": [],
        "enrol": 6, "cancel_one": True,  # full: a cancellation offers the seat to the first person waiting
    },
    {
        "slug": "connective-cities-annual-conference-bonn", "place": (50.717, 7.122), "organiser": ORGANISER, "days": (-210, 3), "hours": (9, 17),
        "data": {"title": "Connective Cities annual conference", "format": "conference", "timezone": "Europe/Berlin",
                 "venue": "World Conference Center Bonn", "address": "Platz der Vereinten Nationen 2", "city": "Bonn",
                 "country": "DE", "capacity": 150, "topics": ["local-business-cooperation", "energy-efficiency"],
                 "hosts": ["City of Bonn", "Association of German Cities"], "languages": ["en", "de", "fr"],
                 "hours": 20, "min_attendance_percent": 60,
                 "summary": "The network's yearly meeting of practitioners from every continent."},
        "agenda": [],
        "enrol": 10, "attend": True,
    },
    {
        # the Middle East and North Africa network's dialogue events run in Arabic and English
        "slug": "irbid-water-scarcity-dialogue", "place": (32.5556, 35.85), "organiser": LAYLA, "days": (24, 2),
        "hours": (9, 16),
        "data": {"title": "حوار المدن: إدارة ندرة المياه في المدن", "format": "workshop", "language": "ar",
                 "timezone": "Asia/Amman", "venue": "مبنى بلدية إربد الكبرى", "address": "شارع الجامعة",
                 "city": "Irbid", "country": "JO", "capacity": 30,
                 "topics": ["climate-friendly-urban-development", "citizen-participation"],
                 "hosts": ["Greater Irbid Municipality"], "languages": ["ar", "en"], "hours": 10,
                 "summary": "يومان لتبادل الخبرات بين مدن الشرق الأوسط وشمال أفريقيا حول خفض فاقد المياه وإعادة "
                            "استخدام المياه الرمادية.",
                 "description": "تعرض **إربد** و**أكادير** و**صفاقس** كيف خفّضت فاقد المياه غير المحسوب، "
                                "ويزور المشاركون محطة معالجة المياه الرمادية في حي الحصن.",
                 "translations": {"en": {
                     "title": "City dialogue: managing urban water scarcity",
                     "summary": "Two days of exchange between Middle East and North Africa cities on cutting water "
                                "losses and reusing greywater.",
                     "description": "**Irbid**, **Agadir** and **Sfax** show how they reduced non-revenue water; "
                                    "participants visit the greywater treatment plant in Al-Husn."}}},
        "agenda": [(0, 9, 12, "الترحيب وعروض المدن", "القاعة الكبرى", ""),
                   (0, 13, 16, "ورشة: خفض الفاقد في شبكات المياه", "القاعة 2", ""),
                   (1, 9, 13, "زيارة محطة معالجة المياه الرمادية", "الحصن", "الحصن، إربد", (32.486, 35.88))],
        "enrol": 5,
    },
    {
        "slug": "thessaloniki-resilient-waterfronts-training", "place": (40.624, 22.953), "organiser": ORGANISER, "days": (110, 1), "hours": (10, 16),
        "data": {"title": "Training: resilient waterfronts", "format": "training", "timezone": "Europe/Athens",
                 "venue": "Thessaloniki City Hall", "address": "Vasileos Georgiou 1", "city": "Thessaloniki",
                 "country": "GR", "capacity": 20, "topics": ["climate-friendly-urban-development"],
                 "hosts": ["Municipality of Thessaloniki"], "languages": ["en", "el"], "hours": 5,
                 "summary": "Coastal flood defences that double as public space (draft, not yet published)."},
        "agenda": [], "enrol": 0, "draft": True,
    },
]


def _local(day, hour: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(zone))


def _place(session: Session, event: Event, spec: dict) -> None:
    """The event's and its itinerary stops' coordinates, where not set yet (set on the rows: the demo's places
    are fixed data, and the event services' inputs need not know them for this)."""
    session_rows = list(session.scalars(sa.select(EventSession).where(EventSession.event_id == event.id)
                                        .order_by(EventSession.starts_at, EventSession.id)))
    if event.latitude is None and spec.get("place"):
        event.latitude, event.longitude = spec["place"]
    for row, entry in zip(session_rows, spec["agenda"], strict=False):
        if len(entry) > 6 and row.latitude is None:
            row.latitude, row.longitude = entry[6]


def seed(session: Session, *, ctx, now: datetime) -> None:
    """Add this package's demo data; idempotent (events are found by slug)."""
    from app.directory.models import Organisation

    orgs = {o.name: o.id for o in session.scalars(sa.select(Organisation))}
    # the demo login first, so it shows enrolments, a ticket and attendance
    participants = sorted(ctx.participants, key=lambda u: (u.email != "participant@demo.connective-cities.org",
                                                           u.email))
    for spec in EVENTS:
        existing = session.scalar(sa.select(Event).where(Event.slug == spec["slug"]))
        if existing is not None:
            _place(session, existing, spec)  # a database seeded before events had places gets them now
            continue
        organiser = ctx.users[spec["organiser"]]
        data = dict(spec["data"])
        zone = data["timezone"]
        offset, length = spec["days"]
        first_day = (now + timedelta(days=offset)).astimezone(ZoneInfo(zone)).date()
        start_hour, end_hour = spec["hours"]
        data["starts_at"] = _local(first_day, start_hour, zone)
        data["ends_at"] = _local(first_day + timedelta(days=length - 1), end_hour, zone)
        closes = data.pop("registration_closes_offset_days", None)
        if closes is not None:
            data["registration_closes_at"] = now + timedelta(days=closes)
        data["hosts"] = [orgs[name] for name in data.get("hosts", []) if name in orgs]
        data["slug"] = spec["slug"]
        event = services.create_event(session, data=data, created_by_id=organiser.id, now=now)
        for day, start, end, title, location, address, *_stop in spec["agenda"]:
            services.add_session(session, event_id=event.id, actor_id=organiser.id, now=now, data={
                "title": title, "location": location, "address": address,
                "starts_at": _local(first_day + timedelta(days=day), start, zone),
                "ends_at": _local(first_day + timedelta(days=day), end, zone)})
        _place(session, event, spec)
        if spec.get("draft"):
            continue
        services.publish_event(session, event_id=event.id, actor_id=organiser.id, now=now)
        past = event.ends_at <= now
        enrolments = []
        people = participants[: spec["enrol"]]
        if spec.get("demo_participant_last"):
            people = people[1:] + people[:1]
        # people enrolled over the four weeks before the event (or before today), so that the organiser's
        # dashboard draws a curve, not one day
        last = min(now, event.starts_at - timedelta(days=1))
        for n, person in enumerate(people):
            when = last - timedelta(days=28) * (len(people) - n) / len(people)
            # past events are recorded by the organiser from the sign-in sheets
            enrolments.append(services.enrol(session, event_id=event.id, user_id=person.id, now=when,
                                             actor_id=organiser.id if past else None))
        if spec.get("cancel_one"):
            leaving = next(e for e in reversed(enrolments) if e.status == "confirmed")
            services.cancel_enrolment(session, enrolment_id=leaving.id, actor_id=leaving.user_id, now=now,
                                      reason="Travel budget not approved")
        if spec.get("attend"):
            session.refresh(event)
            units = services.attendance_units(event)
            for n, enrolment in enumerate(enrolments):
                if enrolment.status != "confirmed":
                    continue
                # most attend everything; every fourth person misses the last unit
                attended = units if n % 4 != 3 else units[:-1]
                for unit in attended:
                    services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now,
                                      enrolment_id=enrolment.id, session_id=unit.session_id, day=unit.day,
                                      method="sheet")
    session.flush()
