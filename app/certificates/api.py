"""JSON API routes of the certificates package (registered on app.api.bp)."""
