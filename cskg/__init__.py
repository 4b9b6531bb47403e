"""cskg: the knowledge graph of children's services improvement in England."""

__version__ = "0.1.0"
