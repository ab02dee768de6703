"""Models of the certificates package."""

__all__: list[str] = []
