"""legislation extraction (being written)."""
