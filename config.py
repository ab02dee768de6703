"""Configuration classes; every setting comes from an environment variable (see README)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class ConfigError(RuntimeError):
    """Raised when a configuration cannot run safely."""


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-change-me"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'connective.sqlite'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BASE_URL = (os.environ.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    NETWORK_NAME = os.environ.get("NETWORK_NAME") or "Connective Cities"

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or "Connective Cities <no-reply@connective-cities.test>"
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    # the network's figures (/network, its API) are kept this many seconds per worker once counted; 0: always count
    NETWORK_STATS_CACHE_SECONDS = _int("NETWORK_STATS_CACHE_SECONDS", 300)
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # a storage outage (Redis down) degrades to this process's own counters, never a 500
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # production runs several workers: counters kept in each process's memory let through N times the limit
    RATELIMIT_SHARED_STORAGE_REQUIRED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT") or "10 per minute"
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT") or "10 per hour"
    CERTIFICATE_VERIFY_RATE_LIMIT = os.environ.get("CERTIFICATE_VERIFY_RATE_LIMIT") or "30 per minute"

    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    REMEMBER_COOKIE_DURATION = _int("REMEMBER_COOKIE_DAYS", 30) * 86400
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    WTF_CSRF_TIME_LIMIT = None
    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # above the largest upload (a practice's document, 10 MB by default)

    # good practices' documents and images: outside the web root, served only through the app
    PRACTICE_STORAGE_DIR = os.environ.get("PRACTICE_STORAGE_DIR") or str(INSTANCE_DIR / "practice-files")
    PRACTICE_DOCUMENT_MAX_BYTES = _int("PRACTICE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
    PRACTICE_IMAGE_MAX_BYTES = _int("PRACTICE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
    # messages between members: per sender in any 24 hours; accounts younger than this many hours may not write
    PEOPLE_DAILY_MESSAGE_LIMIT = _int("PEOPLE_DAILY_MESSAGE_LIMIT", 10)
    PEOPLE_NEW_ACCOUNT_HOURS = _int("PEOPLE_NEW_ACCOUNT_HOURS", 24)

    CERTIFICATE_FONT_PATH = os.environ.get("CERTIFICATE_FONT_PATH") or None
    SCHEDULER_ENABLED = _bool("SCHEDULER_ENABLED", False)

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD") or "demo-password"

    # maps: with no tile server the app draws its own offline base map (Natural Earth country shapes)
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL") or None  # e.g. https://tile.example.org/{z}/{x}/{y}.png
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION") or None

    @classmethod
    def validate(cls) -> None:
        """Refuse settings that cannot run safely."""


class DevelopmentConfig(Config):
    DEBUG = True
    SCHEDULER_ENABLED = _bool("SCHEDULER_ENABLED", True)


class TestingConfig(Config):
    TESTING = True
    NETWORK_STATS_CACHE_SECONDS = 0  # tests count every time (tests/dashboards/test_network_cache.py keeps them)
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    BASE_URL = "http://cc.test"
    MAIL_SERVER = None
    RATELIMIT_STORAGE_URI = "memory://"
    SCHEDULER_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing keeps the suite quick
    # uploads of a test run go to a folder of their own, never into instance/
    PRACTICE_STORAGE_DIR = str(Path(tempfile.gettempdir()) / f"cc-test-practice-files-{os.getpid()}")


MIN_SECRET_KEY_LENGTH = 32
# fragments of keys copied from examples, defaults and CI files: never a production secret
WELL_KNOWN_SECRET_PARTS = (
    "insecure", "changeme", "change-me", "change_me", "ci-only", "example", "your-secret", "secret-key",
    "secretkey", "password", "testing-secret",
)


def secret_key_problem(key: str) -> str | None:
    """Why a SECRET_KEY cannot protect sessions and reset links in production (None when it can)."""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY is too short ({len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} are needed)"
    lowered = key.lower()
    if len(set(key)) < 10 or any(part in lowered for part in WELL_KNOWN_SECRET_PARTS):
        return "SECRET_KEY is a well-known or guessable value"
    return None


class ProductionConfig(Config):
    RATELIMIT_SHARED_STORAGE_REQUIRED = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def validate(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise ConfigError(
                f"Production needs {' and '.join(missing)} set in the environment; refusing to start."
            )
        problem = secret_key_problem(os.environ["SECRET_KEY"])
        if problem:
            raise ConfigError(
                f"{problem}; set it to a long random value, e.g. the output of "
                "python -c 'import secrets; print(secrets.token_hex(32))'; refusing to start."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration class named by APP_ENV (development by default)."""
    name = (os.environ.get("APP_ENV") or "development").lower()
    try:
        return CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.") from exc
