"""recommendations extraction (being written)."""
