"""cskg: the knowledge graph of children's services improvement in England."""

__version__ = "0.1.0"

_API = ("open", "load", "query", "export", "library", "Rows")


def __getattr__(name: str):
    """`cskg.open`, `cskg.query`, `cskg.export`: the Python API (graph.api), imported on first use
    so `import cskg` stays light for the command line."""
    if name in _API:
        from graph import api

        return getattr(api, name)
    raise AttributeError(f"module 'cskg' has no attribute {name!r}")
