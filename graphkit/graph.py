"""The knowledge graph as a networkx MultiDiGraph, built from claims, a store or RDF.

:class:`KnowledgeGraph` gathers entities, articles and claims (from extraction
results, claim records, a graph store or an RDF file graphkit wrote) and gives
them as a ``networkx.MultiDiGraph`` (:meth:`KnowledgeGraph.to_networkx`):

- a node per entity, keyed by its id, with ``name``, ``type``, ``aliases`` and
  ``articles`` (the articles that mention it);
- an edge per claim, from its subject to its object, keyed by the claim id,
  with ``relation``, every qualifier (``topic``, ``polarity``, ``attributed_to``,
  ...), ``evidence``, ``start``, ``end``, ``confidence``, ``article`` and the
  article's ``date``;
- ``G.graph["articles"]``: the articles by id (``title``, ``date``, ``source``,
  ``url``).

The questions of the saved queries and the usual analyses are plain functions
over that graph, in :mod:`graphkit.analysis`. GraphML and GEXF files for Gephi
come from :func:`write_graphml` and :func:`write_gexf`; DataFrames from
:meth:`KnowledgeGraph.to_dataframes` where pandas is installed.

Example:
    >>> from graphkit.model import Claim, EntityRef
    >>> musk, trump = EntityRef("elon-musk", "Elon Musk", "Person"), EntityRef("donald-trump", "Donald Trump", "Person")
    >>> kg = KnowledgeGraph.from_claims([Claim("a1", musk, "ADVISES", trump, {"topic": "crypto"})])
    >>> G = kg.to_networkx()
    >>> G.nodes["elon-musk"]["name"], [(s, o, d["relation"], d["topic"]) for s, o, d in G.edges(data=True)]
    ('Elon Musk', [('elon-musk', 'donald-trump', 'ADVISES', 'crypto')])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.model import ArticleResult, Claim
from graphkit.rows import QUALIFIER_FIELDS, GraphBatch, batch_from_results, claim_row

__all__ = ["KnowledgeGraph", "write_gexf", "write_graphml"]


class KnowledgeGraph:
    """Entities, articles and claims, ready to become a networkx graph.

    Build one with :meth:`from_results`, :meth:`from_claims`, :meth:`from_batches`,
    :meth:`from_store` or :meth:`from_rdf`; :meth:`add` adds more rows.
    """

    def __init__(self) -> None:
        self.entities: dict[str, dict[str, Any]] = {}
        self.articles: dict[str, dict[str, Any]] = {}
        self.claims: dict[str, dict[str, Any]] = {}
        self.mentions: dict[str, set[str]] = {}  # entity id -> article ids

    # -- building --------------------------------------------------------------

    def add(self, batch: GraphBatch) -> KnowledgeGraph:
        """Add graph rows (as the stores load them); an entity seen again gains aliases."""
        for e in batch.entities:
            row = self.entities.setdefault(e["id"], {"id": e["id"], "name": e["name"], "type": e["type"],
                                                     "aliases": []})
            if e.get("external_id"):
                row["external_id"] = e["external_id"]
            row["aliases"] += [a for a in e.get("aliases") or [] if a not in row["aliases"]]
        for a in batch.articles:
            self.articles[a["id"]] = {k: a.get(k) for k in ("id", "title", "date", "source", "url")}
        for m in batch.mentions:
            self.mentions.setdefault(m["entity"], set()).add(m["article"])
        for c in batch.claims:
            self.claims[c["id"]] = dict(c)
        return self

    @classmethod
    def from_batches(cls, batches: Iterable[GraphBatch]) -> KnowledgeGraph:
        kg = cls()
        for batch in batches:
            kg.add(batch)
        return kg

    @classmethod
    def from_results(cls, results: Iterable[ArticleResult], *, resolve: bool = True) -> KnowledgeGraph:
        """From extraction results, resolving entities across the articles (unless told not to)."""
        results = list(results)
        if resolve:
            from graphkit.resolution import resolve_results

            results, _ = resolve_results(results)
        return cls().add(batch_from_results(results))

    @classmethod
    def from_claims(cls, claims: Iterable[Claim | dict[str, Any]]) -> KnowledgeGraph:
        """From claims or claim records (``graphkit extract`` output); articles known by id only."""
        kg = cls()
        batch = GraphBatch()
        seen: set[str] = set()
        for claim in claims:
            c = claim if isinstance(claim, Claim) else Claim.from_dict(claim)
            batch.claims.append(claim_row(c))
            for end in (c.subject, c.object):
                batch.entities.append({"id": end.id, "name": end.name, "type": end.type, "aliases": []})
                batch.mentions.append({"article": c.article_id, "entity": end.id})
            if c.article_id not in seen:
                seen.add(c.article_id)
                batch.articles.append({"id": c.article_id})
        return kg.add(batch)

    @classmethod
    def from_store(cls, store: Any = None) -> KnowledgeGraph:
        """From a graph store: an open one, a directory or Neo4j URI, or the default store."""
        from loaders import open_store

        if store is None or isinstance(store, (str, Path)):
            opened = open_store(store)
            try:
                return cls.from_batches(opened.batches())
            finally:
                opened.close()
        return cls.from_batches(store.batches())

    @classmethod
    def from_rdf(cls, path: str | Path, *, base: str | None = None) -> KnowledgeGraph:
        """From an RDF file graphkit wrote (Turtle, TriG, N-Triples, N-Quads, JSON-LD)."""
        from loaders.rdf import read_rdf

        return cls.from_batches(read_rdf(path, base=base))

    # -- giving ------------------------------------------------------------------

    def to_networkx(self) -> nx.MultiDiGraph:
        """A MultiDiGraph: entities as nodes, one edge per claim (see the module docstring)."""
        G = nx.MultiDiGraph(articles={k: dict(v) for k, v in self.articles.items()})
        for e in self.entities.values():
            G.add_node(e["id"], name=e["name"], type=e["type"], aliases=list(e["aliases"]),
                       articles=sorted(self.mentions.get(e["id"], ())), external_id=e.get("external_id"))
        for c in self.claims.values():
            for end in (c["subject"], c["object"]):
                if end not in G:  # an end no entity row gave
                    G.add_node(end, name=end, type="", aliases=[], articles=[])
            data = {k: v for k, v in c.items() if k not in ("subject", "object", "id")}
            data["article"] = data.pop("article_id")
            data["date"] = self.articles.get(data["article"], {}).get("date")
            G.add_edge(c["subject"], c["object"], key=c["id"], **data)
        return G

    def to_dataframes(self) -> tuple[Any, Any, Any]:
        """``(entities, claims, articles)`` as pandas DataFrames (``pip install 'graphkit[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            raise GraphkitError("DataFrames need pandas: pip install 'graphkit[pandas]'") from None
        entities = pd.DataFrame([{**e, "articles": sorted(self.mentions.get(e["id"], ()))}
                                 for e in self.entities.values()],
                                columns=["id", "name", "type", "aliases", "external_id", "articles"])
        columns = ["id", "article_id", "subject", "relation", "object", *QUALIFIER_FIELDS, "evidence",
                   "start", "end", "confidence"]
        claims = pd.DataFrame(list(self.claims.values()), columns=columns)
        articles = pd.DataFrame(list(self.articles.values()), columns=["id", "title", "date", "source", "url"])
        return entities, claims, articles

    def __len__(self) -> int:
        return len(self.claims)

    def __repr__(self) -> str:
        return (f"<KnowledgeGraph: {len(self.entities)} entities, {len(self.articles)} articles, "
                f"{len(self.claims)} claims>")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(value: Any) -> Any:
    """A value XML can hold: lists joined with ``|``; control characters XML 1.0 forbids as U+FFFD."""
    if isinstance(value, list):
        value = "|".join(map(str, value))
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _flat(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose ids and attribute values GraphML and GEXF can hold (no None)."""
    H = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        H.add_node(_xml(n), **{k: _xml(v) for k, v in data.items() if v is not None})
    for s, o, k, data in G.edges(keys=True, data=True):
        H.add_edge(_xml(s), _xml(o), key=_xml(k), **{a: _xml(v) for a, v in data.items() if v is not None})
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as GraphML (list attributes joined with ``|``; unknown values left out;
    control characters XML cannot hold as U+FFFD)."""
    nx.write_graphml(_flat(G), str(path))


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as GEXF, for Gephi (list attributes joined with ``|``; the evidence
    offsets as ``evidence_start`` and ``evidence_end``, since GEXF's ``start`` and ``end``
    are times)."""
    H = _flat(G)
    for s, o, k, data in H.edges(keys=True, data=True):
        data["label"] = data.get("relation", "")  # Gephi shows an edge's label
        for name in ("start", "end"):  # GEXF reads start/end as an edge's lifetime: keep them as offsets
            if name in data:
                data[f"evidence_{name}"] = data.pop(name)
    for n, data in H.nodes(data=True):
        data["label"] = data.get("name", n)
    nx.write_gexf(H, str(path))
