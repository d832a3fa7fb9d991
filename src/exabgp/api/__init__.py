"""The API: text commands parsed into command values, and the JSON and text encoders (pure functions)."""
