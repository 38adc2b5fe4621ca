"""Component ``graphkit_relations``: relations and their qualifiers.

Sources of relations, each driven by the lexicons:

- role frames ("Tesla CEO Elon Musk", "X is the founder of Y"),
- party words ("the Ohio Republican", "Republican Sen. X"),
- verb frames (active, passive, relative clauses, coordination, inherited
  subjects of xcomp/advcl/conj),
- noun frames (nominalisations and light verbs: "a meeting between X and Y",
  "X filed a lawsuit against Y", "X is a big fan of Y"),
- evaluations ("called X 'a spectacular guy'", reported "X is very nice"),
- anything else with a named subject and object: ``RELATED_TO`` with the
  predicate, so nothing said is lost.

Qualifiers come from the clause: topic, role, status, amount, time,
attributed_to (reporting verbs, "according to", quotes), polarity (negation,
and later denials of a report), modality (modals, if, potential, consider).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.symbols import AUX as AUX_ID
from spacy.symbols import VERB as VERB_ID
from spacy.tokens import Doc, Span, Token

from graphkit.extraction.confidence import calibrated
from graphkit.extraction.knowledge import Frame, Knowledge, knowledge
from graphkit.extraction.roles import find_roles, membership, party_state
from graphkit.extraction.state import Entity, RawClaim, state
from graphkit.extraction.syntax import (
    RELATIVE, conjuncts, indices_of, role_at, lemma_of, is_passive, phrase, subject_tokens,
    tokens_with_pos, walk_up,
)

__all__ = ["RelationExtractor", "make_relations", "valence"]

_VERB_POS = frozenset({VERB_ID, AUX_ID})


@Language.factory(
    "graphkit_relations",
    default_config={"stance_threshold": 0.3, "keep_related": True, "max_denial_sentences": 2},
)
def make_relations(nlp: Language, name: str, stance_threshold: float, keep_related: bool,
                   max_denial_sentences: int) -> RelationExtractor:
    return RelationExtractor(stance_threshold, keep_related, max_denial_sentences)


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(knowledge().sentiment)
    return analyzer


def valence(text: str) -> float:
    """Compound sentiment of a phrase in [-1, 1] (VADER plus graphkit's supplement).

    Example:
        >>> valence("a spectacular guy") > 0.3
        True
        >>> valence("another bullshit artist") < -0.3
        True
    """
    text = text.replace("blood bath", "bloodbath")
    score = float(_analyzer().polarity_scores(text)["compound"])
    if score > 0 and _EXCESS.search(text):
        return -score  # "way too optimistic", "overly generous": too much of a good thing
    return score


_MAGNITUDES = frozenset({"m", "bn", "k", "tn", "million", "billion", "trillion", "mn", "mln", "bln"})
_EXCESS = re.compile(r"(?<!not )(?<!n't )\b(?:too|overly|excessively|unduly|over-)\s*[a-z]", re.IGNORECASE)


class RelationExtractor:
    def __init__(self, stance_threshold: float, keep_related: bool, max_denial_sentences: int):
        self.k: Knowledge = knowledge()
        self.threshold = stance_threshold
        self.keep_related = keep_related
        self.denial_back = max_denial_sentences

    # -- entry --------------------------------------------------------------

    @property
    def _speech_report(self) -> frozenset[str]:
        cached = getattr(self, "_speech_report_cache", None)
        if cached is None:
            cached = self._speech_report_cache = self.k.sets["speech_verbs"] | self.k.sets["report_verbs"]
        return cached

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        self.doc, self.st = doc, st
        self._coref_tokens = {i for i, _ in st.token_entity.items()
                              if doc[i].pos_ == "PRON" or doc[i].pos_ == "NOUN"}
        used_triggers: set[int] = set()
        verbs: list[Token] = []
        self._roles()
        self._parties()
        self._state_owned()
        self._affiliations()
        self._personal_companies()
        # the tokens a frame may start from: every verb, and nouns and adjectives whose
        # lemma has frames (found from the doc's arrays, without a Token for every word)
        k = self.k
        wanted = sorted(set(tokens_with_pos(doc, _VERB_POS)) | set(indices_of(
            doc, k.frame_words, lemmas=True)))
        for tok in (doc[i] for i in wanted):
            pos = tok.pos_
            if pos in ("VERB", "AUX"):
                verbs.append(tok)
                lemma = lemma_of(tok)
                if lemma in self.k.verb_frames and self._verb(tok, self.k.verb_frames[lemma]):
                    used_triggers.add(tok.i)
            elif pos in ("NOUN", "PROPN"):
                noun_lemma = self._noun_lemma(tok)
                if noun_lemma in self.k.noun_frames:
                    self._noun(tok, self.k.noun_frames[noun_lemma])
            elif pos == "ADJ" and tok.dep_ in ("acomp", "amod", "attr"):
                lemma = lemma_of(tok)
                if lemma in self.k.adjective_frames:
                    self._noun(tok, self.k.adjective_frames[lemma])
        for tok in verbs:
            self._evaluation(tok)
        if self.keep_related:
            for tok in verbs:
                if tok.pos_ == "VERB" and tok.i not in used_triggers:
                    self._related(tok)
        self._denials()
        for claim in st.claims:
            if claim.relation != "RELATED_TO":
                claim.confidence = calibrated(*claim.signals, claim.confidence)
        self.doc = self.st = None  # type: ignore[assignment]
        return doc

    def _noun_lemma(self, tok: Token) -> str:
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and f"{prev.lower_} {lemma_of(tok)}" in self.k.noun_frames:
            return f"{prev.lower_} {lemma_of(tok)}"
        return lemma_of(tok)

    # -- entities of arguments ----------------------------------------------

    def _entity(self, tok: Token, *, synthetic: str | None = None) -> Entity | None:
        """The entity a token stands for; ``synthetic`` allows a phrase entity
        ("stance": topics, policies and groups; "group": groups only)."""
        st, k = self.st, self.k
        if tok.lower_ in RELATIVE:
            pronoun = tok.lower_
            clause = tok.head
            while clause.dep_ == "conj" and clause.head.i != clause.i:
                clause = clause.head  # "who chairs ... and who had backed"
            if clause.dep_ == "relcl":
                tok = clause.head
                named = st.entity_at(tok.i)
                if named is not None and named.type == "Person" and pronoun == "which":
                    return None  # "his impression of him as Dracula, which he calls": not a person
        if tok.i in st.token_entity:
            return st.entities[st.token_entity[tok.i]]
        if tok.pos_ in ("PRON", "NUM", "DET") or tok.like_num:
            return None
        # a phrase whose head is unnamed but whose name sits on a flat modifier
        for child in tok.children:
            if child.dep_ in ("compound", "appos") and child.i in st.token_entity \
                    and child.i == tok.i - 1 and tok.pos_ == "PROPN":
                return st.entities[st.token_entity[child.i]]
        if lemma_of(tok) in k.sets["governing_parts"] and tok.pos_ == "NOUN":
            # "Kestrel's board named X", "the Kestrel board", "the board of Kestrel": the
            # company acts
            owners = [c for c in tok.children if c.dep_ in ("poss", "compound", "nmod") and c.i < tok.i]
            owners += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"]
            for child in owners:
                owner = st.entity_at(child.i)
                if owner is not None and owner.type == "Organization":
                    return owner
        if tok.lower_ in k.partitive_words or lemma_of(tok) in k.partitive_words:
            for child in tok.children:  # "buy most of First Republic"
                if child.dep_ == "prep" and child.lower_ == "of":
                    for p in child.children:
                        if p.dep_ == "pobj" and p.i in st.token_entity:
                            return st.entities[st.token_entity[p.i]]
        # "FTX, the crypto exchange he founded": a common noun in apposition to a name
        if tok.pos_ in ("NOUN", "PROPN"):
            if tok.dep_ == "appos" and tok.head.i in st.token_entity:
                return st.entities[st.token_entity[tok.head.i]]
            for child in tok.children:
                if child.dep_ == "appos" and child.i in st.token_entity:
                    return st.entities[st.token_entity[child.i]]
            # "the PlayStation console", "its H20 accelerator": a named product's descriptor
            for left in tok.subtree:
                if left.i >= tok.i or left.dep_ != "compound" or left.i not in st.token_entity:
                    continue
                named = st.entities[st.token_entity[left.i]]
                if named.type == "Product" or k.descriptions.get(tok.lower_) == named.type \
                        or k.descriptions.get(lemma_of(tok)) == named.type:
                    return named
        lemma = lemma_of(tok)
        if tok.pos_ == "NOUN" and tok.lower_ in k.sets["group_nouns"]:
            for child in tok.children:  # "executives from Blue Origin"
                if child.dep_ == "prep" and child.lower_ in ("from", "at", "of"):
                    for p in child.children:
                        e = st.entity_at(p.i)
                        if p.dep_ == "pobj" and e is not None and e.type == "Organization":
                            return e
        if tok.pos_ == "NOUN" and (lemma in k.sets["source_nouns"] or lemma in k.sets["owner_nouns"]) \
                and synthetic != "stance":
            for child in tok.children:  # "his office had opened an investigation"
                if child.dep_ == "poss" and child.i in st.token_entity and lemma in k.sets["source_nouns"]:
                    return st.entities[st.token_entity[child.i]]
        if synthetic == "owner" and tok.pos_ == "NOUN":
            for child in tok.children:
                if child.dep_ == "poss" and child.i in st.token_entity:
                    return st.entities[st.token_entity[child.i]]
            if lemma in k.beneficiary_nouns:
                for child in tok.children:  # "a rescue of First Republic"
                    if child.dep_ == "prep" and child.lower_ in ("of", "for"):
                        for p in child.children:
                            if p.dep_ == "pobj" and p.i in st.token_entity:
                                return st.entities[st.token_entity[p.i]]
            return None
        if synthetic == "stance" and tok.pos_ == "NOUN" and lemma not in k.sets["policy_nouns"] \
                and tok.lower_ not in k.sets["policy_nouns"]:
            for child in tok.children:  # "criticized Tesla's marketing" -> Tesla
                if child.dep_ == "poss" and child.i in st.token_entity:
                    return st.entities[st.token_entity[child.i]]
            if lemma in k.sets["event_nouns"] or lemma in k.sets["owner_nouns"]:
                for child in tok.children:  # "championed the GE offer" -> GE
                    if child.dep_ == "compound" and child.pos_ == "PROPN" and child.i in st.token_entity \
                            and st.entities[st.token_entity[child.i]].type in ("Organization", "Person"):
                        return st.entities[st.token_entity[child.i]]
        if synthetic == "stance" and lemma in k.event_agents and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            agent = self._agent_of_event(tok, k.event_agents[lemma])
            if agent is not None:  # "called the veto a mistake": a judgement of who vetoed
                return agent
        if synthetic == "stance" and (lemma in k.sets["owner_nouns"] or tok.lower_ in k.sets["owner_nouns"]):
            for child in tok.children:
                if child.dep_ == "poss" and child.i in st.token_entity:
                    owner = st.entities[st.token_entity[child.i]]
                    if lemma not in k.sets["policy_nouns"] or owner.type != "Person":
                        return owner
        if synthetic is None or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        span = phrase(tok)
        if tok.lower_ in k.sets["group_nouns"] and tok.tag_ in ("NNS", "NNPS"):
            if len(span) < 2:
                return None
            etype = "Group"
        elif synthetic != "stance":
            return None
        elif lemma in k.sets["policy_nouns"] or tok.lower_ in k.sets["policy_nouns"]:
            etype = "Policy"
        elif tok.pos_ == "PROPN":
            etype = "Product" if span[0].pos_ == "PROPN" else "Topic"
        else:
            etype = "Topic"
        if lemma in k.sets["generic_nouns"] and len(span) < 2:
            return None
        if lemma in k.sets["event_nouns"] or tok.lower_ in k.sets["event_nouns"]:
            return None
        if etype == "Topic" and len(span) < 2 and tok.tag_ not in ("NNS", "NNPS"):
            return None  # a lone singular noun ("the marketplace") is no topic
        if etype in ("Topic", "Policy") and (lemma in k.sets["vague_nouns"] or tok.lower_ in k.sets["vague_nouns"]):
            return None  # "weak demand", "the rise", "allegations": no stance's object
        anaphoric = any(t.dep_ in ("det", "poss") and t.lower_ in k.sets["anaphoric_determiners"]
                        for t in tok.children)
        if etype in ("Topic", "Policy") and anaphoric and not any(
                t.pos_ == "PROPN" or t.text[:1].isupper() and t.i > span.start for t in span):
            # "the law", "the proposals": it points at something named elsewhere; a
            # policy phrase is the article's policy named last before it, else nothing
            if etype == "Topic":
                return None
            # a policy phrase is the article's policy named last before it; a lone noun
            # ("the scheme") with none before names nothing
            named = self._named_policy_before(tok)
            if named is not None:
                return named
        words = [t for t in span if t.dep_ not in ("det", "poss", "nummod", "predet") or t.i == tok.i]
        if etype == "Group" and len([t for t in words if not t.is_punct and t.tag_ != "POS"]) < 2 \
                and any(t.dep_ == "poss" for t in span):
            return None  # "supporters' representatives": no group named once the owner is gone
        words = [t for t in words if not (t.dep_ == "amod" and t.lower_ in k.sets["hypothetical_adjectives"])]
        while words and (words[0].is_punct or words[0].tag_ == "POS" or words[0].dep_ == "case"):
            words = words[1:]
        if not words or all(t.is_stop for t in words):
            return None
        name = tok.doc[words[0].i:tok.i + 1].text
        if name.lower() in k.sets["generic_nouns"]:
            return None
        if etype != "Group" and any(ch.isdigit() for ch in words[0].text) \
                or words[0].lower_ in k.sets["quantifier_words"]:
            return None  # "the 138p a share offer", "as many ordinary members": no thing named
        before = tok.doc[words[0].i - 1] if words[0].i > 0 else None
        after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if etype == "Topic" and before is not None and before.text in ('"', "\u201c", "'", "\u2018") \
                and after is not None and after.text in ('"', "\u201d", "'", "\u2019"):
            return None  # blamed "cock-up not conspiracy": quoted words, not a topic
        ent = st.add_entity(name, etype, synthetic=True)
        ent.mentions.append((words[0].i, tok.i + 1))
        return ent

    def _agent_of_event(self, tok: Token, verbs: frozenset[str]) -> Entity | None:
        """Who did the act an event noun refers back to ("the veto" after "X blocked Y"):
        the subject of the last earlier claim whose trigger is one of ``verbs``."""
        best = None
        for claim in self.st.claims:
            trigger = tok.doc[claim.trigger]
            if claim.trigger < tok.i and lemma_of(trigger) in verbs and claim.relation != "RELATED_TO":
                if best is None or claim.trigger > best.trigger:
                    best = claim
        return self.st.entities[best.subject] if best is not None else None

    def _named_policy_before(self, tok: Token) -> Entity | None:
        """The policy named last before a token ("the Inflation Reduction Act ... the
        law"), or described by a phrase of several words ("U.S. export controls ... the
        rules"); a name wins over a phrase."""
        best: tuple[bool, int, Entity] | None = None
        for ent in self.st.entities:
            if ent.type != "Policy" or (ent.synthetic and len(ent.name.split()) < 2):
                continue
            for start, _ in ent.mentions:
                key = (not ent.synthetic, start)
                if start < tok.i and (best is None or key > best[:2]):
                    best = (*key, ent)
        return best[2] if best else None

    def _deal_parties(self, tok: Token, depth: int = 0) -> list[tuple[Entity, Token]]:
        """The companies of a deal noun: "the merger of Siemens' rail business with
        Alstom", "short-selling of Wirecard shares", "Exxon's takeover of Pioneer"."""
        out: list[tuple[Entity, Token]] = []
        if depth > 2 or (lemma_of(tok) not in self.k.sets["deal_nouns"]
                         and tok.lower_ not in self.k.sets["deal_nouns"]):
            return out
        for c in tok.children:
            if c.dep_ == "poss" and c.i in self.st.token_entity:
                out.append((self.st.entities[self.st.token_entity[c.i]], c))
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i in self.st.token_entity:
                out.append((self.st.entities[self.st.token_entity[c.i]], c))
            if c.dep_ == "prep" and (c.lower_ in ("of", "with", "between", "by") or c.lower_ == "from"
                                     and lemma_of(tok) in self.k.sets["offer_nouns"]):
                # ("a rival bid from Siemens": who makes the offer)
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    for q in conjuncts(p):
                        e = self.st.entity_at(q.i)
                        if e is not None and not e.synthetic:
                            out.append((e, q))
                        else:
                            out += self._owners_of(q)
                            out += self._deal_parties(q, depth + 1)
                            # "the merger of X's business with Y": the parser hangs "with" low
                            out += [(e, r) for w in q.children if w.dep_ == "prep" and w.lower_ == "with"
                                    for r in w.children if r.dep_ == "pobj"
                                    for e in [self.st.entity_at(r.i)] if e is not None and not e.synthetic]
        return [(e, t) for n, (e, t) in enumerate(out) if e.idx not in {x.idx for x, _ in out[:n]}]

    def _owners_of(self, tok: Token) -> list[tuple[Entity, Token]]:
        """"Siemens' rail business": the possessor of a possessed common noun."""
        return [(self.st.entities[self.st.token_entity[c.i]], c) for c in tok.children
                if c.dep_ == "poss" and c.i in self.st.token_entity and tok.pos_ == "NOUN"]

    def _entities(self, tok: Token, *, synthetic: str | None = None) -> list[tuple[Entity, Token]]:
        out = []
        if tok.i in self.st.plural:
            return [(self.st.entities[i], tok) for i in self.st.plural[tok.i]]
        if synthetic == "owner" and tok.i not in self.st.token_entity:
            parties = self._deal_parties(tok)
            if parties:
                return parties
        if tok.i not in self.st.token_entity and tok.pos_ == "NOUN" and tok.tag_ == "NNS":
            # "bankrolled opposition parties, including Yabloko": the named members
            named = [(e, p) for c in tok.children if c.dep_ == "prep" and (
                         c.lower_ in ("including", "like")
                         or c.lower_ == "as" and tok.doc[c.i - 1].lower_ == "such")
                     for x in c.children if x.dep_ == "pobj" for p in conjuncts(x)
                     for e in [self._entity(p)] if e is not None]
            if named:
                return named
        for t in conjuncts(tok):
            e = self._entity(t, synthetic=synthetic)
            if e is not None:
                out.append((e, t))
        return out

    # -- claims -------------------------------------------------------------

    def _emit(self, subj: Entity, relation: str, obj: Entity, trigger: Token,
              qualifiers: dict[str, Any], confidence: float, source: str,
              arg_tokens: tuple[Token, ...] = ()) -> None:
        if subj.idx == obj.idx:
            return
        if relation != "RELATED_TO":
            if not self._fits(relation, subj, obj):
                return
            if obj.type == "Topic" and not self.k.is_stance(relation) and relation != "LOBBIES":
                return
        if self._question(trigger):
            return  # "Should the UK approve the treaty?": asked, not said
        if relation in ("SUPPORTS", "OPPOSES") and subj.kind == "court":
            return  # "the Court of Appeal backed the Home Office": a ruling, no stance
        if relation != "RELATED_TO":
            alleged, alleger = self._allegation(trigger)
            if alleged and alleger is None:
                return  # "X has been accused of bribing Y": nobody named says so; no fact
        ends = "direct"
        for t in arg_tokens:
            if t.i in self._coref_tokens:
                confidence *= 0.9
                ends = "coref"
        if subj.synthetic or obj.synthetic:
            confidence *= 0.9
            ends = "phrase"
        if relation in ("PRAISES", "CRITICIZES") and source.startswith("evaluation") and any(
                c.subject == subj.idx and c.object == obj.idx and c.relation in ("WORKS_FOR", "MEMBER_OF")
                for c in self.st.claims):
            return  # a spokesman's words about his own organisation are no judgement of it
        if relation in ("OWNS", "INVESTS_IN", "ACQUIRED"):
            share = self._share_percent(trigger)
            if share is not None and (relation != "ACQUIRED" or share < 50):
                # a majority holding owns, a minority one invests ("agreed to buy 33%")
                relation = "OWNS" if share > 50 else "INVESTS_IN"
                qualifiers = {**qualifiers, "amount": qualifiers.get("amount") or f"{share:g}%"}
        if ends == "direct" and self.st.quote_at(trigger.idx) is not None:
            ends = "quote"
        quote = self.st.quote_at(trigger.idx)
        if quote is not None and quote.speaker is not None and quote.speaker not in (subj.idx, obj.idx) \
                and not qualifiers.get("attributed_to"):
            # "'He is a strong Labour member,' Prescott said": Prescott's claim about him
            qualifiers = {**qualifiers, "attributed_to": self.st.entities[quote.speaker].id}
        signals = (source.split(":")[0], relation, ends)
        sent = self.st.sentence(trigger)
        quals = {k: v for k, v in qualifiers.items() if v}
        quals.setdefault("polarity", "asserted")
        quals.setdefault("modality", "actual")
        clause = frozenset(t.i for t in trigger.subtree)
        for c in self.st.claims:
            if (c.subject, c.relation, c.object, c.sent_start) == (subj.idx, relation, obj.idx, sent.start):
                for key, value in quals.items():
                    if key not in c.qualifiers or c.qualifiers[key] in ("asserted", "actual"):
                        c.qualifiers[key] = value
                if confidence > c.confidence:
                    c.confidence, c.signals = confidence, signals
                return
        self.st.claims.append(RawClaim(
            subject=subj.idx, relation=relation, object=obj.idx, sent_start=sent.start,
            sent_end=sent.end, trigger=trigger.i, qualifiers=quals,
            confidence=min(1.0, confidence), source=source, clause=clause, signals=signals,
        ))

    def _appointed_role(self, verb: Token, subj: Entity, obj: Entity, quals: dict[str, Any],
                        args: tuple[Token, ...]) -> None:
        """"Petrobras appointed X as chief executive": X holds the role at Petrobras (or at
        the organisation the role names: "named X chief executive of Y"), with the
        appointment's modality (a nomination not yet made stays hypothetical)."""
        roles = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("as", "to")
                 for p in c.children if p.dep_ == "pobj"]
        roles += [c for c in verb.children if c.dep_ == "oprd" and c.i not in self.st.token_entity]
        for role_tok in roles:
            found = role_at(self.doc, role_tok.i, self.k)
            if found is None:
                continue
            spec = self.k.roles[found[1]]
            relation = spec["relation"]
            if relation not in ("LEADS", "WORKS_FOR", "MEMBER_OF") or obj.type != "Person":
                continue
            org = next((self.st.entity_at(p.i) for c in role_tok.children if c.dep_ == "prep"
                        and c.lower_ in ("of", "at") for p in c.children
                        if p.dep_ == "pobj" and self.st.entity_at(p.i) is not None), None)
            org = org or (subj if subj.type == "Organization" else None)
            if org is None or org.idx == obj.idx or org.synthetic or not org.name[:1].isupper():
                continue
            role_text = self.doc[found[0]:role_tok.i + 1].text
            for claim in self.st.claims:  # the appointment's role: the role words, no more
                if (claim.subject, claim.relation, claim.object) == (subj.idx, "APPOINTS", obj.idx):
                    claim.qualifiers["role"] = role_text
            q = {k: v for k, v in quals.items() if k in ("modality", "polarity", "attributed_to", "time")}
            self._emit(obj, relation, org, verb, {**q, "role": role_text}, 0.75, "appointed", args)

    @staticmethod
    def _share_percent(trigger: Token) -> float | None:
        """The percentage of a holding the trigger speaks of ("owns 15 percent of X",
        "a 60% stake in X", "holds 30 per cent of X"), or None."""
        near = [trigger, *(c for c in trigger.children if c.dep_ in ("dobj", "obj", "attr")),
                *(p for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("for", "of")
                  for p in c.children if p.dep_ == "pobj")]
        for tok in near:
            for t in tok.subtree:
                if t.lower_ in ("percent", "%", "cent", "pc") and abs(t.i - trigger.i) <= 8:
                    for n in (t.doc[t.i - 1], t.doc[t.i - 2] if t.i >= 2 else t):
                        try:
                            return float(n.text.replace(",", ""))
                        except ValueError:
                            continue
                if t.like_num and t.text.endswith("%"):
                    try:
                        return float(t.text[:-1])
                    except ValueError:
                        continue
        return None

    def _fits(self, relation: str, subj: Entity, obj: Entity) -> bool:
        """The ontology's types, with a country standing for its government: a
        government acting as one body is its country (ONTOLOGY.md, conventions),
        so a country may own, fund, sue or regulate as an organization does."""
        if self.k.fits(relation, subj.type, obj.type):
            return True
        s_types = {subj.type} | ({"Organization"} if subj.kind == "country" else set())
        o_types = {obj.type} | ({"Organization"} if obj.kind == "country"
                               and relation.lower() in self.k.sets["government_object_relations"] else set())
        return any(self.k.fits(relation, a, b) for a in s_types for b in o_types)

    def _choose(self, relations: tuple[str, ...], subj: Entity, obj: Entity) -> str | None:
        for rel in relations:
            if self._fits(rel, subj, obj):
                return rel
        # the verb is evidence of type: "X was acquired by Y" makes X an organization
        # when nothing but the small model's label said otherwise
        for rel in relations:
            spec = self.k.relation_types[rel]
            for ent, side in ((subj, "domain"), (obj, "range")):
                allowed = spec.get(side, "any")
                if allowed == "any" or ent.type in allowed or not self._weak(ent):
                    continue
                other = obj if ent is subj else subj
                preferred = sorted(allowed, key=lambda t: (t != "Person" or not ent.votes.get("Person"),
                                                           t != "Organization"))
                for candidate in preferred:
                    if candidate in ("Organization", "Person", "Product") and (
                            self.k.fits(rel, candidate, other.type) if ent is subj
                            else self.k.fits(rel, other.type, candidate)):
                        ent.type = candidate
                        return rel
        return None

    @staticmethod
    def _weak(ent: Entity) -> bool:
        """An entity typed only by a label or two of the statistical model."""
        return not ent.gazetteer and not ent.synthetic and sum(ent.votes.values()) <= 2

    # -- roles and parties --------------------------------------------------

    def _roles(self) -> None:
        doc, st, k = self.doc, self.st, self.k
        for f in find_roles(doc, st, k):
            if f.org is None:
                continue
            spec = k.roles[f.key]
            types = set(spec.get("holder") or k.default_holder)
            holder_toks = f.holders or ((f.token,) if f.person_token is None else (f.person_token,))
            for holder_tok in holder_toks:
                holder_idx = st.token_entity.get(holder_tok)
                if holder_idx is None:
                    continue
                holder, org = st.entities[holder_idx], st.entities[f.org]
                if holder.type not in types or holder.idx == org.idx:
                    continue
                if org.type == "Place" and not f.places_ok:
                    continue
                if "object_kinds" in spec and org.kind not in spec["object_kinds"]:
                    continue
                relation = f.relation or spec["relation"]
                if self.k.country_names.get(org.name.lower(), org.name) in (spec.get("not_heads_of") or ()):
                    continue  # "the UK chancellor" keeps the Treasury, not the country
                if not relation:
                    continue  # a title naming an office, not an employer ("Attorney General")
                inverse = bool(spec.get("inverse"))
                if holder.type == "Organization" and spec.get("organization_holder"):
                    # "its Korean partner SK On": the organization's own relation
                    relation = spec["organization_holder"]["relation"]
                    inverse = bool(spec["organization_holder"].get("inverse"))
                quals: dict[str, Any] = {}
                if holder.type == "Person":
                    quals["role"] = f.role_text
                if relation in ("LEADS", "WORKS_FOR", "MEMBER_OF", "ADVISES", "OWNS", "INVESTS_IN"):
                    quals["status"] = "former" if f.former else None  # "its former parent X"
                if relation == "FOUNDED" and f.role_text.lower().replace("-", "").startswith("cofounder"):
                    quals["role"] = "co-founder"
                trigger = doc[f.token]
                subj, obj = (org, holder) if inverse else (holder, org)
                if relation == "OWNS" and obj.type == "Person" and subj.type == "Organization":
                    subj, obj = obj, subj  # "Berlusconi's holding company Fininvest": he owns it
                self._emit(subj, relation, obj, trigger, quals, 0.85, "role", (doc[holder_tok],))
        self._possessed_products()

    def _possessed_products(self) -> None:
        """"Apple's Safari browser", "its H20 accelerator": the owner makes the product.
        Only a product the gazetteer knows or a noun calls one ("browser", not "stadium")."""
        doc, st = self.doc, self.st
        for ent in st.entities:
            if ent.type != "Product":
                continue
            for start, end in ent.mentions:
                head = doc[end - 1]
                noun = head.head if head.dep_ == "compound" else head
                pair = f"{doc[noun.i - 1].lower_} {noun.lower_}" if noun.i > 0 else ""
                described = noun.i != head.i and self.k.descriptions.get(lemma_of(noun)) == "Product" \
                    and self.k.descriptions.get(pair, "Product") == "Product"  # not "investment vehicle"
                if not (ent.gazetteer or described):
                    continue
                for child in noun.children:
                    if child.dep_ != "poss" or child.i not in st.token_entity:
                        continue
                    owner = st.entities[st.token_entity[child.i]]
                    if owner.type == "Organization":
                        self._emit(owner, "PRODUCES", ent, noun, {}, 0.6, "possessive", (child,))
                if noun.dep_ == "appos" or any(c.dep_ == "appos" for c in noun.children):
                    others = [noun.head] if noun.dep_ == "appos" else [
                        c for c in noun.children if c.dep_ == "appos"]
                    for other in others:
                        for child in other.children:
                            if child.dep_ == "poss" and child.i in st.token_entity:
                                owner = st.entities[st.token_entity[child.i]]
                                if owner.type == "Organization":
                                    self._emit(owner, "PRODUCES", ent, other, {}, 0.6,
                                               "possessive", (child,))

    def _personal_companies(self) -> None:
        """"Kosmos, the company of footballer Tomas Kral", "Kral's investment vehicle,
        Kosmos": a company called a person's is the person's (OWNS). Only a person named by
        name (not "his company") and a company named beside the noun."""
        doc, st = self.doc, self.st
        for noun in (doc[i] for i in indices_of(doc, self.k.sets["owned_company_nouns"], lemmas=True)):
            if noun.pos_ != "NOUN":
                continue
            owners = [c for c in noun.children if c.dep_ == "poss" and c.i < noun.i]
            owners += [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"]
            owners = [t for t in owners if t.i not in self._coref_tokens and t.pos_ == "PROPN"]
            people = [(e, t) for t in owners for e in [st.entity_at(t.i)]
                      if e is not None and e.type == "Person"]
            named = [noun.head] if noun.dep_ == "appos" else []
            named += [c for c in noun.children if c.dep_ == "appos" and c.i > noun.i]
            companies = [(e, t) for t in named for e in [st.entity_at(t.i)]
                         if e is not None and e.type == "Organization" and not e.synthetic]
            for person, ptok in people:
                for company, ctok in companies:
                    self._emit(person, "OWNS", company, noun, {}, 0.6, "possessive", (ptok, ctok))

    def _affiliations(self) -> None:
        """"Phillip Lieberman of Brown University said ...", "Gilmore, of the Downtown
        Seattle Association": a person named with "of" an organisation works for it (a
        party or parliament: is a member of it)."""
        doc, st = self.doc, self.st
        for ent in st.entities:
            if ent.type != "Person":
                continue
            for start, end in ent.mentions:
                head = doc[end - 1]
                # right after the name ("X of Y", "X, of Y"); "X, 30, of Boothbay" is a home town
                # "said Jane Foster at Capital Economics": at an organisation, as its subject
                subject = head.dep_ in ("nsubj", "nsubjpass") or head.dep_ == "conj" and any(
                    a.dep_ in ("nsubj", "nsubjpass") for a in head.ancestors if a.pos_ == "PROPN")
                preps = [c for c in head.children if c.dep_ == "prep" and (
                    c.lower_ == "of" or c.lower_ == "at" and subject)
                         and (c.i == end or c.i == end + 1 and doc[end].text == ",")]
                # "James Blight and David Welch of Harvard": the last name's "of" is for both
                for other in head.children if not preps else ():
                    mate = st.entity_at(other.i)
                    if other.dep_ == "conj" and mate is not None and mate.type == "Person" \
                            and mate.idx != ent.idx:
                        mate_end = next((b for a, b in mate.mentions if a <= other.i < b), other.i + 1)
                        preps += [c for c in other.children if c.dep_ == "prep" and c.lower_ == "of"
                                  and c.i == mate_end]
                for prep in preps:
                    for p in prep.children:
                        org = st.entity_at(p.i)
                        if p.dep_ != "pobj" or org is None or org.type != "Organization" or org.synthetic:
                            continue
                        if len(org.name.split()) < 2 and self._weak(org):
                            continue  # "Mary Campbell of Clover": a one-word name the model guessed
                        self._emit(ent, membership(org), org, prep, {}, 0.6, "affiliation", (head, p))
                # "the BBC's Nick Robinson", "Labour's Gordon Brown": named as the organisation's
                # (a person by a name, a title or more than one vote of the model)
                sure = len(ent.name.split()) > 1 or ent.titles or not self._weak(ent)
                for poss in head.children if sure else ():
                    org = st.entity_at(poss.i) if poss.dep_ == "poss" and poss.i < start else None
                    if org is None or org.type != "Organization" or org.synthetic or org.idx == ent.idx \
                            or self._weak(org) \
                            or poss.i not in {t for s, e in org.mentions for t in range(s, e)}:
                        continue  # (a description resolved to it, "the company's X", says less)
                    self._emit(ent, membership(org), org, poss, {}, 0.6, "affiliation", (head, poss))

    def _state_owned(self) -> None:
        """"China's state-owned CRRC", "Sela, a Saudi state-owned company", "the Russian
        state oil company": the named state OWNS the company (ONTOLOGY.md, conventions).
        With no state named ("state-owned Rosneft"), nothing is claimed."""
        doc, st, k = self.doc, self.st, self.k
        for tok in (doc[i] for i in indices_of(doc, k.sets["state_words"])):
            if tok.lower_ in k.sets["state_words"] and tok.dep_ in ("npadvmod", "compound") \
                    and tok.head.lower_ in k.sets["state_owned_participles"]:
                noun = tok.head.head  # "state-owned trainmaker"
            elif tok.lower_ in k.sets["state_words"] and tok.dep_ == "compound" \
                    and k.descriptions.get(lemma_of(tok.head)) == "Organization":
                noun = tok.head  # "the Russian state oil company"
            else:
                continue
            owned = st.entity_at(noun.i)
            if owned is None and noun.dep_ in ("compound", "appos") and noun.head.i in st.token_entity:
                owned = st.entity_at(noun.head.i)
            if owned is None:
                owned = next((st.entity_at(c.i) for c in noun.children
                              if c.dep_ == "appos" and c.i in st.token_entity), None)
            if owned is None or owned.type != "Organization":
                continue
            country = None
            holders = [noun, noun.head] if noun.dep_ in ("compound", "appos") else [noun]
            for holder in holders:
                for c in holder.children:
                    if c.dep_ == "poss" and st.entity_at(c.i) is not None \
                            and st.entity_at(c.i).name in k.countries:
                        country = st.entity_at(c.i).name
                    elif c.dep_ in ("amod", "compound") and c.lower_ in k.demonyms:
                        country = k.demonyms[c.lower_]
            if country is None:
                continue
            state_ent = st.add_entity(country, "Place", kind="country", gazetteer=True)
            self._emit(state_ent, "OWNS", owned, tok, {}, 0.8, "state-owned")

    def _parties(self) -> None:
        doc, st, k = self.doc, self.st, self.k
        tags = [i + 1 for i in indices_of(doc, frozenset({"-"})) if i + 1 < len(doc)]
        for tok in (doc[i] for i in tags):  # "Sen. Ron Wyden, D-Ore.": a US party-state tag
            letter = party_state(tok)
            before = tok.i - 4  # "Ron Wyden , D - Ore.": the name right before the tag
            member = st.entity_at(before) if letter and before >= 0 and doc[before + 1].text == "," else None
            party_name = k.party_words.get(k.cues.get("party_letters", {}).get(letter, "")) if letter else None
            if member is not None and member.type == "Person" and party_name:
                party = st.add_entity(party_name, "Organization")
                self._emit(member, "MEMBER_OF", party, tok, {}, 0.75, "party")
        for tok in (doc[i] for i in indices_of(doc, frozenset(k.party_words))):
            if tok.text not in k.party_words:
                continue
            previous = doc[tok.i - 1].text if tok.i > 0 else ""
            party_name = k.party_word(previous, tok.text)  # ("Liberal Democrat": two words)
            if f"{previous} {tok.text}" not in k.party_words \
                    and previous.lower() in k.sets["party_word_blockers"]:
                # "a Social Democrat", "Christian Democrats": another country's party, the
                # one the article names ("the Social Democratic Party of Germany") if any
                stem = f"{doc[tok.i - 1].lower_} {tok.lower_}".rstrip("s")
                named_parties = {e.name for e in st.entities if e.type == "Organization"
                                 and e.name.lower().startswith(stem)}
                if len(named_parties) != 1:
                    continue
                party_name = named_parties.pop()
            named = st.entity_at(tok.i)
            if named is not None and named.type == "Person" and any(
                    start < tok.i < end for start, end in named.mentions):
                continue  # "Al Aynsley-Green", "Philip Green": a surname in the name, no party
            member: Entity | None = None
            if tok.i in st.token_entity and st.entities[st.token_entity[tok.i]].type == "Person":
                member = st.entities[st.token_entity[tok.i]]  # "the Michigan Republican"
            elif tok.dep_ == "appos" and st.entity_at(tok.head.i) is not None \
                    and st.entity_at(tok.head.i).type == "Person":
                member = st.entity_at(tok.head.i)  # "Ashley Moody, a Republican"
            else:
                head = tok.head
                if head.i in st.token_entity and st.entities[st.token_entity[head.i]].type == "Person" \
                        and tok.dep_ in ("compound", "amod", "nmod"):
                    member = st.entities[st.token_entity[head.i]]
                elif head.lower_.rstrip(".") in {w.rstrip(".") for w in k.party_person_nouns}:
                    holder = head.head if head.dep_ == "compound" else None
                    if holder is not None and holder.i in st.token_entity:
                        member = st.entities[st.token_entity[holder.i]]
                    elif head.dep_ == "appos" and head.head.i in st.token_entity:
                        member = st.entities[st.token_entity[head.head.i]]
                    else:  # "the former Tory leader, Iain Duncan Smith,"
                        named = [st.entity_at(c.i) for c in head.children if c.dep_ == "appos"
                                 and c.pos_ == "PROPN" and st.entity_at(c.i) is not None]
                        member = named[0] if named else None
            if member is None or member.type != "Person":
                continue
            member_tok = tok.head if tok.head.i in st.token_entity else tok
            appositive = member_tok.dep_ == "appos" and member_tok.head.pos_ == "PROPN" or any(
                c.dep_ == "appos" and c.pos_ == "PROPN" and st.entity_at(c.i) is member
                for c in member_tok.children)  # "the Tory leader, Michael Howard,"
            if member_tok.i in self._coref_tokens and not appositive and not (
                    {t.lower().rstrip(".") for t in member.titles} & k.sets["political_titles"]):
                continue  # "the Tory leader" bound to someone with no political title: too loose
            party = st.add_entity(party_name, "Organization")
            party.aliases.add(tok.text)
            self._emit(member, "MEMBER_OF", party, tok, {}, 0.75, "party")
            head = tok.head
            if tok.dep_ in ("compound", "amod", "nmod") and head.lower_ in k.sets["party_head_roles"] \
                    and not any(c.i < head.i and c.i != tok.i and c.dep_ in ("amod", "compound", "nmod")
                                and c.lower_.rstrip("-") not in k.former_markers for c in head.children) \
                    and not (tok.i > 0 and doc[tok.i - 1].lower_ in k.junior_markers
                             | k.sets["regional_demonyms"]):
                # "Tory leader Michael Howard", "the Conservative leader": he leads the party
                # (not "deputy leader", "Scottish Tory leader"); "former Labour leader": led it
                former = tok.i > 0 and (doc[tok.i - 1].lower_.rstrip("-") in k.former_markers
                                        or doc[tok.i - 1].lower_.startswith("ex-"))
                self._emit(member, "LEADS", party, head,
                           {"role": head.text, "status": "former" if former else None}, 0.75, "party")
            # "the top Democrat on the Environment and Public Works Committee"
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "on"):
                    for p in child.children:
                        body = st.entity_at(p.i)
                        if p.dep_ == "pobj" and body is not None and body.type == "Organization":
                            self._emit(member, "MEMBER_OF", body, tok, {}, 0.7, "party")

    # -- verbs ----------------------------------------------------------------

    def _passive(self, verb: Token) -> bool:
        return is_passive(verb)

    def _subject_tokens(self, verb: Token) -> list[Token]:
        return subject_tokens(verb)

    @staticmethod
    def _co_subjects(verb: Token) -> list[Token]:
        """Who acts beside the subject: "X bought Y together with Z", "along with Z, X sued"."""
        out = []
        objects = [c.i for c in verb.children if c.dep_ in ("dobj", "obj")]
        for prep in verb.children:
            if objects and prep.i > min(objects) and (
                    prep.lower_ == "along" or any(c.lower_ == "along" for c in prep.children)):
                continue  # "bought the Savoy along with Claridge's": more things bought
            withs = [prep] if prep.lower_ == "with" and any(
                c.lower_ in ("together", "along", "jointly") for c in prep.children) else []
            withs += [c for c in prep.children if prep.lower_ in ("along", "together")
                      and c.dep_ == "prep" and c.lower_ == "with"]
            out += [p for w in withs for p in w.children if p.dep_ == "pobj"]
        return out

    def _object_tokens(self, verb: Token, slot: str, particle: str | None) -> list[Token]:
        if slot == "dobj":
            if self._passive(verb):
                objs = [c for c in verb.children if c.dep_ == "nsubjpass"]
                if not objs and verb.dep_ == "acl":
                    objs = [verb.head]
                elif not objs and verb.dep_ == "conj" and verb.head.dep_ == "acl":
                    objs = [verb.head.head]  # "X, founded and run by Y"
                return objs
            objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            if not objs:  # "oversees BaFin" parsed as a noun-phrase adverbial
                objs = [c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN"
                        and c.i in self.st.token_entity]
            if objs and objs[0].lower_ in RELATIVE and verb.dep_ == "relcl":
                head = verb.head
                while head.dep_ == "conj":  # "every Model S, Model X and Model Y that Tesla sold"
                    head = head.head
                return [head]
            gap = verb
            if not objs and verb.dep_ == "xcomp" and verb.head.dep_ == "relcl":
                gap = verb.head  # "a super PAC he helped create"
                if any(c.dep_ in ("dobj", "obj") for c in gap.children):
                    return objs
            if not objs and gap.dep_ == "relcl" and not any(
                    c.dep_ in ("nsubjpass", "ccomp", "xcomp") for c in verb.children) and \
                    any(c.dep_ == "nsubj" and c.lower_ not in RELATIVE
                        and not any(t.lower_ == "whose" for t in c.subtree) for c in gap.children):
                objs = [gap.head]  # "the exchange he founded"
            return objs
        if slot == "dative":
            out = []
            for c in verb.children:
                if c.dep_ == "dative":  # "gave Trump money" / "giving $5 to X"
                    pobjs = [p for p in c.children if p.dep_ == "pobj"]
                    out.extend(pobjs or [c])
            return out
        if slot.startswith("prep:"):
            word = slot[5:]
            out = []
            holders = [verb] + [c for c in verb.children if c.dep_ in ("prt", "dobj")]
            for h in holders:
                for c in h.children:
                    if c.dep_ in ("prep", "prt", "agent") and c.lower_ == word:
                        # ("asked on Friday": a time, no one asked)
                        out.extend(p for p in c.children if p.dep_ in ("pobj", "pcomp")
                                   and p.ent_type_ not in ("DATE", "TIME"))
            if not out and verb.pos_ in ("VERB", "AUX"):
                for c in verb.children:  # "negotiated it in secret with X"
                    if c.dep_ != "prep":
                        continue
                    for p in c.children:
                        if p.dep_ == "pobj" and p.pos_ == "NOUN" and p.i not in self.st.token_entity:
                            for pp in p.children:
                                if pp.dep_ == "prep" and pp.lower_ == word:
                                    out.extend(x for x in pp.children if x.dep_ == "pobj")
            return out
        if slot == "nsubj":  # "X received money from Y": the recipient is the subject
            return self._subject_tokens(verb)
        if slot == "defendant":
            head = verb.head
            if verb.dep_ in ("dobj", "obj") and lemma_of(head) in self.k.defendant_verbs:
                return self._subject_tokens(head)
            return []
        if slot == "compound":
            return [c for c in verb.children if c.dep_ == "compound"]
        if slot == "oprd":  # "named Anna Berg chief executive", the name sometimes parsed
            out = []        # as a modifier of the role it is given
            for c in verb.children:
                if c.dep_ == "oprd":
                    named = [m for m in c.children if m.i < c.i and m.dep_ in ("compound", "nmod")
                             and (e := self.st.entity_at(m.i)) is not None and e.type == "Person"]
                    out += named if c.i not in self.st.token_entity and named else [c]
            return out
        return []

    def _has_particle(self, verb: Token, particle: str | None) -> bool:
        """Whether a frame's particle ("take over", "roll back") is on the verb; a frame
        without one always applies (frames with the verb's own particle win, in ``_verb``)."""
        if particle is None:
            return True
        return any(c.lower_ == particle and c.dep_ in ("prt", "prep", "advmod") for c in verb.children)

    def _verb(self, verb: Token, frames: list[Frame]) -> bool:
        fired = False
        for frame in frames:
            if not self._has_particle(verb, frame.particle):
                continue
            if frame.particle is None and any(c.dep_ == "prt" and any(
                    f.particle == c.lower_ for f in frames) for c in verb.children):
                continue
            if any((c.dep_ == "prt" or c.dep_ in ("advmod", "prep") and c.i == verb.i + 1)
                   and c.lower_ in frame.without_particles for c in verb.children):
                continue  # "pushed out by big issues", "pressed ahead": another verb
            if frame.needs == "money" and any(
                    c.dep_ in ("dobj", "obj") and not self._money_noun(c)
                    and c.ent_type_ != "MONEY" and c.lower_ not in RELATIVE and c.i not in self.st.token_entity
                    for c in verb.children):
                continue  # "steered $2bn contracts to X": goods, no funding
            if frame.needs == "money" and self._passive(verb) and any(
                    c.dep_ == "nsubjpass" and not self._money_noun(c) and c.ent_type_ != "MONEY"
                    and lemma_of(c) not in self.k.beneficiary_nouns for c in verb.children):
                continue  # "Labour is not covered by the service": a person or body covered is no money
            if frame.needs == "money" and not self._money(verb) and (any(
                    c.dep_ in ("dobj", "obj") and not self._money_noun(c)
                    for c in verb.children) or lemma_of(verb) in self.k.sets["amount_only_money_verbs"]
                    and not any(c.dep_ in ("dobj", "obj") for c in verb.children)):
                continue  # "gave a speech to X", "would not commit to any job for X": no
                # funding; "gave heavily to X" is
            if frame.needs == "control" and any(c.dep_ == "ccomp" and any(
                    m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children) for c in verb.children) \
                    and not any(c.dep_ == "xcomp" for c in verb.children):
                continue  # "asked Mr Brown whether the Treasury had ...": a question, no pressure
            if frame.needs == "control" and not any(c.dep_ in ("xcomp", "ccomp") for c in verb.children) \
                    and not any(c.dep_ == "xcomp" for p in verb.children if p.dep_ == "prep"
                                for o in p.children for c in o.children):
                continue
            if lemma_of(verb) in self.k.sets["evaluation_verbs"] and any(
                    c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") for c in verb.children):
                continue  # "called X 'a disaster'" is an evaluation, not a call
            if frame.needs == "share" and self._share_percent(verb) is None:
                continue  # "held talks", "kept Smith": no share of anything
            if frame.needs == "post" and not any(
                    c.dep_ in ("dobj", "obj") and lemma_of(c) in self.k.post_nouns for c in verb.children):
                continue
            if frame.subject_slots:  # "sold X to Y": the buyer is in a prepositional phrase
                subject_toks = [t for slot in frame.subject_slots
                                for t in self._object_tokens(verb, slot, None)]
            else:
                subject_toks = self._subject_tokens(verb)
                if not {"MEETS", "PARTNERS_WITH"} & set(frame.relations):
                    subject_toks = subject_toks + self._co_subjects(verb)
            subjects = [(e, t) for s in subject_toks for e, t in self._entities(s, synthetic="group")]
            if "REGULATES" in frame.relations and any(lemma_of(s) == "board"
                                                      for s in subject_toks):
                continue  # "the company's board approved the takeover": no regulator
            if not subjects:
                continue
            stance = any(self.k.is_stance(r) for r in frame.relations) or "LOBBIES" in frame.relations
            objects: list[tuple[Entity, Token]] = []
            owner_ok = bool(set(frame.relations) & self.k.owner_object_relations)
            for slot in frame.object_slots:
                for o in self._object_tokens(verb, slot, frame.particle):
                    objects += self._entities(o, synthetic="stance" if stance else "group")
                    if not objects and owner_ok and not ("FUNDS" in frame.relations and (
                            lemma_of(o) in self.k.sets["deal_nouns"] or o.lower_ in self.k.sets["deal_nouns"])):
                        # ("finance the purchase of Yugansk" funds the buyer, not Yugansk)
                        objects += self._entities(o, synthetic="owner")
                if objects:
                    break
            if not objects and frame.needs == "money":
                for c in verb.children:  # "will spend $100 million ... to help Joe Biden"
                    if c.dep_ in ("advcl", "xcomp") and lemma_of(c) in self.k.sets["beneficiary_verbs"]:
                        for o in c.children:
                            if o.dep_ in ("dobj", "nsubj", "dative"):
                                objects += self._entities(o)
                        for o in c.children:
                            if o.dep_ in ("ccomp", "xcomp"):
                                objects += [x for g in o.children if g.dep_ == "nsubj"
                                            for x in self._entities(g)]
            if frame.needs == "outlet":  # "told the Financial Times": an interview
                objects = [(o, t) for o, t in objects if self.k.is_outlet(o)]
            if frame.needs == "board":  # "leaving the board of X": no longer a member
                if not any(lemma_of(t) in self.k.sets["board_nouns"] for slot in frame.object_slots
                           for t in self._object_tokens(verb, slot, frame.particle)):
                    continue
                quals_board = {"status": "former"}
            else:
                quals_board = {}
            if frame.needs == "person":  # a one-word "person" the model guessed may be a place
                objects = [(o, t) for o, t in objects if o.type == "Person"
                           and (len(o.name.split()) > 1 or not self._weak(o))]
            if "MEETS" in frame.relations and any(
                    c.dep_ in ("dobj", "obj") and c.pos_ == "NOUN" and c.i not in self.st.token_entity
                    for c in verb.children) and lemma_of(verb) in self.k.sets["call_verbs"]:
                continue  # "called a truce with France", "called an election": no phone call
            if "MEETS" in frame.relations:  # speaking to a parliament or a court is no meeting
                objects = [(o, t) for o, t in objects if o.kind not in ("legislature", "court")]
            objects = [(o, t) for o, t in objects if not self._not_object(verb, frame, t)
                       and not self._possessor(o, t)]
            if not objects:
                continue
            quals = {**self._qualifiers(verb, frame), **quals_board}
            for subj, stok in subjects:
                quals_s = {**quals, **self._attribution(verb, subj)}
                for obj, otok in objects:
                    rel = self._choose(frame.relations, subj, obj)
                    if rel is None:
                        continue
                    if rel == "FUNDS" and obj.kind in self.k.investment_kinds and not frame.subject_slots \
                            and lemma_of(verb) not in self.k.sets["lending_verbs"]:
                        # ("Atlas Foods received $40 million from X": a receipt, of any kind)
                        rel = "INVESTS_IN"  # money put into a company is an investment (a loan is not)
                    if rel in ("LEADS", "WORKS_FOR", "MEMBER_OF") and verb.tag_ == "VBD" \
                            and lemma_of(verb) in self.k.sets["tenure_verbs"] and not quals_s.get("status"):
                        # "He chaired the party in the 1990s", "who briefly ran the office": a
                        # post held in the past (the present says "chairs", "has run")
                        quals_s = {**quals_s, "status": "former"}
                    self._emit(subj, rel, obj, verb, quals_s, 0.8, "verb:" + verb.lemma_,
                               (stok, otok))
                    fired = True
                    if rel == "APPOINTS":
                        self._appointed_role(verb, subj, obj, quals_s, (stok, otok))
            if fired and frame.exclusive:
                break
        return fired

    def _money_noun(self, tok: Token) -> bool:
        """Money by its noun ("loans", "funding") or by a word on it ("financial backing",
        "cash support"); plain "backing" is support."""
        return lemma_of(tok) in self.k.sets["money_nouns"] or any(
            c.dep_ in ("amod", "compound") and c.lower_ in self.k.sets["money_modifiers"] for c in tok.children)

    def _possessor(self, ent: Entity, tok: Token) -> bool:
        """Whether a name taken for an object only owns it: "launching the Department
        for Constitutional Affairs' plan", parsed with the department as the object."""
        doc = self.doc
        for start, end in ent.mentions:
            if start <= tok.i < end:
                return end + 1 < len(doc) and doc[end].tag_ == "POS" and tok.dep_ in ("dobj", "obj") \
                    and doc[end - 1].dep_ == "poss" and doc[end - 1].head.i > end
        return False

    def _not_object(self, verb: Token, frame: Frame, obj: Token) -> bool:
        """Objects a verb's frame does not take in that sense: "to fight the Exeter seat"
        is standing for election, not opposing; "signed the X Treaty" joins it, not
        creates it; "will buy 15 new X jets" buys goods, not a company."""
        k, lemma, head = self.k, lemma_of(verb), lemma_of(obj)
        if lemma in k.sets["contest_verbs"] and (head in k.sets["contest_nouns"] or any(
                lemma_of(c) in k.sets["contest_nouns"] for c in obj.rights if c.i <= obj.i + 3)):
            return True
        ent = self.st.entity_at(obj.i)
        if lemma in k.sets["accession_verbs"] and "CREATED" in frame.relations and ent is not None \
                and ent.name.split()[-1].lower() in k.sets["accession_nouns"]:
            return True
        if "ACQUIRED" in frame.relations and ent is not None and ent.kind in k.sets["unowned_kinds"]:
            return True  # "Fain took over the United Auto Workers": a union is led, not bought
        if "WORKS_FOR" in frame.relations and any(
                c.dep_ in ("dobj", "obj") and lemma_of(c) in k.sets["penal_terms"] for c in verb.children):
            return True  # "serving a life sentence at Soledad Prison": a prisoner, no employee
        if obj.lower_ in ("percent", "%", "cent", "pc") or lemma_of(obj) in k.partitive_words:
            return False  # "buy 20 percent of Alstom": a share of a company
        return "ACQUIRED" in frame.relations and any(
            c.dep_ == "nummod" and self.st.entity_at(c.i) is None  # "Bank One" is a name
            for c in ([obj] + ([obj.head] if obj.dep_ == "compound" else [])) for c in c.children)

    # -- nouns ----------------------------------------------------------------

    def _noun_subjects(self, noun: Token, frame: Frame) -> list[Token]:
        for c in noun.children:
            if c.dep_ == "poss":
                return [c]
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in frame.subject_preps:
                return [p for p in c.children if p.dep_ == "pobj"]
            if c.dep_ == "acl" and is_passive(c):  # "a lawsuit brought by X"
                return self._subject_tokens(c)
        if noun.dep_ in ("dobj", "obj") and lemma_of(noun.head) in self.k.defendant_verbs:
            return []
        head = noun.head
        if lemma_of(noun) in self.k.sets["agent_nouns"] and noun.dep_ not in ("attr", "appos", "compound") \
                and not (noun.dep_ in ("conj",) and noun.head.dep_ in ("attr", "appos")):
            # "hit out at critics of the bill": the critics are others, not who hit out
            return []
        if noun.dep_ in ("dobj", "attr", "nsubjpass", "oprd") and head.pos_ in ("VERB", "AUX"):
            allowed = frame.light_verbs or self.k.light_verbs
            if lemma_of(head) in allowed:
                return self._subject_tokens(head)
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") \
                and head.lower_ in ("in", "at", "during", "after", "with", "on"):
            return self._subject_tokens(head.head)
        if noun.dep_ == "appos" or (noun.dep_ == "compound" and noun.head.pos_ == "PROPN"):
            return [noun.head]
        # "a Securities and Exchange Commission investigation into X"; never for frames
        # whose object is the compound ("Liverpool fans" are fans of Liverpool)
        if "compound" in frame.object_slots:
            return []
        named = [c for c in noun.children if c.dep_ == "compound" and c.i in self.st.token_entity]
        return named[-1:]

    def _measured(self, noun: Token) -> Token:
        """The phrase a noun stands in for when a measure noun holds it: "three
        hours of talks", "a round of talks", "a series of meetings"."""
        while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN" \
                and lemma_of(noun.head.head) in self.k.sets["measure_nouns"]:
            noun = noun.head.head
        return noun

    def _noun(self, noun: Token, frames: list[Frame]) -> None:
        anchor = self._measured(noun)
        frames = [f for f in frames if f.needs != "money" or self._money(noun)
                  or self._money(noun.head)]
        if any(c.dep_ == "amod" and c.lower_ in self.k.sets["criminal_words"] for c in noun.children):
            frames = [f for f in frames if "SUES" not in f.relations]  # a criminal complaint is no suit
        for frame in frames:
            obj_toks: list[Token] = []
            between = False
            for slot in frame.object_slots:
                if slot == "prep:between":
                    for c in noun.children:
                        if c.dep_ == "prep" and c.lower_ == "between":
                            obj_toks += [p for p in c.children if p.dep_ == "pobj"]
                            between = True
                else:
                    obj_toks += self._object_tokens(noun, slot, None)
                    if not obj_toks and anchor.i != noun.i:
                        obj_toks += self._object_tokens(anchor, slot, None)
                    if not obj_toks and slot.startswith("prep:") and anchor.dep_ == "dobj":
                        # "opened investigations into X": the parser hangs the prep on the verb
                        obj_toks += self._object_tokens(anchor.head, slot, None)
                if obj_toks:
                    break
            if not obj_toks:
                continue
            stance = any(self.k.is_stance(r) for r in frame.relations)
            objects = [x for o in obj_toks for x in self._entities(o, synthetic="stance" if stance else "group")]
            if not objects and set(frame.relations) & self.k.owner_object_relations:
                objects = [x for o in obj_toks for x in self._entities(o, synthetic="owner")]
            if between and len(objects) >= 2:
                subjects, objects = objects[:1], objects[1:]
            else:
                subjects = [x for s in self._noun_subjects(noun, frame)
                            for x in self._entities(s, synthetic="group")]
                if not subjects and anchor.i != noun.i:
                    subjects = [x for s in self._noun_subjects(anchor, frame)
                                for x in self._entities(s, synthetic="group")]
            if not subjects or not objects:
                continue
            quals = self._qualifiers(noun, frame)
            light = noun.head if noun.head.pos_ in ("VERB", "AUX") else noun
            quals.update({k: v for k, v in self._polarity_modality(light).items() if v != "asserted"
                          and v != "actual"})
            if set(frame.relations) & {"OWNS", "INVESTS_IN"} and (
                    noun.dep_ in ("dobj", "obj") and lemma_of(noun.head) in self.k.sets["divest_verbs"]
                    or noun.dep_ == "nsubjpass" and lemma_of(noun.head) in self.k.sets["divest_verbs"]):
                quals["status"] = "former"  # "handed over his 59.5% stake in X": held no more
            for subj, stok in subjects:
                q = {**quals, **self._attribution(noun, subj)}
                for obj, otok in objects:
                    rel = self._choose(frame.relations, subj, obj)
                    if rel is not None:
                        self._emit(subj, rel, obj, noun, q, 0.7, "noun:" + noun.lemma_, (stok, otok))

    # -- evaluations ----------------------------------------------------------

    def _stance_of(self, text: str) -> str | None:
        v = valence(text)
        if v >= self.threshold:
            return "PRAISES"
        if v <= -self.threshold:
            return "CRITICIZES"
        return None

    def _speaker_of_clause(self, tok: Token) -> Entity | None:
        """Who says the clause headed by ``tok``: a speech verb above it, or its quote."""
        speech = self.k.sets["stance_report_verbs"] | self.k.sets["speech_verbs"]
        t = tok
        while t.head.i != t.i and t.dep_ in ("ccomp", "conj", "xcomp", "advcl", "parataxis"):
            if t.dep_ in ("ccomp", "parataxis") and lemma_of(t.head) in speech:
                said = t.head
                if said.tag_ == "VBG" and said.dep_ == "acl" and said.head.dep_ in ("dobj", "obj") \
                        and said.head.head.pos_ == "VERB":
                    said = said.head.head  # "Hockney left UKIP saying ...": Hockney says it
                for s in self._subject_tokens(said):
                    e = self._entity(s)
                    if e is not None:
                        return e
                return None
            t = t.head
        quote = self.st.quote_at(tok.idx)
        if quote is not None and quote.speaker is not None:
            return self.st.entities[quote.speaker]
        return None

    def _quoted_text(self, span: Span) -> str:
        text = span.text.strip().lstrip("\u201c\"\u2018' ")
        for mark in ("\u201d", '"'):  # 'deeply flawed" and a waste': the words in the marks
            if mark in text:
                text = text[:text.index(mark)]
        return text.strip("\u201c\u201d\"'\u2018\u2019,. ")

    def _evaluation(self, verb: Token) -> None:
        k = self.k
        lemma = lemma_of(verb)
        if lemma in k.sets["evaluation_verbs"]:
            if any(c.lower_ == "on" and c.dep_ in ("prep", "prt") for c in verb.children):
                return  # "called on industrialised nations to commit": an appeal, no judgement
            targets = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "nsubjpass")]
            comps = [c for c in verb.children if c.dep_ in ("oprd", "attr", "xcomp", "acomp", "ccomp")]
            if len(targets) >= 1:
                target = targets[0]
                comps = [c for c in comps if c.i != target.i] or [c for c in targets[1:]] or [
                    c for c in target.children  # 'called the Act "a disaster"' (parsed as apposition)
                    if c.dep_ == "appos" and self.st.quote_at(c.idx) is not None]
                if not comps:  # "dismissed the order as 'crap'" (the "as" may hang on the object)
                    for c in [*verb.children, *target.children]:
                        if c.dep_ == "prep" and c.lower_ == "as":
                            comps += [p for p in c.children if p.dep_ == "pobj"]
                if comps:
                    comp_span = self.doc[comps[0].left_edge.i:comps[0].right_edge.i + 1]
                    core = [t.text for t in comps[0].subtree if not any(
                        a.dep_ == "prep" and a.i != comps[0].i and a.head.i == comps[0].i
                        for a in [t, *t.ancestors] if a.i != comps[0].i)]
                    relation = self._stance_of(" ".join(core)) or self._stance_of(comp_span.text)
                    subjects = [x for s in self._subject_tokens(verb) for x in self._entities(s)]
                    objects = [] if target.lower_ == "it" else self._entities(target, synthetic="stance")
                    if relation:
                        for subj, stok in subjects:
                            for obj, otok in objects:
                                quals = {"quote": self._quoted_text(comp_span),
                                         **self._qualifiers(verb, None)}
                                self._emit(subj, relation, obj, verb, quals, 0.65, "evaluation:call",
                                           (stok, otok))
            return
        # "X is 'very nice'" / "X had been 'a failure'" said by someone else
        if lemma == "be":
            subj_toks = [c for c in verb.children if c.dep_ == "nsubj"]
            preds = [c for c in verb.children if c.dep_ in ("attr", "acomp")]
            if not subj_toks or not preds:
                return
            if (lemma_of(preds[0]) in self.k.noun_frames or lemma_of(preds[0]) in self.k.roles) and abs(
                    valence(" ".join(c.text for c in preds[0].children if c.dep_ in ("amod", "advmod")
                                     or c.dep_ == "amod"))) < 0.4:
                return  # "is a huge fan of X" is a relation of its own; "a very bad shareholder" judges
            speaker = self._speaker_of_clause(verb)
            if speaker is None:
                return
            if any(c.dep_ == "neg" for c in verb.children) or any(
                    c.dep_ == "aux" and lemma_of(c) in self.k.sets["modal_auxiliaries"]
                    for c in verb.children):
                return  # "was not interested", "would be ready": no judgement of X
            pred_span = self.doc[preds[0].left_edge.i:preds[0].right_edge.i + 1]
            if not any(self.st.quote_at(t.idx) for t in pred_span):
                return  # a paraphrase ("said results were ready") judges nothing
            relation = self._stance_of(pred_span.text)
            if relation is None:
                return
            for obj, otok in self._entities(subj_toks[0], synthetic="stance"):
                short = len([t for t in pred_span if not t.is_punct]) <= 3
                if obj.idx == speaker.idx or obj.type in ("Topic", "Place") or not (
                        self._named_here(otok, obj) or obj.synthetic and short and obj.type in ("Policy", "Product")):
                    continue  # "they are still pretty healthy": a pronoun is too weak a target
                quals = {"quote": self._quoted_text(pred_span),
                         **self._polarity_modality(verb)}
                self._emit(speaker, relation, obj, verb, quals, 0.6, "evaluation:be", (otok,))
            return
        # "he claimed electric cars will 'kill' the industry"
        if verb.dep_ == "ccomp" and lemma_of(verb.head) in k.sets["stance_report_verbs"]:
            subj_toks = [c for c in verb.children if c.dep_ == "nsubj"]
            if not subj_toks:
                return
            speaker = self._speaker_of_clause(verb)
            if speaker is None:
                return
            subj_ids = {t.i for t in subj_toks[0].subtree}
            said_quote = self.st.quote_at(verb.idx)
            # "'Exports remain strong,' he said": a quoted statement judges a named target only,
            # and only strongly; scare quotes in a paraphrase may judge a phrase
            statement = said_quote is not None and any(
                self.st.quote_at(self.doc[i].idx) is said_quote for i in subj_ids)
            if not any(self.st.quote_at(t.idx) for t in [verb, *(c for c in verb.children if c.dep_ in (
                    "acomp", "attr", "dobj", "xcomp", "oprd"))]):
                return  # the quoted words must be what the clause says of its subject
            # the judgement is the quoted words' ('claimed Labour had "developed" the notion
            # that it was the natural party' praises nothing)
            said = " ".join(t.text for t in verb.subtree if t.i not in subj_ids and self.st.quote_at(t.idx))
            quoted = bool(said)
            v = valence(said)
            if abs(v) < max(self.threshold, 0.5 if statement else 0.4) or not quoted:
                return
            relation = "PRAISES" if v > 0 else "CRITICIZES"
            quoted_words = [t for t in verb.subtree if self.st.quote_at(t.idx) and t.i not in subj_ids
                            and not t.is_punct]
            for obj, otok in self._entities(subj_toks[0], synthetic="stance"):
                if obj.idx == speaker.idx or obj.type == "Place":
                    continue  # ("Britain is heading in the wrong direction": a state of things)
                if not self._named_here(otok, obj) and not (
                        obj.synthetic and len(quoted_words) <= 2 and not statement):
                    continue  # a named target, or a phrase judged by a word in scare quotes
                if obj.idx != speaker.idx:
                    quote = " ".join(self._quoted_text(self.doc[t.i:t.i + 1]) for t in verb.subtree
                                     if self.st.quote_at(t.idx) and t.i not in subj_ids and not t.is_punct)
                    self._emit(speaker, relation, obj, verb, {"quote": quote}, 0.55, "evaluation:claim",
                               (otok,))

    def _named_here(self, tok: Token, ent: Entity) -> bool:
        """Whether the entity is named or described at this token (not a pronoun, not a
        phrase made an entity)."""
        if ent.synthetic:
            return False
        if tok.pos_ == "PRON":  # "she is very nice": a person; "it", "they" are too loose
            return ent.type == "Person" and self.k.pronouns.get(tok.lower_) == "person_singular"
        return tok.pos_ in ("PROPN", "NOUN")

    # -- open relations -------------------------------------------------------

    def _related(self, verb: Token) -> None:
        if lemma_of(verb) in self._speech_report:
            return
        subjects = [x for s in self._subject_tokens(verb) for x in self._entities(s)]
        if not subjects:
            return
        objects = []
        for c in verb.children:
            if c.dep_ in ("dobj",) or (self._passive(verb) and c.dep_ == "nsubjpass"):
                objects += self._entities(c)
        predicate = lemma_of(verb)
        if not objects:
            for c in verb.children:
                if c.dep_ == "prep":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            got = self._entities(p)
                            if got:
                                objects += got
                                predicate = f"{predicate} {c.lower_}"
        objects = [(o, t) for o, t in objects if not o.synthetic]
        if not objects:
            return
        quals = self._qualifiers(verb, None)
        for subj, stok in subjects:
            for obj, otok in objects:
                if subj.synthetic:
                    continue
                q = {**quals, **self._attribution(verb, subj), "predicate": predicate}
                self._emit(subj, "RELATED_TO", obj, verb, q, 0.4, "related", (stok, otok))

    # -- qualifiers -----------------------------------------------------------

    def _money(self, tok: Token) -> str | None:
        if tok.dep_ == "relcl" and tok.head.ent_type_ == "MONEY":  # "the $400 million that he gave"
            for ent in self.st.sentence_ents(tok):
                if ent.label_ == "MONEY" and ent.start <= tok.head.i < ent.end:
                    return ent.text
        for ent in self.st.sentence_ents(tok):
            if ent.label_ != "MONEY":
                continue
            for anc in [ent.root, *walk_up(ent.root)]:
                if anc.i == tok.i:
                    before = tok.doc[ent.start - 1] if ent.start > 0 else None
                    text = ent.text
                    after = tok.doc[ent.end] if ent.end < len(tok.doc) else None
                    if after is not None and after.lower_ in _MAGNITUDES and not ent.text.endswith(after.text):
                        text += ("" if len(after.text) <= 2 else " ") + after.text  # "$1.3" + "m"
                    if before is not None and before.tag_ == "$" and before.text not in ent.text:
                        return before.text + text
                    return text
                if anc.pos_ in ("VERB", "AUX") and anc.i != tok.i and anc.dep_ not in ("xcomp", "pcomp"):
                    break
        return None

    def _time(self, tok: Token) -> str | None:
        own = self._own_time(tok)
        if own is None and tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "dobj") \
                and tok.head.pos_ in ("VERB", "AUX"):
            return self._own_time(tok.head)  # "the acquisition closed in May 2024"
        return own

    def _own_time(self, tok: Token) -> str | None:
        found = []
        for ent in self.st.sentence_ents(tok):
            if ent.label_ not in ("DATE", "TIME"):
                continue
            for anc in walk_up(ent.root):
                if anc.i == tok.i:
                    found.append(ent.text)
                    break
                if anc.pos_ in ("VERB", "AUX") or anc.dep_ in ("relcl", "acl"):
                    break
        return "; ".join(found) or None

    def _phrases(self, preps: frozenset[str], tok: Token, *, topic: bool = False) -> str | None:
        if not preps:
            return None
        out = []
        holders = [tok] + [c for c in tok.children if c.dep_ == "dobj"]
        if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
            holders.append(tok.head)  # "filed a lawsuit ... over X": the prep hangs on the verb
        holders += [c for c in tok.children if c.dep_ == "acl"]  # "a lawsuit brought by X over Y"
        for h in holders:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    for p in c.children:
                        if p.dep_ in ("pobj", "pcomp"):
                            for x in conjuncts(p):
                                if topic and (x.ent_type_ in ("DATE", "TIME") or x.i in self.st.token_entity
                                              and x.pos_ == "PROPN"):
                                    continue
                                out.append(self._flat_text(x))
            if topic:
                for c in h.children:  # "met X to discuss trade"
                    if c.dep_ in ("advcl", "xcomp") and lemma_of(c) in self.k.sets["discussion_verbs"]:
                        for o in c.children:
                            if o.dep_ in ("dobj", "obj"):
                                out.append(self._flat_text(o))
        return ", ".join(dict.fromkeys(o for o in out if o)) or None

    def _purpose(self, tok: Token) -> str | None:
        """What someone was pressed to do, or a deal is for: "urged X to delay the ban"."""
        holders = [tok]
        if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
            holders.append(tok.head)  # "signed a deal with X to upgrade ..."
        for c in (c for h in holders for c in h.children):
            if c.dep_ in ("xcomp", "ccomp", "acl", "advcl") and c.pos_ in ("VERB", "AUX") and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                words = [t for t in c.subtree if not (t.dep_ == "aux" and t.lower_ == "to" and t.head.i == c.i)]
                return self.doc[words[0].i:words[-1].i + 1].text.strip(" ,.") if words else None
        return None

    def _flat_text(self, tok: Token) -> str:
        stop = {"relcl", "acl", "advcl", "conj", "cc", "punct", "appos"}
        ids = [tok.i]
        stack = [c for c in tok.children if c.dep_ not in stop]
        while stack:
            c = stack.pop()
            ids.append(c.i)
            stack.extend(x for x in c.children if x.dep_ not in stop)
        lo, hi = min(ids), max(ids)
        return self.doc[lo:hi + 1].text.strip("\u201c\u201d\" ,")

    def _qualifiers(self, tok: Token, frame: Frame | None) -> dict[str, Any]:
        quals: dict[str, Any] = {}
        if frame is not None:
            quals["topic"] = self._phrases(frame.topic_preps, tok, topic=True)
            if frame.topic_clause and not quals["topic"]:
                quals["topic"] = self._purpose(tok)
            if frame.role_preps:
                quals["role"] = self._phrases(frame.role_preps, tok)
            if frame.status:
                quals["status"] = frame.status
        quals["amount"] = self._money(tok)
        if not quals["amount"] and frame is not None and "PRODUCES" in frame.relations:
            for obj in (c for c in tok.children if c.dep_ in ("dobj", "obj")):
                for c in obj.children:  # "builds 200,000 Aurora sedans a year"
                    if c.dep_ == "nummod" and c.ent_type_ in ("CARDINAL", "QUANTITY"):
                        quals["amount"] = self.doc[c.left_edge.i:c.i + 1].text
        quals["time"] = self._time(tok)
        quals.update(self._polarity_modality(tok))
        return quals

    def _polarity_modality(self, tok: Token) -> dict[str, str]:
        k = self.k
        negated = hypothetical = False
        chain = [tok]
        for anc in walk_up(tok):
            if chain[-1].dep_ not in ("xcomp", "conj", "pcomp", "prep", "pobj", "dobj", "acomp", "advcl") and not (
                    chain[-1].dep_ == "ccomp" and lemma_of(anc) in ("let", "allow", "make", "help")):
                break  # ("were not interested in letting him join them": the join is not)
            if lemma_of(anc) in self._speech_report:
                break
            chain.append(anc)
        for n, t in enumerate(chain):
            if n >= 2 and chain[n - 1].lower_ == "from" and lemma_of(t) in k.sets["prevention_verbs"]:
                negated = True  # "banned from suing Parmalat": no suit
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and any(g.dep_ in ("preconj", "det", "cc") and g.lower_ == "neither"
                                                            for g in c.children):
                    negated = True  # "Neither X nor Y bought Z"
                if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in ("never",)):
                    if lemma_of(t) == "rule" and any(p.lower_ == "out" for p in t.children):
                        hypothetical = True  # "would not rule out scrapping X": X is possible
                        continue
                    if t.i == tok.i or t.pos_ in ("VERB", "AUX"):
                        negated = True
                if c.dep_ == "aux" and c.lower_ in k.sets["modal_auxiliaries"]:
                    # "said he would visit": not done yet (ONTOLOGY.md: would, could); an
                    # announced "will spend" is the speaker's commitment and stays actual
                    hypothetical = True
                if c.dep_ == "advcl" and t.tag_ not in ("VBD", "VBN") and any(
                        m.dep_ == "mark" and m.lower_ in k.sets["hypothetical_markers"]
                        for m in c.children):
                    hypothetical = True
                if c.dep_ == "amod" and c.lower_ in k.sets["hypothetical_adjectives"] and t.i == tok.i:
                    hypothetical = True
            if t.i != tok.i and lemma_of(t) in k.sets["hypothetical_verbs"]:
                hypothetical = True
        if any(m.dep_ == "mark" and m.lower_ in k.sets["hypothetical_markers"] for m in tok.children):
            hypothetical = True
        if tok.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children) \
                and tok.head.pos_ != "AUX" or tok.dep_ == "advcl" and lemma_of(tok.head) == "be" and any(
                    c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children):
            hypothetical = True  # "in competition to take over X", "a bid to buy X": an aim, not a deed
        return {"polarity": "negated" if negated else "asserted",
                "modality": "hypothetical" if hypothetical else "actual"}

    def _reporter(self, tok: Token) -> Entity | None:
        """The entity behind a reporting subject: itself, or the owner of a source
        noun ("the senator's office", "Federal Election Commission records")."""
        e = self._entity(tok)
        if e is not None:
            return e
        if lemma_of(tok) in self.k.sets["source_nouns"] or tok.lower_ in self.k.sets["source_nouns"]:
            for child in tok.children:
                if child.dep_ in ("poss", "compound") and child.i in self.st.token_entity:
                    return self.st.entities[self.st.token_entity[child.i]]
            for child in tok.children:  # "a report in the Financial Times", "a statement by X"
                if child.dep_ == "prep" and child.lower_ in ("in", "by", "from"):
                    for p in child.children:
                        if p.dep_ == "pobj" and p.i in self.st.token_entity:
                            return self.st.entities[self.st.token_entity[p.i]]
        return None

    def _allegation(self, tok: Token) -> tuple[bool, Entity | None]:
        """Whether a trigger sits in an allegation or a report the article does not make
        its own ("X has been accused of criticising Y", "X is alleged to have paid Y", "a
        press report that X had held talks with Y"), and who makes it (None: unnamed)."""
        k = self.k
        t = tok
        for _ in range(6):
            if t.head.i == t.i:
                return False, None
            head = t.head
            verb = None
            if t.dep_ == "pcomp" and head.lower_ == "of" and lemma_of(head.head) in k.sets["allegation_verbs"]:
                verb = head.head
            elif t.dep_ == "xcomp" and lemma_of(head) in k.sets["hedge_verbs"] and self._passive(head):
                verb = head
            elif t.dep_ == "ccomp" and lemma_of(head) in k.sets["hedge_verbs"] and self._passive(head) \
                    and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in head.children):
                verb = head  # "it is believed that he had started to bankroll X"
            if t.dep_ in ("ccomp", "advcl", "xcomp") and lemma_of(head) in k.sets["question_verbs"] and any(
                    c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in t.children):
                return True, None  # "asked if she was a member": a question, no fact
            if verb is not None:
                if self._passive(verb):
                    agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children
                              if p.dep_ == "pobj"]
                else:
                    agents = self._subject_tokens(verb)
                found = [e for a in agents for e in [self._reporter(a)] if e is not None]
                return True, found[0] if found else None
            if t.dep_ in ("relcl", "acl", "ccomp") and (lemma_of(head) in k.sets["report_nouns"]
                                                       or head.lower_ in k.sets["report_nouns"]) \
                    and head.pos_ == "NOUN" and self._content_clause(t):
                found = [e for c in head.children if c.dep_ in ("poss", "compound")
                         for e in [self._reporter(c)] if e is not None]
                found += [e for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "in")
                          for p in c.children if p.dep_ == "pobj" for e in [self._reporter(p)] if e is not None]
                if not found and lemma_of(head.head) in k.sets["denial_verbs"]:
                    return False, None  # "X denied reports that he met Y": kept, and denied
                return True, found[0] if found else None
            t = head
        return False, None

    def _question(self, tok: Token) -> bool:
        """Whether a trigger sits in a direct question: the first sentence-ending mark
        after it is a question mark."""
        sent = self.st.sentence(tok)
        for t in tok.doc[tok.i + 1:sent.end]:
            if t.text in (".", "!", "?", "...") or t.text.endswith("?"):
                return t.text.endswith("?")
        return False

    @staticmethod
    def _content_clause(clause: Token) -> bool:
        """"a report that X had held talks": the clause says what the noun says (its
        "that" a conjunction, even where the parser takes it for an object), not which
        report ("the report that he wrote")."""
        that = [c for c in clause.children if c.lower_ == "that" and c.i == clause.left_edge.i]
        if not that:
            return False
        if that[0].dep_ == "mark":
            return True
        return any(c.dep_ == that[0].dep_ and c.i != that[0].i for c in clause.children)

    def _attribution(self, tok: Token, subj: Entity) -> dict[str, str]:
        k = self.k
        reporters = k.sets["report_verbs"] | k.sets["speech_verbs"]
        alleged, source = self._allegation(tok)
        if alleged and source is not None and source.idx != subj.idx:
            return {"attributed_to": source.id}
        t = tok
        while t.head.i != t.i:
            if t.dep_ in ("relcl", "acl", "advcl", "appos", "pcomp", "npadvmod"):
                return {}  # background in a subordinate clause is the article's own voice
            if t.dep_ in ("ccomp", "parataxis") and lemma_of(t.head) in reporters:
                speakers = [e for s in self._subject_tokens(t.head) for c in conjuncts(s)
                            for e in [self._reporter(c)] if e is not None]
                if any(e.idx == subj.idx for e in speakers):
                    return {}  # "Labour and the Tories said they would ...": each says it of itself
                if speakers:
                    return {"attributed_to": speakers[0].id}
            t = t.head
        sent = self.st.sentence(tok)
        for c in sent:
            if c.lower_ == "according" and c.i + 1 < len(self.doc) and self.doc[c.i + 1].lower_ == "to":
                for p in self.doc[c.i + 1].children:
                    e = self._reporter(p)
                    if e is not None and e.idx != subj.idx:
                        return {"attributed_to": e.id}
        # "..., The Information reported." closing the sentence
        inside = self.st.quote_at(tok.idx)
        last_verbs = [c for c in sent if c.pos_ == "VERB" and c.i > tok.i
                      and lemma_of(c) in reporters and c.dep_ in ("ROOT", "parataxis", "ccomp", "conj")
                      and (inside is not None or self.st.quote_at(c.idx) is None)]  # not quoted words
        if last_verbs:
            verb = last_verbs[-1]
            tail = [t for t in self.doc[verb.i + 1:sent.end] if not (t.is_punct or t.is_space)]
            subjects = self._subject_tokens(verb)
            first = subjects[0].left_edge.i if subjects else verb.i
            before = self.doc[first - 1] if first > sent.start else None
            if len(tail) <= 3 and before is not None and before.text in (",", "\u201d", '"'):
                for s in subjects:
                    e = self._reporter(s)
                    if e is not None and e.idx != subj.idx:
                        return {"attributed_to": e.id}
        quote = self.st.quote_at(tok.idx)
        if quote is not None and quote.speaker is not None and quote.speaker != subj.idx:
            return {"attributed_to": self.st.entities[quote.speaker].id}
        return {}

    # -- denials --------------------------------------------------------------

    def _denials(self) -> None:
        doc, st, k = self.doc, self.st, self.k
        sents = list(st._sents or doc.sents)
        sent_index = {s.start: n for n, s in enumerate(sents)}
        for tok in (doc[i] for i in indices_of(doc, k.sets["denial_verbs"], lemmas=True)):
            if lemma_of(tok) not in k.sets["denial_verbs"] or tok.pos_ != "VERB":
                continue
            deniers = [e for s in self._subject_tokens(tok) for e, _ in self._entities(s)]
            if not deniers:
                continue
            denier = deniers[0]
            ccomp = [c for c in tok.children if c.dep_ == "ccomp"]
            if ccomp:
                inside = {t.i for t in ccomp[0].subtree}
                for c in st.claims:
                    if c.trigger in inside:
                        c.qualifiers["polarity"] = "denied"
                continue
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if objs and lemma_of(objs[0]) not in k.sets["denied_objects"] \
                    and objs[0].lower_ not in k.sets["denied_objects"]:
                continue
            content = [c for c in objs[0].children if c.dep_ in ("acl", "ccomp", "relcl")] if objs else []
            if content:
                inside = {t.i for c in content for t in c.subtree}
                for c in st.claims:
                    if c.trigger in inside:
                        c.qualifiers["polarity"] = "denied"
                continue
            here = st.sentence_index(tok)
            for c in st.claims:
                n = sent_index.get(c.sent_start, -1)
                if not (here - self.denial_back <= n <= here) or c.trigger >= tok.i:
                    continue
                if c.qualifiers.get("attributed_to") and denier.idx in (c.subject, c.object) \
                        and c.qualifiers["attributed_to"] != denier.id:
                    c.qualifiers["polarity"] = "denied"
