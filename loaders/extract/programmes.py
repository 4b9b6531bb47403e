"""programmes extraction (being written)."""
