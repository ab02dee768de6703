"""Certificates: the settings they need, their public codes, reading them, and who may manage them."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.auth import rules
from app.auth.models import User
from app.certificates import messages  # (fills the catalogue whenever the services are used)
from app.certificates.models import Certificate
from app.certificates.pdf import render_certificate_pdf
from app.errors import Forbidden, NotFound, render_message
from app.events.models import Event

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols, no 0/O/1/I: 5 bits each
CODE_PREFIX = "CC"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4  # 12 symbols = 60 random bits


# Settings --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CertificateSettings:
    """What a certificate needs from the configuration; frozen into the snapshot at issue."""

    base_url: str = "http://127.0.0.1:5000"
    network_name: str = "Connective Cities"
    font_path: str | None = None

    @classmethod
    def from_config(cls, config) -> CertificateSettings:
        return cls(
            base_url=(config.get("BASE_URL") or cls.base_url).rstrip("/"),
            network_name=config.get("NETWORK_NAME") or cls.network_name,
            font_path=config.get("CERTIFICATE_FONT_PATH") or None,
        )


_configured = CertificateSettings()


def configure_settings(settings: CertificateSettings) -> None:
    """The settings used when a caller passes none (set at start-up by app.receivers.connect_receivers)."""
    global _configured
    _configured = settings


def current_settings(settings: CertificateSettings | None = None) -> CertificateSettings:
    """The given settings, else the ones configured at start-up (never read from a Flask app)."""
    return settings if settings is not None else _configured


def verify_url(settings: CertificateSettings, code: str) -> str:
    return f"{settings.base_url}/verify/{code}"


def pdf_url(settings: CertificateSettings, code: str) -> str:
    return f"{settings.base_url}/certificates/{code}.pdf"


# Codes -----------------------------------------------------------------------------------------------

def new_code() -> str:
    """A random public code like CC-7KQ2-M9XD-4HTP (60 bits from the OS's CSPRNG)."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    groups = [symbols[i:i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


def normalise_code(raw: str | None) -> str | None:
    """The canonical code for what someone typed (any case, with or without hyphens/spaces), else None."""
    if not raw:
        return None
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    body_length = CODE_GROUPS * CODE_GROUP_LENGTH
    if len(cleaned) == body_length + len(CODE_PREFIX) and cleaned.startswith(CODE_PREFIX):
        cleaned = cleaned[len(CODE_PREFIX):]
    if len(cleaned) != body_length or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    groups = [cleaned[i:i + CODE_GROUP_LENGTH] for i in range(0, body_length, CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


# Reading ---------------------------------------------------------------------------------------------

def find_certificate(session: Session, code: str | None) -> Certificate | None:
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return session.scalar(
        sa.select(Certificate).where(Certificate.code == canonical)
        .options(selectinload(Certificate.replaced_by), selectinload(Certificate.replaces))
    )


def get_certificate(session: Session, code: str | None) -> Certificate:
    """The certificate with this code (NotFound otherwise)."""
    certificate = find_certificate(session, code)
    if certificate is None:
        raise NotFound("certificate.not_found", field="code")
    return certificate


def find_by_pdf(session: Session, data: bytes) -> Certificate | None:
    """The certificate whose original PDF has exactly these bytes, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return session.scalar(
        sa.select(Certificate).where(Certificate.pdf_sha256 == digest).order_by(Certificate.id.desc()).limit(1)
    )


def list_holder_certificates(session: Session, user_id: int) -> list[Certificate]:
    """A person's certificates, newest first (valid and revoked)."""
    return list(session.scalars(
        sa.select(Certificate).where(Certificate.holder_id == user_id)
        .options(selectinload(Certificate.replaced_by))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ))


def list_target_certificates(session: Session, *, event_id: int | None = None,
                             programme_id: int | None = None) -> list[Certificate]:
    """Every certificate of an event or programme, holders loaded, by holder name then newest first."""
    query = sa.select(Certificate).join(User, User.id == Certificate.holder_id).options(
        selectinload(Certificate.holder), selectinload(Certificate.replaced_by)
    )
    if event_id is not None:
        query = query.where(Certificate.event_id == event_id)
    else:
        query = query.where(Certificate.programme_id == programme_id)
    return list(session.scalars(query.order_by(User.name, Certificate.issued_at.desc(), Certificate.id.desc())))


def render_pdf(certificate: Certificate, settings: CertificateSettings | None = None) -> bytes:
    """The certificate's PDF, rendered from its snapshot (the same bytes as at issue)."""
    return render_certificate_pdf(certificate.snapshot, font_path=current_settings(settings).font_path)


def active_certificate_reason(session: Session, *, user_id: int, event_id: int | None = None,
                              programme_id: int | None = None) -> str | None:
    """Why a change would contradict a valid certificate of this person on the event/programme, else None."""
    if event_id is None and programme_id is None:
        return None
    conditions = []
    if event_id is not None:
        conditions.append(Certificate.event_id == event_id)
    if programme_id is not None:
        conditions.append(Certificate.programme_id == programme_id)
    certificate = session.scalar(
        sa.select(Certificate).where(
            Certificate.holder_id == user_id, Certificate.revoked_at.is_(None), sa.or_(*conditions)
        ).limit(1)
    )
    if certificate is None:
        return None
    reason = "certificate.stands_on_event" if certificate.kind == "event" else "certificate.stands_on_programme"
    return render_message(reason, {"code": certificate.code, "issued_on": messages.Day(certificate.issued_at.date())})


# Authorisation ---------------------------------------------------------------------------------------

def _load_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id, options=[selectinload(Event.organisers)])
    if event is None:
        raise NotFound("certificate.event_not_found")
    return event


def get_programme(session: Session, programme_id: int):
    """The programme a certificate is (or would be) for (NotFound otherwise)."""
    from app.learning.models import Programme

    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("certificate.programme_not_found")
    return programme


def _programme_organisers(programme) -> list[User]:
    organisers = getattr(programme, "organisers", None)
    if organisers:
        return list(organisers)
    creator = getattr(programme, "created_by", None)
    return [creator] if creator is not None else []


def can_manage_programme(programme, user: User | None) -> bool:
    """Admins, and the programme's organisers while they hold the organiser role (app.auth.rules)."""
    return rules.can_manage_programme(user, programme)


def can_manage_certificate(session: Session, certificate: Certificate, user: User | None) -> bool:
    """Admins and the organisers of the certificate's event or programme."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if certificate.kind == "event":
        return rules.can_manage_event(user, _load_event(session, certificate.event_id))
    return can_manage_programme(get_programme(session, certificate.programme_id), user)


def can_download(session: Session, certificate: Certificate, user: User | None) -> bool:
    """The holder, the event's or programme's organisers and admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return certificate.holder_id == user.id or can_manage_certificate(session, certificate, user)


def _require_actor(session: Session, actor_id: int | None, allowed: Callable[[User], bool]) -> User | None:
    if actor_id is None:  # the scheduler or the CLI
        return None
    actor = session.get(User, actor_id)
    if actor is None or not allowed(actor):
        raise Forbidden("certificate.managers_only")
    return actor
