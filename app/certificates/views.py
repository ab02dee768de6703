"""Views of the certificates package."""
