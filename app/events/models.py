"""Models of the events package."""

__all__: list[str] = []
