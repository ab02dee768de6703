"""Models of the learning package."""

__all__: list[str] = []
