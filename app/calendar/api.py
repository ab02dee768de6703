"""JSON API routes of the calendar package (registered on app.api.bp)."""
