"""Files -> text with offsets -> facts with evidence. Pure Python: no store, no Flask."""
