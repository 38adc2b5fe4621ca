"""The loader contract.

A loader receives :class:`~graphkit.rows.GraphBatch` rows with
:meth:`Loader.write` (any number of times), then :meth:`Loader.finalize`
once; :meth:`Loader.close` always runs last (the CLI calls it in a
``finally``). A :class:`GraphStore` is a loader that can also be read:
saved queries run on it read-only.
"""

from __future__ import annotations

import gc
from abc import ABC, abstractmethod
from contextlib import contextmanager
from types import TracebackType
from collections.abc import Iterator
from typing import Any

from graphkit.rows import GraphBatch
from loaders import cypher

__all__ = ["Loader", "GraphStore", "LoadStats", "gc_paused", "gc_resumed"]


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Cyclic garbage collection off while a load builds many small rows and aggregates.

    Those are not cyclic, but each collection rescans the objects it finds alive,
    so a load slowed as it grew (five times slower at 100,000 claims). With
    ``freeze`` the objects alive at the end are left out of later collections
    too, until :func:`gc_resumed` (a store calls it when it has written them).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def gc_resumed() -> None:
    """What :func:`gc_paused` froze is collected as usual again."""
    gc.unfreeze()


class LoadStats(dict):
    """Counts of what a load wrote: articles, entities, claims, edges."""


class Loader(ABC):
    """Writes graph rows to one target."""

    @abstractmethod
    def write(self, batch: GraphBatch) -> None:
        """Write one batch of rows (idempotent: the same rows twice change nothing)."""

    def finalize(self) -> LoadStats:
        """Finish the load (flush, build what depends on everything) and report counts."""
        return LoadStats()

    def close(self) -> None:
        """Release connections and servers; safe to call more than once."""

    def __enter__(self) -> Loader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class GraphStore(Loader):
    """A loader that can be queried."""

    def begin_load(self) -> None:
        """Take this store's turn to write before reading what a load depends on (the stored
        entities that resolution keeps ids for); ``finalize`` ends it. A no-op where the
        server itself orders concurrent writes."""

    @abstractmethod
    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a query read-only and return its rows as dicts (column -> value)."""

    def counts(self) -> dict[str, int]:
        """Numbers of nodes by kind and of relationships, for checks and summaries."""
        out = {"articles": 0, "entities": 0, "claims": 0, "relationships": 0}
        kinds = {"Article": "articles", "Entity": "entities", "Claim": "claims"}
        for row in self.read(cypher.COUNT_NODES):
            for label in row["labels"]:
                if label in kinds:
                    out[kinds[label]] += row["n"]
        rel = self.read(cypher.COUNT_RELATIONSHIPS)
        out["relationships"] = rel[0]["n"] if rel else 0
        return out

    def entity_rows(self, page: int = 5000) -> Iterator[dict[str, Any]]:
        """Every entity as a row (id, name, type, aliases; external_id where it has one), in id
        order, page by page."""
        for row in self._pages(cypher.ENTITY_PAGE, page):
            if row.get("external_id") is None:
                row.pop("external_id", None)
            yield row

    def article_rows(self, page: int = 5000) -> Iterator[dict[str, Any]]:
        yield from self._pages(cypher.ARTICLE_PAGE, page)

    def claim_rows(self, page: int = 5000) -> Iterator[dict[str, Any]]:
        """Every claim with all its stored properties, in id order."""
        for row in self._pages(cypher.CLAIM_PAGE, page):
            yield row["p"]

    def mention_rows(self, page: int = 5000) -> Iterator[dict[str, Any]]:
        for article in self.article_rows(page):
            for row in self.read(cypher.ARTICLE_MENTIONS, {"id": article["id"]}):
                yield {"article": article["id"], "entity": row["entity"]}

    def mentions_of(self, articles: list[str], page: int = 1000) -> dict[str, list[str]]:
        """The entities that those of these articles the store holds mention: article id -> entity ids."""
        out: dict[str, list[str]] = {}
        for start in range(0, len(articles), page):
            for row in self.read(cypher.MENTIONS_OF, {"ids": articles[start:start + page]}):
                out.setdefault(row["article"], []).append(row["entity"])
        return out

    def _pages(self, query: str, page: int) -> Iterator[dict[str, Any]]:
        after = ""
        while True:
            rows = self.read(query, {"after": after, "page": page})
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1]["id"]

    def batches(self, page: int = 5000) -> Iterator[GraphBatch]:
        """The whole stored graph as rows: entities and articles first, then claims by pages."""
        yield GraphBatch(entities=list(self.entity_rows(page)), articles=list(self.article_rows(page)),
                         mentions=list(self.mention_rows(page)))
        claims: list[dict[str, Any]] = []
        for row in self.claim_rows(page):
            claims.append(row)
            if len(claims) >= page:
                yield GraphBatch(claims=claims)
                claims = []
        if claims:
            yield GraphBatch(claims=claims)
