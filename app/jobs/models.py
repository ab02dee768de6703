"""Models of the jobs package."""

__all__: list[str] = []
