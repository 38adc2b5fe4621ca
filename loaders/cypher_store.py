"""What every Cypher store does to load rows, on top of how it runs a statement.

New claims are created, claims already stored are updated; the direct
relationships of the (subject, relation, object) triples a load touches are
aggregated in Python from the load's claims (and merged with the stored edge),
unless the load restates claims the store held, in which case they are
recomputed in Cypher from every stored claim. Either way a rebuild leaves the
same graph. An entity's ``degree`` is raised by its new edges, and counted
afresh where edges were recomputed.
"""

from __future__ import annotations

from abc import abstractmethod
from collections import Counter, defaultdict
from typing import Any

from graphkit.rows import EdgeAggregator, GraphBatch, merge_edges
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
        self._restated: set[tuple[str, str, str]] = set()  # triples with claims stored before

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
            self._started_empty = not self.read(cypher.ANY_CLAIM)

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
        self._restated.update((c["subject"], c["relation"], c["object"]) for c in batch.claims
                              if c["id"] in existing)
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
        added: Counter[str] = Counter()
        recount = self._write_edges(self._aggregator.edges, added)
        self._write_degrees(added, recount)
        edges = len(self._aggregator.edges)
        self._end_load()
        return LoadStats(edges=edges)

    def _end_load(self) -> None:
        self._aggregator = EdgeAggregator()
        self._started_empty = None
        self._seen = set()
        self._restated = set()

    def _write_edges(self, aggregated: dict[tuple[str, str, str], dict[str, Any]],
                     added: Counter[str]) -> set[str]:
        """Write the direct edges of these triples in Cypher and count, in ``added``, the new
        ones of each entity; return the entities whose degree must be counted afresh.

        A triple none of whose claims was stored before gets the load's aggregates,
        merged with its stored edge if there is one; a triple with claims stored
        before (a rebuild) is recomputed from every stored claim.
        """
        by_relation: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        for (s, rel, o), props in aggregated.items():
            by_relation[rel].append((s, o, props))
        recount: set[str] = set()
        for rel, items in sorted(by_relation.items()):
            restated = [{"s": s, "o": o} for s, o, _ in items if (s, rel, o) in self._restated]
            fresh = [(s, o, props) for s, o, props in items if (s, rel, o) not in self._restated]
            stored: dict[tuple[str, str], dict[str, Any]] = {}
            pairs = [{"s": s, "o": o} for s, o, _ in fresh]
            for i in range(0, 0 if self._started_empty else len(pairs), self.batch_size):
                for r in self.read(cypher.stored_edges(rel), {"pairs": pairs[i:i + self.batch_size]}):
                    stored[(r["s"], r["o"])] = r["props"]
            rows = []
            for s, o, props in fresh:
                old = stored.get((s, o))
                if old is not None:
                    props = merge_edges(old, props)
                elif rel != "RELATED_TO":
                    added.update({s, o})
                rows.append({"s": s, "o": o, "props": {k: v for k, v in props.items() if v is not None}})
            self._unwind(cypher.set_edges(rel), rows)
            self._unwind(cypher.edges(rel), restated, key="pairs", relation=rel, **cypher.ENUMS)
            recount.update(e for p in restated for e in (p["s"], p["o"]))
        return recount

    def _write_degrees(self, added: Counter[str], recount: set[str]) -> None:
        """``e.degree``: raised by the new edges, or counted afresh."""
        self._unwind(cypher.ADD_DEGREES, [{"id": e, "add": n} for e, n in sorted(added.items())
                                          if e not in recount])
        self._unwind(cypher.degrees(), sorted(recount), key="ids")
