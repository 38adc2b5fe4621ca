"""Component ``graphkit_coref``: quotes and their speakers, pronouns, descriptions.

Rules over the parse, in reading order:

- quoted passages are found and given a speaker ("...," Musk said; Trump
  said: "..."); inside a quote, I/me/my is the speaker;
- he/she/him/her/his go to the most salient person of the recent context
  (subjects first, nearer first), never to the subject of the same clause
  for an object pronoun, never to the speaker inside their own quote;
  it/its to an organization or product; they/them/their to a group or
  organization;
- definite descriptions ("the company", "the ex-president", "the agency")
  go to the most salient entity of their type; role descriptions ("the
  Tesla CEO") first to the person known to hold that role in the article.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from graphkit.extraction.knowledge import Knowledge, knowledge
from graphkit.extraction.roles import find_roles
from graphkit.extraction.state import DocState, Entity, Quote, state
from graphkit.extraction.syntax import (
    RELATIVE,
    conjuncts,
    governing_verb,
    indices_of,
    lemma_of,
    main_clause,
    subject_tokens,
)
from graphkit.resources import given_name_gender

__all__ = ["Coreference", "make_coref"]

_OPEN = {"\u201c": "\u201d", "\u2018": "\u2019", '"': '"'}
_PERSON_LIKE = {"Person"}


def doc_text(tok: Token, n: int) -> str:
    """The lower-cased text of ``n`` tokens from ``tok`` ("south korean")."""
    return " ".join(t.lower_ for t in tok.doc[tok.i:tok.i + n])


@Language.factory("graphkit_coref", default_config={"max_sentences_back": 3})
def make_coref(nlp: Language, name: str, max_sentences_back: int) -> Coreference:
    return Coreference(max_sentences_back)


@dataclass
class _Seen:
    token: int
    entity: int
    sent: int
    subject: bool


class Coreference:
    def __init__(self, max_sentences_back: int) -> None:
        self.k: Knowledge = knowledge()
        self.back = max_sentences_back
        self._reporters = self.k.sets["report_verbs"] | self.k.sets["speech_verbs"]

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        self._cache: dict = {}
        self._cands: list[Token] | None = None
        self._parties_cache: list[tuple[int, str | None]] | None = None
        self._nation: dict[int, str] = {}  # entity -> the country its descriptions give it
        st.quotes = _find_quotes(doc.text)
        st.index_sentences(doc)
        sent_of = st._sent_of or []
        self._resolve(doc, st, sent_of, inside_quotes=False)
        self._speakers(doc, st)
        self._resolve(doc, st, sent_of, inside_quotes=True)
        return doc

    # -- salience -----------------------------------------------------------

    def _history(self, doc: Doc, st: DocState, sent_of: list[int], upto: int,
                 quoted: bool = True) -> list[_Seen]:
        cached = self._cache.get(quoted)
        if cached is None:
            cached = self._cache[quoted] = self._compute_history(doc, st, sent_of, quoted)
        if upto >= len(doc):
            return cached
        return cached[:bisect.bisect_left(self._cache_keys(quoted), upto)]

    def _cache_keys(self, quoted: bool) -> list[int]:
        return [s.token for s in self._cache[quoted]]

    def _remember(self, doc: Doc, st: DocState, sent_of: list[int], tok: Token, idx: int) -> None:
        """Add a resolved pronoun or description to the cached mention history."""
        st.token_entity[tok.i] = idx
        in_quote = st.quote_at(tok.idx) is not None
        for quoted, seen in self._cache.items():
            if in_quote and not quoted:
                continue
            pos = bisect.bisect_left([s.token for s in seen], tok.i)
            subj = tok.dep_ in ("nsubj", "nsubjpass") and main_clause(tok, self._reporters)
            seen.insert(pos, _Seen(tok.i, idx, sent_of[tok.i], subj))

    def _compute_history(self, doc: Doc, st: DocState, sent_of: list[int],
                         quoted: bool) -> list[_Seen]:
        upto = len(doc)
        seen: list[_Seen] = []
        prev = None
        for i in range(upto):
            idx = st.token_entity.get(i)
            if idx is None or (not quoted and st.quote_at(doc[i].idx) is not None):
                prev = None
                continue
            tok = doc[i]
            subj = tok.dep_ in ("nsubj", "nsubjpass") and main_clause(tok, self._reporters)
            if prev == idx and seen:
                seen[-1].subject = seen[-1].subject or subj
                seen[-1].token = i
            else:
                seen.append(_Seen(i, idx, sent_of[i], subj))
            prev = idx
        return seen

    def _pick(self, doc: Doc, st: DocState, sent_of: list[int], tok: Token, types: set[str],
              exclude: set[int], margin: float = 0.0) -> int | None:
        """The most salient entity of the types in the recent context; with a margin,
        None when another entity is about as salient (too close to call)."""
        here = sent_of[tok.i]
        best, best_score = None, None
        per_entity: dict[int, float] = {}
        counts: dict[int, int] = {}
        for s in self._history(doc, st, sent_of, len(doc)):
            counts[s.entity] = counts.get(s.entity, 0) + 1
        quoted = st.quote_at(tok.idx) is not None
        for s in self._history(doc, st, sent_of, tok.i, quoted=quoted):
            ent = st.entities[s.entity]
            if ent.type not in types or s.entity in exclude or here - s.sent > self.back:
                continue
            score = (here - s.sent) * 3.0 - (2.0 if s.subject else 0.0) - min(counts[s.entity], 5) * 0.3
            score -= (s.token - tok.i) * 0.0  # ties: the later mention wins below
            per_entity[s.entity] = min(score, per_entity.get(s.entity, score))
            if best_score is None or score <= best_score:
                best, best_score = s.entity, score
        if margin and best is not None and any(
                e != best and sc - best_score < margin for e, sc in per_entity.items()):
            return None
        if best is None and tok.pos_ != "PRON":
            # a description before the name, in the same sentence ("the ex-president ...
            # which Trump created")
            for s in self._history(doc, st, sent_of, len(doc)):
                if s.token > tok.i and s.sent == here and st.entities[s.entity].type in types \
                        and s.entity not in exclude and doc[s.token].pos_ == "PROPN":
                    return s.entity
        return best

    # -- pronouns and descriptions ------------------------------------------

    def _clause_subject(self, st: DocState, tok: Token) -> set[int]:
        """Entities that are the subject of the clause a token sits in."""
        verb = governing_verb(tok)
        if verb is None:
            return set()
        subjects = [s.head.head if s.lower_ in RELATIVE and s.head.dep_ == "relcl" else s
                    for s in subject_tokens(verb)]
        return {st.token_entity[s.i] for s in subjects if s.i in st.token_entity and s.i != tok.i}

    def _candidates(self, doc: Doc) -> list[Token]:
        """Tokens that may be a pronoun or a description, found in one pass."""
        k = self.k
        out = []
        words = frozenset(k.pronouns) | frozenset(k.descriptions) | frozenset(k.party_words)
        wanted = set(indices_of(doc, words, lemmas=True))
        strings = doc.vocab.strings
        for i, h in enumerate(doc.to_array("LOWER").tolist()):
            if i not in wanted:
                low = strings[h]
                if not (low.startswith("ex-") or low.endswith("-year-old")):
                    continue
            tok = doc[i]
            low = tok.lower_
            if low in k.pronouns or low in k.descriptions or tok.text in k.party_words \
                    or low.startswith("ex-") or low.endswith("-year-old") \
                    or tok.lemma_.lower() in k.descriptions:
                out.append(tok)
        return out

    def _resolve(self, doc: Doc, st: DocState, sent_of: list[int], inside_quotes: bool) -> None:
        k = self.k
        role_frames = None
        if inside_quotes is False or self._cands is None:
            self._cands = self._candidates(doc)
        for tok in self._cands:
            if tok.i in st.token_entity:
                continue
            quote = st.quote_at(tok.idx)
            if (quote is not None) != inside_quotes:
                continue
            kind = k.pronouns.get(tok.lower_)
            if kind is not None and tok.pos_ == "PRON" or kind is not None and tok.tag_ == "PRP$":
                target = self._pronoun(doc, st, sent_of, tok, kind, quote)
                if target is not None:
                    self._remember(doc, st, sent_of, tok, target)
                continue
            if tok.tag_ in ("NNS", "NNPS") and (tok.lower_ in k.descriptions or lemma_of(tok) in
                                                k.descriptions) and self._definite(tok):
                members = self._plural_description(doc, st, sent_of, tok)
                if members:  # "the two men", "the two companies": the entities they stand for
                    st.plural[tok.i] = members
                    self._remember(doc, st, sent_of, tok, members[0])
                continue  # a plural never stands for one entity
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if tok.pos_ == "NOUN" and after is not None and after.pos_ == "PROPN" \
                    and after.i in st.token_entity and not self._definite(tok) and any(
                        a == after.i for a, _ in st.entities[st.token_entity[after.i]].mentions):
                # "Germany's financial regulator BaFin": what the name is
                self._named_by(st, tok, st.token_entity[after.i])
            if tok.pos_ in ("NOUN", "PROPN") and (tok.lower_ in k.descriptions or lemma_of(tok) in
                                                  k.descriptions or tok.text in k.party_words
                                                  or tok.lower_.startswith("ex-")
                                                  or tok.lower_.endswith("-year-old")) \
                    and self._definite(tok):
                if role_frames is None:
                    role_frames = self._role_frames(doc, st)
                target = self._description(doc, st, sent_of, tok, role_frames)
                if target is not None:
                    self._remember(doc, st, sent_of, tok, target)

    def _reporters_of(self, st: DocState, tok: Token) -> set[int]:
        """Entities reporting the clause a token is in ("X reported that ... the group")."""
        out = set()
        t = tok
        while t.head.i != t.i:
            if t.dep_ in ("ccomp", "parataxis") and lemma_of(t.head) in self._reporters:
                out |= {st.token_entity[s.i] for s in subject_tokens(t.head) if s.i in st.token_entity}
            t = t.head
        return out

    def _role_frames(self, doc: Doc, st: DocState) -> dict:
        """Role frames by role token; named holders become the article's role facts."""
        frames = find_roles(doc, st, self.k)
        for f in frames:
            if f.person_token is not None and f.person_token != f.token:  # (org None: "a spokesman")
                holder = st.token_entity.get(f.person_token)
                if holder is not None:
                    st.role_facts.append((holder, f.key, f.org))
        return {f.token: f for f in frames}

    def _pronoun(self, doc: Doc, st: DocState, sent_of: list[int], tok: Token, kind: str,
                 quote: Quote | None) -> int | None:
        if kind == "person_first":
            return quote.speaker if quote is not None else None
        if kind == "first_plural":
            return None
        exclude: set[int] = set()
        if kind == "neuter" and self._expletive(tok):
            return None  # "it is likely that ...", "it was reported that ..."
        outlets = {e.idx for e in st.entities if self.k.is_outlet(e)}
        if quote is not None or self._reporters_of(st, tok) & outlets:
            # '... told BBC News: "They selected me"', "The Sunday Times says they will
            # oppose the bid": a newspaper is told or reports, it is not what they stand for
            exclude |= outlets
        if tok.tag_ == "PRP$" and tok.head.dep_ in ("dobj", "obj") and self._stance_verb(tok.head.head):
            # "Putin backed his nomination", "X backed its push": one judges another's act,
            # not one's own
            exclude |= self._clause_subject(st, tok.head)
        if kind == "person_singular":
            types = _PERSON_LIKE
            wanted = self.k.pronoun_gender.get(tok.lower_)
            if wanted:  # "she" is never a man, "his" never a woman
                exclude |= {e.idx for e in st.entities
                            if e.type == "Person" and self._gender(e) not in (None, wanted)}
            if tok.dep_ in ("dobj", "pobj", "dative") or tok.lower_ in ("him", "her", "himself"):
                exclude |= self._clause_subject(st, tok) if tok.lower_ not in ("himself", "herself") else set()
            if quote is not None and quote.speaker is not None:
                exclude.add(quote.speaker)
        elif kind == "neuter":
            types = {"Organization", "Product", "Policy"}
            if tok.dep_ == "nsubj" and lemma_of(tok.head) != "be" and tok.head.pos_ == "VERB":
                # "It blamed the department": a body acts, an Act does not; "the US says it
                # cannot support": a country may
                types = {"Organization", "Place"}
                exclude |= {e.idx for e in st.entities if e.type == "Place" and e.kind != "country"}
            if tok.dep_ in ("dobj", "pobj", "dative"):
                exclude |= self._clause_subject(st, tok)
            return self._pick(doc, st, sent_of, tok, types, exclude, margin=self.k.cues.get(
                "pronoun_margin", 0.0))
        else:
            people = [p for p in self._coordinated_subject(doc, st, tok) if p not in exclude]
            if len(people) >= 2:
                st.plural[tok.i] = people
                return people[0]
            # "they said" may be a company or a party; "them" as an object is most often
            # things ("ID cards ... introduce them"): only a group then
            types = {"Group"} if tok.dep_ in ("dobj", "pobj", "dative") else {"Group", "Organization"}
            if self._plural_noun_between(doc, st, sent_of, tok, types):
                return None  # "Labour backs the plans as police said they would help": the plans
            return self._pick(doc, st, sent_of, tok, types, exclude,
                              margin=self.k.cues.get("pronoun_margin", 0.0))
        return self._pick(doc, st, sent_of, tok, types, exclude,
                          margin=self.k.cues.get("person_pronoun_margin", 0.0))

    def _plural_noun_between(self, doc: Doc, st: DocState, sent_of: list[int], tok: Token,
                             types: set[str]) -> bool:
        """Whether an unnamed plural noun ("the plans", "the banks") stands between a
        plural pronoun and the last entity it could stand for: the nearer antecedent."""
        last = None
        for s in reversed(self._history(doc, st, sent_of, tok.i)):
            if st.entities[s.entity].type in types:
                last = s.token
                break
        start = max(last + 1 if last is not None else 0, self._sentence_start(st, doc, tok))
        return any(t.tag_ == "NNS" and t.pos_ == "NOUN" and t.i not in st.token_entity
                   and t.lower_ not in self.k.sets["group_nouns"] and t.dep_ in ("nsubj", "dobj", "pobj", "conj")
                   and not t.like_num and lemma_of(t) not in self.k.sets["measure_nouns"]
                   and t.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL")
                   for t in doc[start:tok.i])

    @staticmethod
    def _sentence_start(st: DocState, doc: Doc, tok: Token) -> int:
        """The start of the sentence before the token's (the reach of a plural pronoun)."""
        here = st.sentence(tok)
        return st.sentence(doc[here.start - 1]).start if here.start > 0 else here.start

    def _stance_verb(self, verb: Token) -> bool:
        """A verb whose frames judge their object ("back", "criticise")."""
        return verb.pos_ == "VERB" and any(self.k.is_stance(r) for f in self.k.verb_frames.get(lemma_of(verb), ())
                                           for r in f.relations)

    def _parties_of_people(self, doc: Doc, st: DocState) -> list[tuple[int, str | None]]:
        """(person, party) for party words attached to named people ("Tory MP X",
        "the Liberal Democrat candidate X", "X, a Republican")."""
        cached = self._parties_cache
        if cached is not None:
            return cached
        out = []
        for tok in (doc[i] for i in indices_of(doc, frozenset(self.k.party_words))):
            if tok.text not in self.k.party_words:
                continue
            for cand in (tok.head, tok.head.head):
                ent = st.entity_at(cand.i)
                if ent is not None and ent.type == "Person" and cand.pos_ == "PROPN":
                    out.append((ent.idx, self.k.party_word(doc[tok.i - 1].text if tok.i > 0 else "", tok.text)))
                    break
        self._parties_cache = out
        return out

    def _gender(self, ent: Entity) -> str | None:
        """A person's gender as the text gives it: a gendered title ("Mrs", "Sir",
        "Queen") or a given name that lists of names hold for one gender."""
        for title in ent.titles:
            found = self.k.title_gender.get(title.lower().rstrip("."))
            if found:
                return found
        first = ent.name.split()[0] if len(ent.name.split()) > 1 else None
        if first is None:
            return None
        found = given_name_gender(first.rstrip("."))
        return found if found in ("male", "female") else None

    def _expletive(self, tok: Token) -> bool:
        """"it" that stands for no entity: "it is likely that", "it was reported that",
        "it emerged that", "it takes time to"."""
        if tok.lower_ != "it":
            return False
        if tok.dep_ == "expl":
            return True
        head = tok.head
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        clause = any(c.dep_ in ("ccomp", "csubj") or (c.dep_ == "xcomp" and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.children)) or (c.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in ("if", "that", "when") for g in c.children))
            for c in head.children)  # "it would be best if ..."
        if lemma_of(head) in ("be", "seem", "appear", "emerge", "remain", "become", "take",
                              "matter", "happen") and clause:
            return True
        if tok.dep_ == "nsubjpass" and clause:
            return True  # "it was reported that"
        return any(c.dep_ == "acomp" for c in head.children) and clause

    def _plural_description(self, doc: Doc, st: DocState, sent_of: list[int], tok: Token) -> list[int]:
        """The entities a plural description stands for: a coordination just before
        ("X and Y ... the two companies"), or, with a number ("the two men"), the last
        that many entities of its type, none of them in its own clause's subject."""
        etype = self.k.descriptions.get(tok.lower_) or self.k.descriptions.get(lemma_of(tok))
        kinds = self.k.cues.get("description_kinds", {}).get(lemma_of(tok)) or []
        people = [i for i in self._coordinated_subject(doc, st, tok) if st.entities[i].type == etype]
        if len(people) >= 2:
            return people
        count = next((c for c in tok.children if c.dep_ == "nummod"), None)
        numbers = {"two": 2, "three": 3, "four": 4, "both": 2}
        n = numbers.get(count.lower_) if count is not None else None
        if n is None and any(c.lower_ == "both" for c in tok.children):
            n = 2
        if n is None:
            return []
        verb = governing_verb(tok)
        exclude = {st.token_entity[t.i] for s in (subject_tokens(verb) if verb is not None else [])
                   for t in s.subtree if t.i in st.token_entity}
        found: list[int] = []
        for seen in reversed(self._history(doc, st, sent_of, tok.i)):
            if sent_of[tok.i] - seen.sent > self.back:
                break
            ent = st.entities[seen.entity]
            if ent.type == etype and seen.entity not in exclude and seen.entity not in found \
                    and not (kinds and ent.kind and ent.kind not in kinds):  # "the two exchanges"
                found.append(seen.entity)
            if len(found) == n:
                return list(reversed(found))
        return []

    def _coordinated_subject(self, doc: Doc, st: DocState, tok: Token) -> list[int]:
        """For they/them: the coordinated subject of this or the previous sentence
        ("Marc Andreessen and Ben Horowitz ... said they were backing Trump")."""
        sent = st.sentence(tok)
        starts = [sent.start]
        if sent.start > 0:
            starts.append(st.sentence(doc[sent.start - 1]).start)
        for start in starts:
            for t in doc[start:tok.i]:
                if t.dep_ not in ("nsubj", "nsubjpass") or t.i not in st.token_entity:
                    continue
                members = [c for c in conjuncts(t) if c.i in st.token_entity]
                ids = list(dict.fromkeys(st.token_entity[c.i] for c in members))
                if len(ids) >= 2:
                    return ids
        return []

    def _definite(self, tok: Token) -> bool:
        """"the company", "this firm", and possessed descriptions of people ("the fund's
        managing director"; "Trump's campaign" stays his)."""
        person = self.k.descriptions.get(tok.lower_) == "Person" or lemma_of(tok) in self.k.roles
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                   or person and c.dep_ == "poss" and c.pos_ != "PRON" for c in tok.children)

    def _nation_of(self, st: DocState, tok: Token) -> str | None:
        """The country a description gives its entity: "the French group", "the U.S.
        conglomerate", "Germany's financial regulator"."""
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("amod", "compound", "nmod", "npadvmod"):
                country = self.k.demonyms.get(c.lower_) or self.k.country_names.get(c.lower_)
                if country is None and c.i + 1 < tok.i and doc_text(c, 2) in self.k.demonyms:
                    country = self.k.demonyms[doc_text(c, 2)]
                if country is not None:
                    return country
            if c.dep_ == "poss":
                e = st.entity_at(c.i)
                if e is not None and e.name in self.k.countries:
                    return e.name
        return None

    def _named_by(self, st: DocState, tok: Token, idx: int) -> int:
        """A description standing beside a name ("Alstom, the French group", "the regulator
        BaFin") says what the entity is: its kind (when it had none) and its country."""
        ent = st.entities[idx]
        kinds = self.k.cues.get("description_kinds", {}).get(tok.lower_) or \
            self.k.cues.get("description_kinds", {}).get(lemma_of(tok)) or []
        if ent.kind is None and len(kinds) == 1:
            ent.kind = kinds[0]
        nation = self._nation_of(st, tok)
        if nation is not None and ent.type == "Organization":
            self._nation.setdefault(idx, nation)
        return idx

    def _description(self, doc: Doc, st: DocState, sent_of: list[int], tok: Token,
                     role_frames: dict) -> int | None:
        k = self.k
        if tok.dep_ == "appos" and tok.head.i in st.token_entity:
            return self._named_by(st, tok, st.token_entity[tok.head.i])  # "FTX, the crypto exchange"
        for child in tok.children:
            if child.dep_ == "appos" and child.i in st.token_entity:
                return self._named_by(st, tok, st.token_entity[child.i])  # "the movie studio MGM"
        if tok.i + 1 < len(doc) and doc[tok.i + 1].i in st.token_entity \
                and doc[tok.i + 1].pos_ == "PROPN" and tok.dep_ == "compound":
            self._named_by(st, tok, st.token_entity[doc[tok.i + 1].i])
            return None  # "the venture firm Andreessen Horowitz": the name follows
        word = tok.lower_
        compound_word = " ".join(t.lower_ for t in doc[max(0, tok.i - 1):tok.i + 1])
        etype = k.descriptions.get(compound_word) or k.descriptions.get(word) \
            or k.descriptions.get(lemma_of(tok)) or ("Person" if word.endswith("-year-old") else None)
        if any(c.lower_.endswith("-year-old") for c in tok.children if c.i < tok.i):
            etype = "Person"  # "the 76-year-old owner": a person, whatever else an owner may be
        if etype is None and word.startswith("ex-"):
            etype = k.descriptions.get(word[3:])
        party = tok.text in k.party_words
        if etype is None and not party:
            return None
        # "the owner of Dravo Oil", "Dravo's parent": a relational noun is never what it
        # relates to
        relational = lemma_of(tok) in k.roles or word in k.roles
        related = {st.token_entity[p.i] for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                   for p in c.subtree if p.i in st.token_entity}  # ("owner of 45% of the lender")
        related |= {st.token_entity[c.i] for c in tok.children if c.dep_ == "poss" and c.i in st.token_entity}
        for child in tok.children if etype != "Person" and not relational else ():
            # "the board of Copperleaf Mining"
            if child.dep_ == "prep" and child.lower_ == "of":
                named = [p for p in child.children if p.dep_ == "pobj" and p.i in st.token_entity]
                if named:
                    return st.token_entity[named[0].i]
        if party:
            etype = "Person"
        if etype != "Person" and any(c.dep_ == "amod" and c.lower_ in k.sets["new_entity_modifiers"]
                                     for c in tok.children):
            return None  # "the combined company", "the new group": what a deal makes, no one named
        exclude = self._clause_subject(st, tok) if tok.dep_ in ("dobj", "pobj", "dative") else set()
        # "the DAX-listed company", "the Siemens-led group": never what its modifiers name
        exclude |= {st.token_entity[t.i] for c in tok.children if c.i < tok.i and c.dep_ == "amod"
                    and c.tag_ in ("VBN", "VBD", "JJ") for t in c.subtree
                    if t.i in st.token_entity and t.i != c.i}
        nation = self._nation_of(st, tok) if etype == "Organization" else None
        if nation is not None:  # "the French group" is no entity another description made American
            exclude |= {e for e, n in self._nation.items() if n != nation}
        towns = [c.text for c in tok.children if c.i < tok.i and c.dep_ in ("compound", "nmod", "amod")
                 and c.pos_ == "PROPN" and (e := st.entity_at(c.i)) is not None and e.type == "Place"
                 and e.kind != "country" and e.name not in k.countries]
        if etype == "Organization" and towns:
            # "the London exchange": an exchange of London's, named so; never another city's
            exclude |= {e.idx for e in st.entities if e.type == "Organization"
                        and not any(town.lower() in e.name.lower() for town in towns)}
        party_tok = tok if party else next((c for c in tok.children if c.dep_ in ("compound", "amod")
                                            and c.text in k.party_words), None)
        if party_tok is not None and etype == "Person":
            # "the Tory leader" is nobody the text gives another party
            mine = self.k.party_word(doc[party_tok.i - 1].text if party_tok.i > 0 else "", party_tok.text)
            exclude |= {p for p, other in self._parties_of_people(doc, st) if other != mine}
        exclude |= self._reporters_of(st, tok)
        if relational:
            exclude |= related
        gender = k.title_gender.get(word) or k.title_gender.get(lemma_of(tok))
        if etype == "Person" and gender and not word.endswith("man"):  # ("chairman" may be a woman)  # "the Queen" is no man, "the chairman's wife" no man
            exclude |= {e.idx for e in st.entities if e.type == "Person" and self._gender(e) not in (None, gender)}
        frame = role_frames.get(tok.i)
        if frame is not None and frame.org is not None:
            for person, key, org in st.role_facts:
                if org == frame.org and key == frame.key and person not in exclude:
                    return person
            # "the SNP's parliamentary leader": not someone the text gives another body
            exclude |= {person for person, key, org in st.role_facts
                        if org is not None and org != frame.org and key == frame.key}
            body = st.entities[frame.org]
            if body.kind == "party":  # nor someone the text puts in another party
                exclude |= {p for p, word in self._parties_of_people(doc, st)
                            if word and k.party_words.get(word, word) != body.name}
            # the head of a coordinated role ("the Tesla CEO and SpaceX founder")
        if frame is not None and frame.key in k.sets["unnamed_roles"]:
            # "Mr Blair's spokesman said": someone named in that role, or someone unnamed
            named = [p for p, key, org in st.role_facts if key == frame.key and p not in exclude
                     and (frame.org is None or org in (frame.org, None))]
            return named[-1] if named else None
        types = {etype}
        if etype != "Person":
            # "the committee" -> the most recent entity named "... Committee"
            for s in reversed(self._history(doc, st, sent_of, tok.i)):
                ent = st.entities[s.entity]
                if ent.type == etype and s.entity not in exclude and \
                        ent.name.lower().split()[-1] == word:
                    return s.entity
            if word in k.sets["named_only_descriptions"]:
                return None  # "backed the campaign": only an entity named "... Campaign"
            if word in k.sets["name_heads"] and any(
                    c.dep_ in ("amod", "compound") and c.lower_ not in k.demonyms for c in tok.children):
                # "the central bank", "the state pension fund": a body of that kind, named so
                named = [s.entity for s in reversed(self._history(doc, st, sent_of, tok.i))
                         if st.entities[s.entity].type == etype and s.entity not in exclude
                         and word in st.entities[s.entity].name.lower().split()]
                return named[0] if named else None
        kinds = self.k.cues.get("description_kinds", {}).get(word)
        if kinds:
            # "the agency" is never a company the gazetteer knows, "the company" never an agency
            exclude = exclude | {e.idx for e in st.entities if e.kind and e.kind not in kinds}
            if word in k.sets["governing_parts"]:  # "the supervisory board": only a known company's
                exclude |= {e.idx for e in st.entities if e.kind not in kinds}
        best = self._pick(doc, st, sent_of, tok, types, exclude)
        if best is not None and nation is not None:
            self._nation.setdefault(best, nation)
        if best is not None and party:
            # "the Massachusetts Democrat": a politician, not the executive beside her
            political = self.k.sets["political_titles"]
            for s in reversed(self._history(doc, st, sent_of, tok.i)):
                ent = st.entities[s.entity]
                if ent.type == "Person" and s.entity not in exclude and sent_of[tok.i] - s.sent <= self.back \
                        and any(t.lower().rstrip(".") in political for t in ent.titles):
                    return s.entity
        if best is not None and etype == "Person":
            # prefer a person whose title matches the description ("the president")
            for s in reversed(self._history(doc, st, sent_of, tok.i)):
                ent = st.entities[s.entity]
                if ent.type == "Person" and s.entity not in exclude and any(
                        word.replace("ex-", "") in t.lower() for t in ent.titles | ent.aliases
                        if t != ent.name):
                    return s.entity
            # "the union leader": a leader of something; someone the text names as one,
            # never just the last person named
            role_start = frame.start if frame is not None else tok.i  # ("managing director" is one role)
            kinds = [c.lower_ for c in tok.children if (c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN"
                                                        or c.dep_ == "amod" and c.lower_ in k.sets["branch_adjectives"])
                     and c.is_lower and c.i < role_start and c.lower_ not in k.sets["generic_org_words"]]
            if kinds and lemma_of(tok) in k.roles:
                named_so = any(kind in t.lower() for t in st.entities[best].titles | st.entities[best].aliases
                               for kind in kinds) or any(
                    st.token_entity.get(f.token) == best and any(
                        kind in doc[doc[f.token].left_edge.i:f.token + 1].text.lower() for kind in kinds)
                    for f in role_frames.values() if f.token < tok.i)
                if not named_so:
                    return None
        return best

    # -- speakers -----------------------------------------------------------

    def _speakers(self, doc: Doc, st: DocState) -> None:
        speech = self.k.sets["speech_verbs"]
        for q in st.quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            candidates: list[Token] = []
            # after the quote: ', Musk said' / ', said Musk'
            after = [t for t in doc[span.end:span.end + 8] if not t.is_punct]
            candidates += [t for t in after[:4] if lemma_of(t) in speech and t.pos_ == "VERB"]
            # before the quote, in the same sentence: 'Trump said: "..."'
            sent = st.sentence(doc[span.start])
            candidates += [t for t in doc[sent.start:span.start] if lemma_of(t) in speech
                           and t.pos_ == "VERB"][::-1]
            # a speech verb inside a quote interrupted by 'she said'
            candidates += [t for t in span if lemma_of(t) in speech and t.pos_ == "VERB"
                           and t.idx >= q.end]
            for verb in candidates:
                subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and subj.i in st.token_entity:
                    q.speaker = st.token_entity[subj.i]
                    break
                if subj is not None and subj.lower_ in ("i", "we"):
                    continue
            if q.speaker is None and after:
                first = after[0]
                if first.i in st.token_entity and any(lemma_of(t) in speech for t in after[1:3]):
                    q.speaker = st.token_entity[first.i]
        # a quote without a speaker continues the previous quote's speaker in the same paragraph
        for prev, q in zip(st.quotes, st.quotes[1:]):
            if q.speaker is None and prev.speaker is not None and "\n" not in doc.text[prev.end:q.start]:
                q.speaker = prev.speaker


