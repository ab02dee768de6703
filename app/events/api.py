"""JSON API routes of the events package (registered on app.api.bp)."""
