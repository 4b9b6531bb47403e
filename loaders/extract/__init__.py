"""Extractors: pure functions Document -> facts, run in a declared order.

Each extractor is registered with a versioned name (`name@version`), what it needs from earlier
steps and what it provides; the pipeline checks that when it is assembled, so a step that needs
the report's council never runs before the step that finds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from loaders.model import Document, Fact


@dataclass
class Context:
    """What extractors share while reading one document (earlier steps' results)."""

    doc: Document
    facts: list[Fact] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)
    # results of pure helpers over this document, so steps asking the same question share the work
    memo: dict[str, dict] = field(default_factory=dict)


ExtractFn = Callable[[Context], Iterable[Fact]]


@dataclass(frozen=True)
class Extractor:
    name: str
    version: str
    fn: ExtractFn
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"


_REGISTRY: list[Extractor] = []


def extractor(name: str, version: str, *, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()):
    """Register an extraction step. Order of registration is the order of execution."""

    def wrap(fn: ExtractFn) -> ExtractFn:
        _REGISTRY.append(Extractor(name, version, fn, requires, provides))
        return fn

    return wrap


class PipelineError(Exception):
    pass


def pipeline() -> list[Extractor]:
    """The registered steps in order, checked: every requirement provided by an earlier step."""
    from loaders.extract import steps  # noqa: F401 - importing registers the steps

    # the order is the one steps.py lists, whatever imported a step module first (a test may)
    modules = [m.__name__ for m in vars(steps).values() if isinstance(m, type(steps))]
    ordered = sorted(_REGISTRY, key=lambda ex: modules.index(ex.fn.__module__) if ex.fn.__module__ in modules else len(modules))
    seen: set[str] = set()
    for ex in ordered:
        missing = [r for r in ex.requires if r not in seen]
        if missing:
            raise PipelineError(f"extractor {ex.id} needs {missing} but no earlier step provides it")
        seen.update(ex.provides)
    return ordered


def pipeline_version() -> str:
    """One string naming every step's version: a report extracted by another version is reloaded."""
    ids = ",".join(ex.id for ex in pipeline())
    return hashlib.sha256(ids.encode()).hexdigest()[:12]


def extract(doc: Document) -> list[Fact]:
    """Run every step over the document; return the facts whose evidence checks out."""
    ctx = Context(doc)
    for ex in pipeline():
        for fact in ex.fn(ctx):
            if not fact.evidence.check(doc.text):
                raise PipelineError(
                    f"extractor {ex.id} produced evidence that does not match the text at {fact.evidence.start}-{fact.evidence.end}"
                )
            ctx.facts.append(fact)
    return ctx.facts
