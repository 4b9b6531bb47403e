"""A remote SPARQL 1.1 server as the store: Oxigraph server, Fuseki, GraphDB, Virtuoso.

`sparql+http://[user:pass@]host:port[/path][?query=..&update=..&union=..]` names it. Without
overrides the endpoints are `{path}/query` and `{path}/update` (Oxigraph server's layout; for
Fuseki name the dataset: `sparql+http://host:3030/ds` gives /ds/query and /ds/update). Credentials
come from the URL or $CSKG_STORE_USER / $CSKG_STORE_PASSWORD.

The union default graph: Oxigraph server takes the `union-default-graph` URL parameter, which is
the default here (`union=union-default-graph`); for a server whose default graph already is the
union (Fuseki with tdb:unionDefaultGraph, GraphDB) pass `union=` (empty) to send nothing.

Plain HTTP (urllib), no client library: rdflib's SPARQLStore sends `default-graph-uri` by
default and an Oxigraph server then answers from an empty graph.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.query import Result

from graph.iri import IriMinter
from graph.sparql import bind_values
from graph.store import FORMATS, SourceBatchItem, Store, StoreError, _drop_text, _update_text
from ontology.namespace import sparql_prefixes

DEFAULT_TIMEOUT = 60.0


class RemoteStore(Store):
    """The Store interface over the SPARQL 1.1 Protocol."""

    supports_timeout = True

    def __init__(self, query_url: str, update_url: str | None = None, *, user: str | None = None,
                 password: str | None = None, union_param: str | None = "union-default-graph",
                 base: str | None = None, timeout: float = DEFAULT_TIMEOUT, location: str | None = None) -> None:
        self.minter = IriMinter(base)
        self.query_url = query_url
        self.update_url = update_url
        self.union_param = union_param or None
        self.timeout = timeout
        self.location = location or query_url
        self._auth = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._auth = f"Basic {token}"

    @classmethod
    def from_url(cls, url: str, *, base: str | None = None) -> RemoteStore:
        """`sparql+http://[user:pass@]host:port[/path][?query=/q&update=/u&union=name]`."""
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.removeprefix("sparql+")
        if scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not a SPARQL server address: {url} (expected sparql+http://host:port/...)")
        netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        if ":" in parts.hostname:
            netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
        root = f"{scheme}://{netloc}{parts.path.rstrip('/')}"
        options = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))

        def endpoint(name: str) -> str:
            given = options.get(name)
            if given is None:
                return f"{root}/{name}"
            return given if "://" in given else f"{scheme}://{netloc}{given}"

        user = urllib.parse.unquote(parts.username) if parts.username else os.environ.get("CSKG_STORE_USER")
        password = urllib.parse.unquote(parts.password) if parts.password else os.environ.get("CSKG_STORE_PASSWORD")
        safe_location = f"{parts.scheme}://{netloc}{parts.path}"  # never echo a password
        return cls(endpoint("query"), endpoint("update"), user=user, password=password,
                   union_param=options.get("union", "union-default-graph"), base=base, location=safe_location)

    # ------------------------------------------------------------------ HTTP
    def _post(self, url: str, data: bytes, content_type: str, accept: str, timeout: float | None) -> tuple[str, bytes]:
        req = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
        if self._auth:
            req.add_header("Authorization", self._auth)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:  # noqa: S310 - configured URL
                return resp.headers.get_content_type(), resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            if exc.code == 400:
                raise SyntaxError(detail or "the server refused the query") from None
            if exc.code in (401, 403):
                raise StoreError(f"the SPARQL server at {self.location} refused our credentials ({exc.code})") from None
            raise StoreError(f"the SPARQL server at {self.location} answered {exc.code}: {detail}") from None
        except (socket.timeout, TimeoutError):
            raise TimeoutError(f"the SPARQL server at {self.location} did not answer within {timeout or self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {self.location}: {exc.reason}") from None

    def update(self, sparql: str) -> None:
        if not self.update_url:
            raise StoreError(f"no update endpoint configured for {self.location}")
        self._post(self.update_url, sparql.encode("utf-8"), "application/sparql-update", "*/*", None)

    # ------------------------------------------------------------------ reading
    def query(self, sparql, *, bindings=None, default_graphs=None, named_graphs=None, timeout=None) -> Result:
        text = sparql_prefixes() + bind_values(sparql, bindings or {})
        params: list[tuple[str, str]] = [("query", text)]
        url = self.query_url
        if default_graphs:
            params += [("default-graph-uri", g) for g in default_graphs]
        elif self.union_param:
            url += ("&" if "?" in url else "?") + urllib.parse.quote(self.union_param)
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        ctype, body = self._post(url, urllib.parse.urlencode(params).encode(), "application/x-www-form-urlencoded",
                                 "application/sparql-results+json, application/n-triples;q=0.9", timeout)
        if ctype in ("application/n-triples", "text/plain", "text/turtle"):
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body.decode("utf-8"), format="nt" if ctype != "text/turtle" else "turtle")
            return result
        return Result.parse(io.BytesIO(body), format="json")

    def dump(self, out: IO[bytes], fmt: str, graph: str | None = None) -> None:
        _mime, ox_format, keeps_graphs = FORMATS[fmt]
        if graph is not None:
            rows = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(graph)})
            items = [_quad(r[0], r[1], r[2], None if not keeps_graphs else graph) for r in rows]
        elif keeps_graphs:
            rows = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
            items = [_quad(r[1], r[2], r[3], str(r[0])) for r in rows]
        else:
            rows = self.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
            items = [_quad(r[0], r[1], r[2], None) for r in rows]
        ox.serialize(items, out, format=ox_format)

    # ------------------------------------------------------------------ writing
    def replace_sources(self, items: Sequence[SourceBatchItem]) -> None:
        # one request, so the server applies the DROP and the INSERT as one transaction
        if items:
            graphs = [item.record.graph for item in items]
            self._summarised_write(graphs, graphs, lambda: self.update(_update_text(self.minter.meta_graph, items, union=False)),
                                   items)

    def remove_source(self, graph) -> None:
        self._summarised_write([graph], [graph], lambda: self.update(_drop_text(self.minter.meta_graph, graph, union=False)))


def _quad(s, p, o, g: str | None):
    from graph.export import to_ox

    if g is None:
        return ox.Triple(to_ox(s), to_ox(p), to_ox(o))
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g))
