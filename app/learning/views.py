"""Views of the learning package."""
