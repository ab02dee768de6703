"""What the search index is made of: the domains register, for each kind of thing, how to load objects by id
and how to turn one into a SearchDoc; for child rows (translations, links), which parent they change; for
facets, how to name their values. app/receivers.py fills the registry (this package imports no domain)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


@dataclass
class SearchDoc:
    """A thing as the index holds it; texts as written (they are folded when stored)."""

    kind: str
    object_id: int
    title: str
    url: str  # path under the site's root
    sort_date: datetime
    language: str = ""
    summary: str = ""
    texts: tuple[str, ...] = ()  # everything else searched (description, sections, hosts, topics ...)
    titles: dict[str, str] = field(default_factory=dict)  # translated titles by language
    places: tuple[str, ...] = ()  # place names: their adjacent words are also indexed joined ("danang")
    facets: dict[str, Iterable[str]] = field(default_factory=dict)  # facet -> values (type is added)
    # who may find it: "public" (everyone) or "members" (signed-in members only; a visitor's search skips it)
    audience: str = "public"


@dataclass(frozen=True)
class Source:
    """A kind of thing: `load(session, ids)` returns the objects that exist (with what `build` reads loaded);
    `build(obj)` a SearchDoc, or None when it is not public (it leaves the index); `all_ids(session)` a select
    of every id, for reindexing; `label` the kind's name (a catalogue message)."""

    kind: str
    model: type
    load: Callable[[Session, list[int]], Iterable[Any]]
    build: Callable[[Any], SearchDoc | None]
    all_ids: Callable[[], sa.Select]
    label: str


@dataclass(frozen=True)
class Parent:
    """Changes to a `model` row change the documents `affects(obj)` names: (kind, id) pairs, or (kind, select of
    ids) for changes that reach many (a renamed topic)."""

    model: type
    affects: Callable[[Any], Iterable[tuple[str, int | sa.Select]]]


@dataclass
class FacetSpec:
    """How a facet's values are checked (`valid(value)` -> normalised value or None) and named for people
    (`labels(session, values, translate, language)` -> {value: label}; translate is gettext in `language`)."""

    valid: Callable[[str], str | None] | None = None
    labels: Callable[[Session, list[str], Callable[[str], str], str], dict[str, str]] | None = None


@dataclass
class Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    by_model: dict[type, list[Callable[[Any], Iterable[tuple[str, Any]]]]] = field(default_factory=dict)
    facets: dict[str, FacetSpec] = field(default_factory=dict)

    def clear(self) -> None:
        self.sources.clear()
        self.by_model.clear()
        self.facets.clear()

    def add_source(self, source: Source) -> None:
        self.sources[source.kind] = source
        self.by_model.setdefault(source.model, []).append(_self_of(source.kind))

    def add_parent(self, parent: Parent) -> None:
        self.by_model.setdefault(parent.model, []).append(parent.affects)

    def add_facet(self, name: str, spec: FacetSpec) -> None:
        self.facets[name] = spec

    def affected(self, obj) -> Iterable[tuple[str, Any]]:
        for resolver in self.by_model.get(type(obj), ()):
            yield from resolver(obj)


def _self_of(kind: str):
    def affects(obj):
        # in after_flush a new object has its id but not yet its identity key
        state = sa.inspect(obj)
        object_id = state.key[1][0] if state.key is not None else state.dict.get("id")
        if object_id is not None:
            yield kind, object_id

    return affects


def loaded(obj, name: str):
    """An attribute's value without loading it (None when not loaded): safe on deleted objects in a flush."""
    return sa.inspect(obj).dict.get(name)


REGISTRY = Registry()


def configure(sources: Iterable[Source] = (), parents: Iterable[Parent] = (),
              facets: dict[str, FacetSpec] | None = None) -> None:
    """Replace what the registry holds (idempotent: create_app may run more than once)."""
    REGISTRY.clear()
    for source in sources:
        REGISTRY.add_source(source)
    for parent in parents:
        REGISTRY.add_parent(parent)
    for name, spec in (facets or {}).items():
        REGISTRY.add_facet(name, spec)
