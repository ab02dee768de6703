"""Views of the calendar package."""
