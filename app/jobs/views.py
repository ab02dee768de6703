"""Views of the jobs package."""
