"""The signed cookie session, with its serializer built once per set of keys instead of on every request."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; the itsdangerous serializer is rebuilt only when the keys change."""

    def __init__(self) -> None:
        self._serializer: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._serializer
        if cached is not None and cached[0] == keys:
            return cached[1]
        serializer = super().get_signing_serializer(app)
        self._serializer = (keys, serializer)
        return serializer
