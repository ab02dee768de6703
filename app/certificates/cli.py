"""CLI commands of this package."""

from flask import Flask


def register(app: Flask) -> None:
    """Add this package's commands to the app's CLI."""
