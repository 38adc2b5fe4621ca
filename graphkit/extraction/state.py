"""Per-article state shared by graphkit's spaCy components (``doc._.graphkit``)."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from graphkit.ids import entity_id, fold

__all__ = ["Entity", "Quote", "RawClaim", "DocState", "state"]


@dataclass
class Entity:
    """An entity of one article: its mentions, names and type."""

    idx: int
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    kind: str | None = None
    gazetteer: bool = False
    votes: Counter = field(default_factory=Counter)
    titles: set[str] = field(default_factory=set)
    synthetic: bool = False  # made from a noun phrase (group, topic, policy), not a name

    @property
    def id(self) -> str:
        return entity_id(self.name)


@dataclass
class Quote:
    """A quoted passage (character offsets, quote marks excluded) and its speaker."""

    start: int
    end: int
    speaker: int | None = None


@dataclass
class RawClaim:
    """A relation found in a sentence, before it becomes a :class:`~graphkit.model.Claim`."""

    subject: int
    relation: str
    object: int
    sent_start: int
    sent_end: int
    trigger: int
    qualifiers: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.7
    source: str = ""
    clause: frozenset[int] = frozenset()
    signals: tuple[str, str, str] = ("", "", "")  # (frame kind, relation, how its ends were found)


@dataclass
class DocState:
    """The entities, coreference links, quotes and claims of one article."""

    entities: list[Entity] = field(default_factory=list)
    token_entity: dict[int, int] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[RawClaim] = field(default_factory=list)
    role_facts: list[tuple[int, str, int | None]] = field(default_factory=list)
    plural: dict[int, list[int]] = field(default_factory=dict)  # "they" -> coordinated entities
    role_tokens: list[tuple[int, tuple[int, str]]] | None = None  # where role nouns end
    _by_name: dict[tuple[str, str], int] = field(default_factory=dict)
    _quote_starts: list[int] | None = None
    _sents: list[Span] | None = None
    _sent_of: list[int] | None = None
    _sent_ents: dict[int, list[Span]] | None = None

    def entity_at(self, i: int) -> Entity | None:
        idx = self.token_entity.get(i)
        return None if idx is None else self.entities[idx]

    def add_entity(self, name: str, etype: str, **kwargs: Any) -> Entity:
        """A new entity, or the existing one with the same folded name and type."""
        key = (fold(name), etype)
        if key in self._by_name:
            return self.entities[self._by_name[key]]
        ent = Entity(idx=len(self.entities), name=name, type=etype, **kwargs)
        ent.aliases.add(name)
        self.entities.append(ent)
        self._by_name[key] = ent.idx
        return ent

    def link(self, start: int, end: int, idx: int, *, overwrite: bool = False) -> None:
        """Point tokens ``start..end`` at entity ``idx``."""
        for i in range(start, end):
            if overwrite or i not in self.token_entity:
                self.token_entity[i] = idx

    def index_sentences(self, doc: Doc) -> None:
        """Cache the sentences (``Token.sent`` walks the whole doc on every call)."""
        self._sents = list(doc.sents)
        self._sent_of = [0] * len(doc)
        self._sent_ents = {}
        for n, sent in enumerate(self._sents):
            for i in range(sent.start, sent.end):
                self._sent_of[i] = n
        for ent in doc.ents:
            self._sent_ents.setdefault(self._sent_of[ent.start], []).append(ent)

    def sentence(self, tok: Token) -> Span:
        """The sentence of a token."""
        if self._sents is None or self._sent_of is None:
            self.index_sentences(tok.doc)
        return self._sents[self._sent_of[tok.i]]  # type: ignore[index]

    def sentence_index(self, tok: Token) -> int:
        if self._sent_of is None:
            self.index_sentences(tok.doc)
        return self._sent_of[tok.i]  # type: ignore[index]

    def sentence_ents(self, tok: Token) -> list[Span]:
        """The named-entity spans (all labels) of a token's sentence."""
        if self._sent_ents is None:
            self.index_sentences(tok.doc)
        return self._sent_ents.get(self.sentence_index(tok), [])  # type: ignore[union-attr]

    def quote_at(self, char: int) -> Quote | None:
        """The quote a character offset is in (binary search over the sorted quotes)."""
        if not self.quotes:
            return None
        if self._quote_starts is None or len(self._quote_starts) != len(self.quotes):
            self._quote_starts = [q.start for q in self.quotes]
        pos = bisect.bisect_right(self._quote_starts, char) - 1
        if pos >= 0 and char < self.quotes[pos].end:
            return self.quotes[pos]
        return None


if not Doc.has_extension("graphkit"):
    Doc.set_extension("graphkit", default=None)


def state(doc: Doc) -> DocState:
    """The graphkit state of a doc, created on first use."""
    if doc._.graphkit is None:
        doc._.graphkit = DocState()
    return doc._.graphkit
