"""interventions extraction (being written)."""
