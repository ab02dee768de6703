"""Configuration: production refuses to start without its secrets."""

from __future__ import annotations

import subprocess
import sys

import pytest

from config import ConfigError, ProductionConfig


def test_production_requires_secret_key_and_database_url(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY and DATABASE_URL"):
        ProductionConfig.validate()
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig.validate()
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@localhost/db")
    ProductionConfig.validate()


GOOD_KEY = "3f1c9a7e5b2d48c0a6e4f2b9d7c5a3e1f0b8d6c4a2e09f7d"


@pytest.mark.parametrize("key", [
    "x", "secret", "changeme", "dev", "ci-only-secret", "dev-only-insecure-key-change-me",
    "a" * 31, "x" * 64, "changeme" * 5, "dev-only-insecure-key-change-me" * 2,
])
def test_production_refuses_short_or_well_known_secret_keys(monkeypatch, key):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@localhost/db")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY") as excinfo:
        ProductionConfig.validate()
    assert "\n" not in str(excinfo.value)


def test_production_start_refuses_a_short_secret_key_in_one_line():
    env = {"APP_ENV": "production", "PATH": "/usr/bin:/bin", "SECRET_KEY": "x",
           "DATABASE_URL": "postgresql+psycopg://x@localhost/db"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Configuration error: SECRET_KEY ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_start_fails_with_one_line_explanation():
    env = {"APP_ENV": "production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: Production needs SECRET_KEY and DATABASE_URL set in the environment; refusing to start."
    )


def test_unknown_app_env_is_refused(monkeypatch):
    from config import config_from_env

    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError, match="APP_ENV must be one of"):
        config_from_env()
