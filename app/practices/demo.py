"""Demo data of this package (called by app.demo.seed_all after learning): good practices from the member cities.

Every practice goes through the services a member and a reviewer use (create, add files, submit, publish or
return, register interest), at dates in the past, so the demo shows real revisions, a verification due, the
digest's interest and emails in the outbox. Images are drawn here with Pillow from each practice's key figures
(or a patterned poster with its city's name) and each published practice has a one-page fact sheet made with
reportlab: nothing is downloaded. Idempotent: a practice whose organisation already has one with its title is
left alone.
"""

from __future__ import annotations

import io
import textwrap
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from app.events.models import Event
from app.learning.models import Module, Programme
from app.practices import services
from app.practices.demo_content import PRACTICES
from app.practices.models import Practice

REVIEWER = "organiser@demo.connective-cities.org"
ADMIN = "admin@demo.connective-cities.org"
# a colour per topic: (background, accent)
TOPIC_COLOURS = {
    "circular-economy": ((233, 245, 236), (34, 120, 70)),
    "sustainable-transport": ((232, 240, 250), (30, 90, 170)),
    "energy-efficiency": ((252, 246, 225), (190, 130, 10)),
    "climate-friendly-urban-development": ((230, 244, 241), (20, 120, 110)),
    "social-integration": ((246, 236, 246), (140, 60, 140)),
    "local-business-cooperation": ((250, 238, 230), (180, 80, 30)),
    "citizen-participation": ((236, 238, 250), (70, 70, 170)),
    "poverty-reduction": ((248, 236, 236), (170, 50, 50)),
}
IMAGE_SIZE = (1200, 675)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _english(spec: dict, field: str) -> str:
    """A field in English for the images and fact sheet (fonts for Latin script only): the English translation
    when there is one, else the original when it is written in Latin script."""
    english = (spec.get("translations") or {}).get("en") or {}
    if english.get(field):
        return english[field]
    return spec["data"].get(field) or "" if spec.get("language", "en") != "ar" else ""


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@lru_cache(maxsize=64)
def chart_image(city: str, title: str, topic: str, figures: tuple[tuple[str, str, float | None, float | None], ...]
                ) -> bytes:
    """A JPEG bar chart of the key figures (before and after), drawn by the app; the same input gives the same bytes."""
    background, accent = TOPIC_COLOURS.get(topic, ((240, 240, 240), (60, 60, 60)))
    image = Image.new("RGB", IMAGE_SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, IMAGE_SIZE[0], 110), fill=accent)
    draw.text((40, 22), city, font=_font(40), fill="white")
    draw.text((40, 70), textwrap.shorten(title, 90, placeholder="…"), font=_font(24), fill="white")
    top, row = 150, 165
    for n, (name, unit, baseline, value) in enumerate(figures[:3]):
        y = top + n * row
        biggest = max(abs(baseline or 0), abs(value or 0)) or 1
        draw.text((40, y), textwrap.shorten(f"{name} ({unit})", 80, placeholder="…"), font=_font(24),
                  fill=(30, 30, 30))
        for k, (label, amount, colour) in enumerate((("before", baseline, (160, 160, 160)),
                                                     ("after", value, accent))):
            bar_y = y + 40 + k * 48
            width = int(820 * abs(amount or 0) / biggest)
            draw.text((40, bar_y + 6), label, font=_font(22), fill=(60, 60, 60))
            draw.rectangle((150, bar_y, 150 + max(width, 2), bar_y + 36), fill=colour)
            draw.text((160 + max(width, 2), bar_y + 6), _number(amount), font=_font(22), fill=(30, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def poster_image(city: str, title: str, topic: str) -> bytes:
    """A patterned poster with the city's name, drawn by the app (for practices without key figures)."""
    background, accent = TOPIC_COLOURS.get(topic, ((240, 240, 240), (60, 60, 60)))
    image = Image.new("RGB", IMAGE_SIZE, background)
    draw = ImageDraw.Draw(image)
    seed = sum(map(ord, city + title))
    for i in range(14):
        for j in range(8):
            radius = 8 + (seed + i * 7 + j * 13) % 26
            x, y = 60 + i * 82, 60 + j * 82
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=accent, width=3)
    draw.rectangle((0, 430, IMAGE_SIZE[0], IMAGE_SIZE[1]), fill=accent)
    draw.text((50, 460), city, font=_font(64), fill="white")
    for n, line in enumerate(textwrap.wrap(title, 60)[:3]):
        draw.text((50, 550 + n * 36), line, font=_font(28), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def fact_sheet(*, title: str, city: str, country: str, organisation: str, summary: str,
               figures: list[tuple[str, str, float | None, float | None, int | None, str]],
               sections: list[tuple[str, str]]) -> bytes:
    """A one-page PDF fact sheet (reportlab, the standard Helvetica: Latin text only)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, author=organisation, invariant=1)
    story = [Paragraph(escape(title), styles["Title"]),
             Paragraph(escape(f"{organisation} · {city}, {country}"), styles["Normal"]), Spacer(1, 6 * mm),
             Paragraph(escape(summary), styles["BodyText"]), Spacer(1, 4 * mm)]
    if figures:
        rows = [["Key figure", "Unit", "Before", "After", "Year", "Source"]]
        rows += [[Paragraph(escape(name), styles["BodyText"]), unit, _number(baseline), _number(value),
                  str(year or ""), Paragraph(escape(source), styles["BodyText"])]
                 for name, unit, baseline, value, year, source in figures]
        table = Table(rows, colWidths=[55 * mm, 30 * mm, 18 * mm, 18 * mm, 12 * mm, 40 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.95, 0.9)),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), 8)]))
        story += [table, Spacer(1, 4 * mm)]
    for heading, text in sections:
        if text:
            story += [Paragraph(escape(heading), styles["Heading3"]), Paragraph(escape(text), styles["BodyText"])]
    story += [Spacer(1, 6 * mm), Paragraph("Demo fact sheet generated by the platform.", styles["Italic"])]
    doc.build(story)
    return buffer.getvalue()


FACT_SHEET_SECTIONS = (("Challenge", "challenge"), ("Solution", "solution"), ("Results and impact", "results"),
                       ("What another city needs", "transferability"))


def _figures(spec: dict) -> list[dict]:
    return spec["data"].get("indicators") or []


def _files(session: Session, practice: Practice, spec: dict, *, author_id: int, now: datetime,
           storage_dir: str) -> None:
    data = spec["data"]
    city, topic = data["city"], data["topics"][0]
    title = _english(spec, "title") or city
    figures = _figures(spec)
    if figures:
        picture = chart_image(city, title, topic, tuple((f["indicator"], f["unit"], f["baseline"], f["value"])
                                                        for f in figures))
        caption, credit = f"Key figures of the practice in {city}, before and after", "Chart drawn by the platform"
    else:
        picture = poster_image(city, title, topic)
        caption, credit = f"{city}: {title}", "Illustration generated by the platform"
    services.add_file(session, practice_id=practice.id, kind="image", filename=f"{practice.slug or 'practice'}.jpg",
                      data=picture, caption=caption[:300], credit=credit, actor_id=author_id, now=now,
                      storage_dir=storage_dir)
    if spec.get("status", "published") != "published":
        return
    pdf = fact_sheet(
        title=title, city=city, country=data["country"], organisation=spec["organisation"],
        summary=_english(spec, "summary"),
        figures=[(f["indicator"], f["unit"], f["baseline"], f["value"], f["year"], f["source"]) for f in figures],
        sections=[(heading, _english(spec, name)) for heading, name in FACT_SHEET_SECTIONS])
    services.add_file(session, practice_id=practice.id, kind="document", filename=f"fact-sheet-{city.lower()}.pdf",
                      data=pdf, caption="One-page fact sheet", credit=spec["organisation"], actor_id=author_id,
                      now=now, storage_dir=storage_dir)


def _member_of(ctx, organisation_name: str):
    """A member of the organisation to register its interest (participants first)."""
    members = [u for u in ctx.users.values() if u.organisation_id == ctx.organisations[organisation_name].id]
    members.sort(key=lambda u: (u.role != "participant", u.email))
    return members[0] if members else None


def seed(session: Session, *, ctx, now: datetime, storage_dir: str, base_url: str = "",
         network_name: str = "Connective Cities") -> None:
    """Add the demo practices; idempotent (found by organisation and title)."""
    events = dict(session.execute(sa.select(Event.slug, Event.id).where(Event.status == "published")).all())
    modules = dict(session.execute(
        sa.select(Module.title, Module.id).join(Programme, Programme.id == Module.programme_id)
        .where(Programme.status == "published")).all())
    reviewer = ctx.users.get(REVIEWER) or ctx.users.get(ADMIN)
    for n, spec in enumerate(PRACTICES):
        organisation = ctx.organisations[spec["organisation"]]
        exists = session.scalar(sa.select(Practice.id).where(Practice.organisation_id == organisation.id,
                                                            Practice.title == spec["data"]["title"]))
        if exists is not None:
            continue
        author, contact = ctx.users[spec["author"]], ctx.users[spec["contact"]]
        status = spec.get("status", "published")
        ago = timedelta(days=spec.get("published_days_ago", 3))
        created, submitted, published = now - ago - timedelta(days=21), now - ago - timedelta(days=4), now - ago
        data = dict(spec["data"])
        data.update(contact_id=contact.id, language=spec.get("language", "en"),
                    event_ids=[events[slug] for slug in spec.get("events", []) if slug in events],
                    module_ids=[modules[title] for title in spec.get("modules", []) if title in modules])
        if spec.get("translations"):
            data["translations"] = spec["translations"]
        practice = services.create_practice(session, data=data, actor_id=author.id, now=created)
        _files(session, practice, spec, author_id=author.id, now=created + timedelta(hours=2), storage_dir=storage_dir)
        if status == "draft":
            continue
        services.submit_practice(session, practice_id=practice.id, actor_id=author.id, now=submitted)
        if status == "returned":
            services.return_practice(session, practice_id=practice.id, actor_id=reviewer.id, now=published,
                                     comment=spec["return_comment"], base_url=base_url, network_name=network_name)
            continue
        if status != "published":
            continue
        # most are published by the network's organiser, every fourth by the admin
        publisher = ctx.users.get(ADMIN) if n % 4 == 3 and ctx.users.get(ADMIN) else reviewer
        services.publish_practice(session, practice_id=practice.id, actor_id=publisher.id, now=published)
        for k, (city, note) in enumerate(spec.get("interest", [])):
            member = _member_of(ctx, city)
            if member is None or member.organisation_id == organisation.id:
                continue
            # spread over the last two weeks (some within the digest's window), never before publication
            when = max(published + timedelta(hours=1 + k), now - timedelta(days=3 * (n % 5) + k, hours=n + 1))
            services.register_interest(session, practice_id=practice.id, user_id=member.id, note=note, now=when)
    session.flush()