def _find_quotes(text: str) -> list[Quote]:
    """Quoted passages: curly pairs, and straight double quotes told apart by the
    spacing around them. A quote never runs past a blank line, and one that is never
    closed ends where the next quote opens (news style for a quote running on into a
    new paragraph: 'said: "... making. "Mr Blair and I ...').
    """
    marks: list[tuple[int, bool]] = []  # (offset, opens)
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\u201c":
            marks.append((i, True))
        elif ch == "\u201d":
            marks.append((i, False))
        elif ch == '"':
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < n else " "
            opens = (before.isspace() or before in "([{\u2014-:") and not after.isspace()
            marks.append((i, opens))
    quotes: list[Quote] = []
    m = 0
    while m < len(marks):
        i, opens = marks[m]
        if not opens:
            m += 1
            continue
        para = text.find("\n\n", i + 1)
        end = None
        nxt = m + 1
        if nxt < len(marks) and not marks[nxt][1]:
            end = marks[nxt][0]
            nxt += 1
        elif nxt < len(marks):
            end = marks[nxt][0]  # another quote opens first: this one ran to there
            while end > i + 1 and text[end - 1].isspace():
                end -= 1
        if end is None or (para != -1 and para < end):
            m += 1
            continue
        quotes.append(Quote(i + 1, end))
        m = nxt
    return quotes
