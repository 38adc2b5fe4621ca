"""Small helpers over spaCy's dependency parse, shared by the components."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from graphkit.extraction.knowledge import Knowledge

__all__ = ["conjuncts", "indices_of", "tokens_with_pos", "role_at", "clause_of", "phrase", "SUBJ", "OBJ", "RELATIVE"]

SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "obj", "attr", "oprd"}
RELATIVE = {"who", "whom", "which", "that", "whose"}


_CONTRACTIONS = {"'m": "be", "'s": "be", "'re": "be", "'ve": "have", "'ll": "will", "'d": "would",
                 "n't": "not", "ca": "can", "wo": "will"}


def lemma_of(tok: Token) -> str:
    """The token's lemma, lower-cased, with contractions ("’m", "’s") resolved.

    Example:
        >>> import spacy
        >>> lemma_of(spacy.blank("en")("I’m")[1])
        'be'
    """
    base = tok.lemma_.lower() or tok.lower_
    key = base.replace("\u2019", "'")
    if key in _CONTRACTIONS:
        if key == "'s" and tok.tag_ == "POS":
            return key
        return _CONTRACTIONS[key]
    return base




@lru_cache(maxsize=128)
def _hashes(words: frozenset[str]) -> frozenset[int]:
    forms = {f for w in words for f in (w, w.lower(), w.capitalize(), w.title(), w.upper())}
    return frozenset(hash_string(f) for f in forms)


def indices_of(doc: Doc, words: frozenset[str], *, lemmas: bool = False) -> list[int]:
    """Indices of the tokens whose form (any case) or, with ``lemmas``, lemma is one of
    ``words``: a prefilter read from the doc's arrays, making no Token objects (a
    superset: callers still check the token).

    Example:
        >>> import spacy
        >>> indices_of(spacy.blank("en")("The Government said"), frozenset({"government"}))
        [1]
    """
    wanted = _hashes(words)
    lows, lems = _arrays(doc)
    if not lemmas:
        return [i for i, h in enumerate(lows) if h in wanted]
    return [i for i, (low, lemma) in enumerate(zip(lows, lems)) if low in wanted or lemma in wanted]


def _arrays(doc: Doc) -> tuple[list[int], list[int]]:
    """The doc's lower-cased form and lemma hashes, read once (kept in ``user_data``:
    the lemmas are final once the pipeline's own components run)."""
    cached = doc.user_data.get("graphkit_arrays")
    if cached is None or len(cached[0]) != len(doc):
        rows = doc.to_array(["LOWER", "LEMMA"]).tolist()
        cached = ([r[0] for r in rows], [r[1] for r in rows])
        doc.user_data["graphkit_arrays"] = cached
    return cached


def tokens_with_pos(doc: Doc, tags: frozenset[int]) -> list[int]:
    """Indices of the tokens whose coarse part of speech (a ``spacy.symbols`` id) is one
    of ``tags``, without making Token objects."""
    return [i for i, p in enumerate(doc.to_array("POS").tolist()) if p in tags]


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
    last = doc[i]
    if last.lower_ not in k.role_last_words and lemma_of(last) not in k.role_last_words:
        return None
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


def misparsed_main(verb: Token) -> bool:
    """A main verb the parser hung on its subject as a participle: "The Kelmar board
    named Anna Berg chief executive" parsed as a sentence with no verb, the noun its root
    and "named ..." a clause on it. A sentence has a verb; the participle that takes an
    object after the root noun is it."""
    return (verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and verb.head.dep_ == "ROOT"
            and verb.head.pos_ in ("NOUN", "PROPN") and verb.i > verb.head.i
            and verb.sent.end > verb.i + 1 and verb.sent[-1].text in (".", "!")
            and any(c.dep_ in ("dobj", "oprd", "dative") for c in verb.children))


def is_passive(verb: Token) -> bool:
    """A passive verb ("was bought by"), or a past participle modifying a noun ("AMD, led by")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN" and not misparsed_main(verb)) or (
        verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.dep_ == "acl" and verb.head.tag_ == "VBN")


def subject_tokens(verb: Token, depth: int = 0) -> list[Token]:
    """The logical subject of a verb: nsubj, the agent of a passive, the noun a
    relative clause or participle modifies, or the subject inherited by an
    xcomp/advcl/conj/pcomp verb from the verb it depends on."""
    if depth > 4:
        return []
    if is_passive(verb):
        for c in verb.children:
            if c.dep_ == "agent":
                return [p for p in c.children if p.dep_ == "pobj"]
        for c in verb.children:  # "founded and run by X": the agent of the last conjunct
            if c.dep_ == "conj" and c.tag_ == "VBN":
                return [p for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        return []
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return [c]
    if verb.dep_ in ("relcl", "acl"):
        return [verb.head]
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acomp") and verb.head.i != verb.i:
        head = verb.head
        if head.dep_ == "prep" or head.pos_ == "ADP":
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            if verb.dep_ == "xcomp" and verb.tag_ != "VBG":
                # object control: "picked Lutnick to lead", "urged the FTC to scrutinize"
                # (not a participle: "left UKIP saying ..." is said by who left); the
                # controller stands before the verb it controls, never after it
                controller = [c for c in head.children if c.dep_ in ("dobj", "obj") and c.i < verb.i]
                if controller:
                    return controller
            if is_passive(head):
                # "Musk has been reported to have ...": the raised subject
                raised = [c for c in head.children if c.dep_ == "nsubjpass"]
                if raised:
                    return raised
            return subject_tokens(head, depth + 1)
    return []


def governing_verb(tok: Token) -> Token | None:
    """The nearest verb above a token (the token itself if it is a verb)."""
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def main_clause(tok: Token, report_verbs: frozenset[str]) -> bool:
    """Whether a token's clause is the sentence's main clause (or what a
    reporting verb reports): not a subordinate, relative or adverbial clause."""
    verb = governing_verb(tok)
    while verb is not None:
        if verb.dep_ == "ROOT":
            return True
        if verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_.lower() in report_verbs:
            verb = verb.head
            continue
        if verb.dep_ == "conj":
            verb = verb.head
            continue
        return False
    return False
