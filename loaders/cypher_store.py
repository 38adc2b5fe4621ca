"""What every Cypher store does to load rows, on top of how it runs a statement.

New claims are created, claims already stored are updated; the direct
relationships of the (subject, relation, object) triples a load touches are
aggregated in Python from the load's claims, unless the store held claims of
that triple before, in which case they are recomputed in Cypher from every
stored claim. Either way a rebuild leaves the same graph.
"""

from __future__ import annotations

from abc import abstractmethod
from collections import defaultdict
from typing import Any

from graphkit.rows import EdgeAggregator, GraphBatch
from loaders import cypher
from loaders.base import GraphStore, LoadStats, gc_paused

__all__ = ["CypherStore"]


class CypherStore(GraphStore):
    """A graph store written with the shared Cypher of :mod:`loaders.cypher`."""

    batch_size = 5000

    def __init__(self) -> None:
        self._aggregator = EdgeAggregator()
        self._dates: dict[str, str | None] = {}
        self._started_empty: bool | None = None  # no claims stored before this load
        self._seen: set[str] = set()  # claim ids aggregated in this load (across write calls)

    @abstractmethod
    def _execute(self, query: str, params: dict[str, Any]) -> None:
        """Run one write statement."""

    def _prepare(self) -> None:
        """Create constraints or indexes before the first write."""

    def _unwind(self, query: str, rows: list[dict[str, Any]], key: str = "rows", **params: Any) -> None:
        for i in range(0, len(rows), self.batch_size):
            self._execute(query, {key: rows[i:i + self.batch_size], **params})

    @gc_paused()
    def write(self, batch: GraphBatch) -> None:
        self._prepare()
        self._start_load()
        new = self._aggregate(batch)  # a claim given twice in one load is written once
        self._write_rows(GraphBatch(articles=batch.articles, entities=batch.entities,
                                    mentions=batch.mentions, claims=new))

    def _start_load(self) -> None:
        if self._started_empty is None:
            self._started_empty = not self.read("MATCH (c:Claim) RETURN c.id AS id LIMIT 1")

    def _aggregate(self, batch: GraphBatch) -> list[dict[str, Any]]:
        """Add the batch's claims to the load's direct edges; return those new to this load."""
        for a in batch.articles:
            self._dates[a["id"]] = a.get("date")
        new = []
        for c in batch.claims:
            if c["id"] not in self._seen:
                self._seen.add(c["id"])
                self._aggregator.add(c, self._dates.get(c["article_id"]))
                new.append(c)
        return new

    def _write_rows(self, batch: GraphBatch) -> None:
        """Articles, entities, mentions and claims, in Cypher."""
        self._unwind(cypher.ARTICLES, batch.articles)
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in batch.entities:
            by_type[row["type"]].append(row)
        for label, rows in sorted(by_type.items()):
            self._unwind(cypher.entities(label), rows)
        self._unwind(cypher.MENTIONS, batch.mentions)
        existing = self._stored_claims([c["id"] for c in batch.claims])
        self._unwind(cypher.NEW_CLAIMS, [{k: v for k, v in c.items() if v is not None}
                                         for c in batch.claims if c["id"] not in existing])
        self._unwind(cypher.CLAIMS, [c for c in batch.claims if c["id"] in existing])

    def _stored_claims(self, ids: list[str]) -> set[str]:
        """Which of these claim ids the store holds already."""
        existing: set[str] = set()
        for i in range(0, 0 if self._started_empty else len(ids), self.batch_size):
            existing.update(r["id"] for r in self.read(cypher.EXISTING_CLAIMS,
                                                       {"ids": ids[i:i + self.batch_size]}))
        return existing

    @gc_paused()
    def finalize(self) -> LoadStats:
        edges = self._write_edges(self._aggregator.edges)
        self._unwind(cypher.degrees(), sorted({e for s, _, o in self._aggregator.edges for e in (s, o)}),
                     key="ids")
        self._end_load()
        return LoadStats(edges=edges)

    def _end_load(self) -> None:
        self._aggregator = EdgeAggregator()
        self._started_empty = None
        self._seen = set()

    def _write_edges(self, aggregated: dict[tuple[str, str, str], dict[str, Any]]) -> int:
        """Write the direct edges of these triples in Cypher: from the load's aggregates, or
        recomputed from every stored claim where the store held older claims of the triple."""
        by_relation: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        for (s, rel, o), props in aggregated.items():
            by_relation[rel].append((s, o, props))
        for rel, items in sorted(by_relation.items()):
            pairs = [{"s": s, "o": o} for s, o, _ in items]
            stored: dict[tuple[str, str], int] = {}
            for i in range(0, 0 if self._started_empty else len(pairs), self.batch_size):
                for r in self.read(cypher.STORED_CLAIM_COUNTS,
                                   {"pairs": pairs[i:i + self.batch_size], "relation": rel}):
                    stored[(r["s"], r["o"])] = r["n"]
            simple = [{"s": s, "o": o, "props": {k: v for k, v in props.items() if v is not None}}
                      for s, o, props in items if stored.get((s, o), 0) <= props["claim_count"]]
            older = [{"s": s, "o": o} for s, o, props in items
                     if stored.get((s, o), 0) > props["claim_count"]]
            self._unwind(cypher.set_edges(rel), simple)
            self._unwind(cypher.edges(rel), older, key="pairs", relation=rel, **cypher.ENUMS)
        return len(aggregated)
