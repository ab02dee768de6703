"""JSON API routes of the learning package (registered on app.api.bp)."""
