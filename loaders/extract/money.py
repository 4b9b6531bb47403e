"""money extraction (being written)."""
