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
    monkeypatch.setenv("SECRET_KEY", "s")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig.validate()
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@localhost/db")
    ProductionConfig.validate()


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
