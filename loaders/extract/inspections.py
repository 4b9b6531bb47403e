"""inspections extraction (being written)."""
