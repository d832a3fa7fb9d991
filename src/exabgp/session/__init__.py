"""The sans-IO peer session: bytes and time in; bytes, deadlines and events out."""
