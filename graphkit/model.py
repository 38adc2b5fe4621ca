"""The data model at stage boundaries: articles in, claims out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Article", "Entity", "EntityRef", "Evidence", "Claim", "ArticleResult",
           "DEFAULT_QUALIFIERS"]

DEFAULT_QUALIFIERS = {"polarity": "asserted", "modality": "actual"}


@dataclass(frozen=True)
class Article:
    """One news article.

    ``text`` is the article exactly as read; evidence offsets index into it.
    """

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Article:
        """Build an article from a JSON object; extra fields are ignored."""
        return cls(
            id=str(record["id"]),
            text=record["text"],
            date=record.get("date"),
            title=record.get("title"),
            source=record.get("source"),
            url=record.get("url"),
        )

    def metadata(self) -> dict[str, Any]:
        """The article's fields other than its text, without empty ones."""
        fields = {"id": self.id, "date": self.date, "title": self.title,
                  "source": self.source, "url": self.url}
        return {k: v for k, v in fields.items() if v is not None}


@dataclass(frozen=True)
class EntityRef:
    """An end of a claim: the canonical entity after resolution."""

    id: str
    name: str
    type: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "type": self.type}


@dataclass(frozen=True)
class Entity:
    """An entity named in an article, with every surface form that named it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    external_id: str | None = None  # from the user's alias table: a Wikidata QID, say

    def ref(self) -> EntityRef:
        return EntityRef(self.id, self.name, self.type)


@dataclass(frozen=True)
class Evidence:
    """The sentence behind a claim; ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Claim:
    """One extracted claim, serialised exactly as the claim record contract says."""

    article_id: str
    subject: EntityRef
    relation: str
    object: EntityRef
    qualifiers: dict[str, str] = field(default_factory=dict)
    evidence: Evidence | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        quals = {**DEFAULT_QUALIFIERS, **{k: v for k, v in self.qualifiers.items() if v}}
        record: dict[str, Any] = {
            "article_id": self.article_id,
            "subject": self.subject.to_dict(),
            "relation": self.relation,
            "object": self.object.to_dict(),
            "qualifiers": quals,
        }
        if self.evidence is not None:
            record["evidence"] = self.evidence.to_dict()
        record["confidence"] = round(self.confidence, 3)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Claim:
        ev = record.get("evidence")
        return cls(
            article_id=str(record["article_id"]),
            subject=EntityRef(**record["subject"]),
            relation=record["relation"],
            object=EntityRef(**record["object"]),
            qualifiers=dict(record.get("qualifiers") or {}),
            evidence=Evidence(**ev) if ev else None,
            confidence=float(record.get("confidence", 0.5)),
        )


@dataclass(frozen=True)
class ArticleResult:
    """What extraction found in one article: its claims and the entities they name."""

    article: Article
    claims: tuple[Claim, ...]
    entities: tuple[Entity, ...]
