"""Small helpers over spaCy's dependency parse, shared by the components."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from graphkit.extraction.knowledge import Knowledge

__all__ = ["conjuncts", "role_at", "clause_of", "phrase", "SUBJ", "OBJ", "RELATIVE"]

SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "obj", "attr", "oprd"}
RELATIVE = {"who", "whom", "which", "that", "whose"}


def conjuncts(tok: Token) -> list[Token]:
    """The token and every token coordinated with it ("Musk and Thiel")."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ == "conj")
    return out


def role_at(doc: Doc, i: int, k: Knowledge) -> tuple[int, str] | None:
    """A role noun ending at token ``i``: (start index, role key), longest first.

    "chief executive" ending at "executive" gives (i - 1, "chief executive").
    """
    for n in range(min(k.role_max_words, i + 1), 0, -1):
        words = doc[i - n + 1:i + 1]
        key = " ".join(t.lower_ if n > 1 else t.lemma_.lower() for t in words)
        if n == 1 and key not in k.roles:
            key = doc[i].lower_
            for marker in ("ex-", "former-", "then-"):
                if key.startswith(marker) and key[len(marker):] in k.roles:
                    key = key[len(marker):]
        if key in k.roles:
            return i - n + 1, key
        if n > 1:
            key = " ".join(t.lemma_.lower() for t in words)
            if key in k.roles:
                return i - n + 1, key
    return None


def clause_of(tok: Token) -> Token:
    """The verb (or root) heading the clause a token belongs to."""
    t = tok
    while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
        t = t.head
    return t


def phrase(tok: Token, *, stop: frozenset[str] = frozenset({"relcl", "acl", "appos", "punct",
                                                            "advcl", "cc", "conj", "prep"})) -> Span:
    """The noun phrase headed by ``tok``: its left modifiers and itself (no clauses)."""
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in stop or child.dep_ in ("det", "predet") and child.i == tok.left_edge.i:
            continue
        start = min(start, child.left_edge.i)
    while start < tok.i and (tok.doc[start].dep_ in ("det", "predet", "punct", "cc")
                             or tok.doc[start].is_punct):
        start += 1
    return tok.doc[start:tok.i + 1]


def walk_up(tok: Token) -> Iterator[Token]:
    """The token's ancestors, nearest first."""
    t = tok
    while t.head.i != t.i:
        t = t.head
        yield t
