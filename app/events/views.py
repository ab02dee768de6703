"""Views of the events package."""
