"""Demo practitioner profiles: a few people who opted in (public or members-only), in their own languages, and
one who keeps theirs hidden. Safe to run again: an existing profile is left as it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.people.profiles import get_profile, save_profile

D = "@demo.connective-cities.org"
PROFILES = {
    f"participant{D}": dict(
        visibility="public", position="Mobility planner, transport department", city="Leipzig",
        bio="I coordinate Leipzig's cycling network and the shift to electric buses. Happy to advise on funding "
            "and on winning public support for road space changes.",
        topics=["sustainable-transport", "citizen-participation"], sdg_targets=["11.2", "11.6", "3.6"],
        languages=["de", "en", "fr"], shows_events=True, shows_certificates=True),
    f"lucas.oliveira{D}": dict(
        visibility="public", position="Coordenador de mobilidade urbana", city="Curitiba",
        bio="Trabalho com corredores de ônibus (BRT) e integração tarifária.",
        topics=["sustainable-transport"], sdg_targets=["11.2"], languages=["pt", "es", "en"], shows_events=True),
    f"layla.haddad{D}": dict(
        visibility="public", position="مديرة التخطيط الحضري", city="إربد",
        bio="أعمل على إدارة النفايات الصلبة وإشراك المواطنين في بلديات شمال الأردن.",
        topics=["circular-economy", "citizen-participation"], sdg_targets=["11.6", "12.5"], languages=["ar", "en"]),
    f"aminata.diallo{D}": dict(
        visibility="members", position="Chargée de mission énergie", city="Dakar",
        bio="Efficacité énergétique des bâtiments publics et éclairage solaire.",
        topics=["energy-efficiency"], sdg_targets=["7.3", "7.b"], languages=["fr", "en"]),
    f"jonas.weber{D}": dict(visibility="hidden", position="Klimaschutzmanager", city="Bonn",
                            topics=["climate-friendly-urban-development"], languages=["de"]),
}


def seed(session: Session, *, ctx, now: datetime) -> None:
    for email, data in PROFILES.items():
        user = ctx.users.get(email)
        if user is None or get_profile(session, user.id) is not None:
            continue
        save_profile(session, user_id=user.id, data=dict(data), now=now)
    session.flush()
