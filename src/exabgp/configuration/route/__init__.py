"""Routes: one grammar for the configuration and the API (`announce route ...`), producing `Route` values."""
