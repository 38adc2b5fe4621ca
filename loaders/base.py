"""The loader contract.

A loader receives :class:`~graphkit.rows.GraphBatch` rows with
:meth:`Loader.write` (any number of times), then :meth:`Loader.finalize`
once; :meth:`Loader.close` always runs last (the CLI calls it in a
``finally``). A :class:`GraphStore` is a loader that can also be read:
saved queries run on it read-only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Any

from graphkit.rows import GraphBatch

__all__ = ["Loader", "GraphStore", "LoadStats"]


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

    @abstractmethod
    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a query read-only and return its rows as dicts (column -> value)."""

    def counts(self) -> dict[str, int]:
        """Numbers of nodes by kind and of relationships, for checks and summaries."""
        out = {"articles": 0, "entities": 0, "claims": 0, "relationships": 0}
        kinds = {"Article": "articles", "Entity": "entities", "Claim": "claims"}
        for row in self.read("MATCH (n) RETURN labels(n) AS labels, count(*) AS n"):
            for label in row["labels"]:
                if label in kinds:
                    out[kinds[label]] += row["n"]
        rel = self.read("MATCH ()-[r]->() RETURN count(r) AS n")
        out["relationships"] = rel[0]["n"] if rel else 0
        return out
