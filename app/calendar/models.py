"""Models of the calendar package."""

__all__: list[str] = []
