"""Extraction results as the rows every graph store loads.

One shape for all stores (the property-graph model of ``schemas/graph-model.md``):
articles, entities (with their aliases), claims (one row each, with every
qualifier and the evidence) and mentions (article -> entity). Direct
relationship edges are aggregated by the stores from the stored claims, so
that loading more articles later keeps them right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphkit.model import ArticleResult, Claim

__all__ = ["GraphBatch", "EdgeAggregator", "claim_id", "claim_row", "batch_from_results",
           "QUALIFIER_FIELDS", "EDGE_LISTS", "merge_edges"]

QUALIFIER_FIELDS = ("topic", "role", "status", "amount", "time", "attributed_to", "polarity",
                    "modality", "quote", "frequency", "predicate")


def claim_id(claim: Claim) -> str:
    """A stable id: the same claim from the same sentence is the same row on every build.

    Example:
        >>> from graphkit.model import Claim, EntityRef, Evidence
        >>> c = Claim("a1", EntityRef("x", "X", "Person"), "MEETS", EntityRef("y", "Y", "Person"),
        ...           evidence=Evidence("X met Y.", 0, 8))
        >>> claim_id(c) == claim_id(c), len(claim_id(c))
        (True, 20)
    """
    ev = claim.evidence
    key = "\x1f".join([claim.article_id, claim.subject.id, claim.relation, claim.object.id,
                       str(ev.start if ev else ""), str(ev.end if ev else "")])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def claim_row(claim: Claim) -> dict[str, Any]:
    q = claim.to_dict()["qualifiers"]
    row: dict[str, Any] = {
        "id": claim_id(claim),
        "article_id": claim.article_id,
        "subject": claim.subject.id,
        "object": claim.object.id,
        "relation": claim.relation,
        "confidence": round(claim.confidence, 3),
        "evidence": claim.evidence.text if claim.evidence else None,
        "start": claim.evidence.start if claim.evidence else None,
        "end": claim.evidence.end if claim.evidence else None,
    }
    for name in QUALIFIER_FIELDS:
        row[name] = q.get(name)
    return row


@dataclass
class GraphBatch:
    """Rows for a store; ``entities`` carry merged aliases."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.claims)


def batch_from_results(results: Iterable[ArticleResult]) -> GraphBatch:
    """Rows for a group of articles; an entity named in several is one row."""
    batch = GraphBatch()
    entities: dict[str, dict[str, Any]] = {}
    for result in results:
        a = result.article
        batch.articles.append({"id": a.id, "title": a.title, "date": a.date, "source": a.source,
                               "url": a.url})
        for ent in result.entities:
            row = entities.setdefault(ent.id, {"id": ent.id, "name": ent.name, "type": ent.type,
                                               "aliases": []})
            if ent.external_id:
                row["external_id"] = ent.external_id
            for alias in ent.aliases:
                if alias not in row["aliases"] and alias != row["name"]:
                    row["aliases"].append(alias)
            batch.mentions.append({"article": a.id, "entity": ent.id})
        for claim in result.claims:
            for end in (claim.subject, claim.object):  # ends the entity list may not hold
                entities.setdefault(end.id, {"id": end.id, "name": end.name, "type": end.type,
                                             "aliases": []})
            batch.claims.append(claim_row(claim))
    batch.entities = list(entities.values())
    return batch


# Edge property -> the claim field it collects (distinct values, in claim order).
EDGE_LISTS = {"topics": "topic", "roles": "role", "amounts": "amount", "times": "time",
              "attributed_to": "attributed_to", "predicates": "predicate", "quotes": "quote",
              "statuses": "status", "sources": "article_id"}
_EDGE_SOURCES = tuple(EDGE_LISTS.items())


class EdgeAggregator:
    """The direct relationship of each (subject, relation, object), aggregated from claims.

    Example:
        >>> agg = EdgeAggregator()
        >>> agg.add({"subject": "a", "relation": "MEETS", "object": "b", "article_id": "x",
        ...          "topic": "trade", "polarity": "denied", "confidence": 0.8}, "2024-01-02")
        >>> props = agg.edges[("a", "MEETS", "b")]
        >>> props["claim_count"], props["topics"], props["denied"], props["first_seen"]
        (1, ['trade'], True, '2024-01-02')
    """

    def __init__(self) -> None:
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(self, claim: dict[str, Any], date: str | None) -> None:
        key = (claim["subject"], claim["relation"], claim["object"])
        edge = self.edges.get(key)
        if edge is None:
            edge = self.edges[key] = {
                "claim_count": 0, **{name: [] for name in EDGE_LISTS}, "first_seen": None,
                "last_seen": None, "denied": False, "negated": False, "hypothetical": False,
                "confidence": 0.0}
        edge["claim_count"] += 1
        get = claim.get
        for name, source in _EDGE_SOURCES:
            value = get(source)
            if value is not None:
                values = edge[name]
                if value not in values:
                    values.append(value)
        if date:
            if edge["first_seen"] is None or date < edge["first_seen"]:
                edge["first_seen"] = date
            if edge["last_seen"] is None or date > edge["last_seen"]:
                edge["last_seen"] = date
        polarity = get("polarity")
        if polarity == "denied":
            edge["denied"] = True
        elif polarity == "negated":
            edge["negated"] = True
        if get("modality") == "hypothetical":
            edge["hypothetical"] = True
        confidence = float(get("confidence") or 0.0)
        if confidence > edge["confidence"]:
            edge["confidence"] = confidence


def merge_edges(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The aggregates of a stored edge and of new claims of its triple (none stored before).

    Example:
        >>> old = {"claim_count": 2, "topics": ["trade"], "sources": ["a1"], "first_seen": "2024-01-02",
        ...        "last_seen": "2024-03-01", "denied": False, "confidence": 0.9}
        >>> new = {"claim_count": 1, "topics": ["energy", "trade"], "sources": ["a2"],
        ...        "first_seen": "2023-12-30", "last_seen": None, "denied": True, "confidence": 0.7}
        >>> m = merge_edges(old, new)
        >>> m["claim_count"], m["topics"], m["first_seen"], m["last_seen"], m["denied"], m["confidence"]
        (3, ['trade', 'energy'], '2023-12-30', '2024-03-01', True, 0.9)
    """
    out = dict(new)
    out["claim_count"] = (stored.get("claim_count") or 0) + new["claim_count"]
    for name in EDGE_LISTS:
        values = list(stored.get(name) or [])
        out[name] = values + [v for v in new.get(name) or [] if v not in values]
    dates = [d for d in (stored.get("first_seen"), new.get("first_seen")) if d]
    out["first_seen"] = min(dates) if dates else None
    dates = [d for d in (stored.get("last_seen"), new.get("last_seen")) if d]
    out["last_seen"] = max(dates) if dates else None
    for flag in ("denied", "negated", "hypothetical"):
        out[flag] = bool(stored.get(flag)) or bool(new.get(flag))
    out["confidence"] = max(float(stored.get("confidence") or 0.0), float(new.get("confidence") or 0.0))
    return out
