"""people extraction (being written)."""
