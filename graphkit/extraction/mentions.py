"""Component ``graphkit_mentions``: named mentions, their entities and types.

The small English model mislabels often (people as ORG, companies as GPE,
products as PERSON). This component gathers mentions from the NER and from
the gazetteer, groups the mentions of one entity within the article (full
name, surname, first name, acronym, short company name, gazetteer aliases)
and types each entity by a vote over all its mentions, gazetteer and cue
words (Inc., Party, Senator, CEO, ...).
"""

from __future__ import annotations

import re

from collections import Counter
from functools import lru_cache
from typing import Any

from nameparser import HumanName
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graphkit.extraction.knowledge import Knowledge, knowledge
from graphkit.extraction.state import DocState, state
from graphkit.extraction.syntax import indices_of, lemma_of, role_at, tokens_with_pos
from graphkit.ids import fold
from graphkit.resources import gazetteer, given_name_gender, place_names

__all__ = ["MentionFinder", "make_mentions", "NER_TYPES"]

NER_TYPES = {
    "PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place",
    "NORP": "Group", "PRODUCT": "Product", "LAW": "Policy", "FAC": "Place",
    "WORK_OF_ART": "Product",
}
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_CONNECTORS = {"of", "the", "and", "for", "&", "de", "la", "du", "des", "on", "in"}
_PROPN = frozenset({PROPN})
_AMOUNT = re.compile(r"^[$\u00a3\u20ac]?\d+(?:[.,]\d+)?(?:bn|m|mn|k|tn|p|pc|%)$", re.IGNORECASE)


@Language.factory(
    "graphkit_mentions",
    default_config={"gazetteer_files": [], "min_alias_chars": 2},
)
def make_mentions(
    nlp: Language, name: str, gazetteer_files: list[str], min_alias_chars: int
) -> MentionFinder:
    return MentionFinder(nlp, tuple(gazetteer_files), min_alias_chars)


_PEER_TITLES = frozenset({"Lord", "Lady", "Baroness", "Baron", "Viscount", "Earl", "Countess", "Marquess"})


@lru_cache(maxsize=4)
def _gazetteer_index(
    extra: tuple[str, ...], min_chars: int
) -> tuple[dict[str, Any], dict[str, Any], frozenset[str]]:
    """Surface form -> entry, bare surname -> the first-listed person entry, and
    the given names of the gazetteer's people (a cue that a name is a person's)."""
    forms: dict[str, dict[str, Any]] = {}
    surnames: dict[str, dict[str, Any]] = {}
    given: set[str] = set()
    for entry in gazetteer(extra):
        for form in [entry["name"], *entry["aliases"]]:
            if len(form) >= min_chars:
                forms.setdefault(form, entry)
        if entry["type"] == "Person":
            parsed = HumanName(entry["name"])
            last = parsed.last
            if last and last != entry["name"]:
                surnames.setdefault(last, entry)
            if parsed.first and len(parsed.first) > 2 and parsed.first != last:
                given.add(parsed.first)
    return forms, surnames, frozenset(given)


@lru_cache(maxsize=65536)
def _person_parts(text: str) -> tuple[str, str]:
    """First and last name of a person's name (nameparser, cached: it is slow)."""
    name = HumanName(text)
    return name.first, name.last


class MentionFinder:
    """Finds mentions and builds the article's typed entities."""

    def __init__(self, nlp: Language, gazetteer_files: tuple[str, ...], min_alias_chars: int):
        self.k: Knowledge = knowledge()
        self.forms, self.surnames, self.given_names = _gazetteer_index(gazetteer_files, min_alias_chars)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form in self.forms:
            self.matcher.add("GAZ", [nlp.make_doc(form)])
        self.places = place_names()

    # -- candidates ---------------------------------------------------------

    def _clean(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in ("the", "a", "an", "neither", "either", "both") or doc[start].is_punct
                               or doc[start].is_space or doc[start].pos_ == "ADP" and doc[start].is_title
                               and doc[start].lower_ in self.k.sets["leading_prepositions"]):
            start += 1  # "On Mrs Howard's ...": a sentence's first preposition is no name
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                               or doc[end - 1].is_space):
            end -= 1
        business = False
        if end < len(doc) and end - start >= 1 and doc[end].tag_ == "POS" and doc[end].text in ("'s", "\u2019s") \
                and (end + 1 >= len(doc) or doc[end + 1].pos_ in ("CCONJ", "ADP", "PART", "SCONJ")
                     or doc[end + 1].text in (",", ".", ";", ":", ")", "?", "!")
                     or doc[end + 1].pos_ in ("VERB", "AUX") and doc[end + 1].tag_ not in ("VBG", "VBN")) \
                and not doc[end - 1].text.endswith("s") and doc[start:end].text not in self.forms \
                and (span.label_ in ("ORG", "FAC", "PRODUCT") or (
                    span.label_ == "PERSON" and end - start == 1
                    and doc[end - 1].dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "conj"))):
            end += 1  # "informed Foster's of its decision", "bought Claridge's and the Connaught":
            business = True  # a name ending in 's, possessing nothing: a firm's name
        text = doc[start:end].text
        marks = '"' in text or "\u201c" in text or "\u201d" in text
        for i in range(start + 1, end) if marks else ():
            if doc[i].text in ('"', "\u201c", "\u201d"):  # 'called Trump "America's Hitler"'
                end = i
                break
        brackets = any(ch in text for ch in "()[]")
        for i in range(start, end) if brackets else ():  # "the Party of X (PX": never closed
            if doc[i].text in ("(", "[") and not any(t.text in (")", "]") for t in doc[i + 1:end]):
                if i > start:
                    end = i
                else:
                    start = i + 1
                break
            if doc[i].text in (")", "]") and not any(t.text in ("(", "[") for t in doc[start:i]):
                start = i + 1 if end - i > 1 else start
                end = i if end - i <= 1 else end
                break
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        dashes = any(ch in text for ch in "-\u2013\u2014")
        for i in range(start + 1, end - 1) if dashes else ():  # "Florian Hamm - Borussia Dortmund"
            if doc[i].text in ("-", "\u2013", "\u2014") and doc[i - 1].whitespace_:
                end = i
                break
        office = doc[end - 1].text.lower().rstrip(".") in self.k.sets["org_cues"] \
            and any(t.tag_ == "POS" for t in doc[start:end])  # "the Attorney General's Office"
        while office and start > 0 and doc[start - 1].is_title and doc[start - 1].pos_ in ("PROPN", "NOUN") \
                and not doc[start - 1].is_sent_start:
            start -= 1  # the model cut the title's first word off
        while start < end - 1 and doc[start].lower_ in self.k.former_markers:
            start += 1  # "Former WorldCom": a marker of the past is no part of a name
        while not office and start < end - 1 and (doc[start].text.lower().rstrip(".") in self._titles() or (
                doc[start].text in self.k.party_words and (
                    span.label_ == "PERSON" or given_name_gender(doc[start + 1].text) is not None))):
            start += 1  # "Tory Liam Fox": the party label is read by the relations component
        while end - 1 > start and (doc[end - 1].lower_ in _CONNECTORS or doc[end - 1].pos_ == "ADP"):
            end -= 1  # "Office of the", "Institute for the Study of Labour at": no name ends so
        while end - 1 > start and _AMOUNT.match(doc[end - 1].text):
            end -= 1  # "Varig 2bn": an amount glued to a name
        while end - 1 > start and self._not_name(doc[end - 1]) \
                and not (span.label_ == "PERSON" and doc[end - 1].lower_ not in self.k.roles
                         and lemma_of(doc[end - 1]) not in self.k.roles) \
                and not (end - 2 > start and doc[end - 2].lower_ in _CONNECTORS) \
                and not (doc[end - 1].text in self.k.party_words
                         and given_name_gender(doc[end - 2].text) is not None) \
                and not (doc[end - 1].text.istitle() and (doc[end - 2].lower_ in self.k.demonyms
                         or doc[end - 2].lower_ in self.k.sets["regional_demonyms"]
                         or doc[end - 2].lower_ in self.k.sets["body_adjectives"])):
            # "the Scottish Executive": a body's name ends in the role word; a person's
            # name may end in a title word ("Oona King", "Jim Justice")
            # "the Court of Justice", "Secretary of State": a title after "of" is the name's
            end -= 1  # "FTC Chair", "Tesla CEO": the role is not part of the name
        if start < end < len(doc) and len(doc) and f"{doc[start:end].text} {doc[end].text}" in self.k.party_words:
            end += 1  # "a Liberal" + "Democrat": a party word of two words is one name
        if start >= end:
            return None
        if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].text in ("D", "R", "I") or (
                end - start >= 3 and doc[start].text in ("D", "R", "I") and doc[start + 1].text == "-"):
            return None  # "R-S.C.": a US party tag, read by the relations component
        after = doc[end] if end < len(doc) else None
        two_first = f"{doc[start].text} {doc[start + 1].text}" if end - start > 2 else ""
        if after is not None and after.lower_ in self.k.sets["portfolio_roles"] \
                and (doc[start].text in self.k.party_words or two_first in self.k.party_words):
            return None  # "Lib Dem Treasury spokesman": the party's portfolio, no body of that name
        if span.label_ != "PERSON" and after is not None and after.lower_ in self.k.sets["portfolio_roles"] \
                and not doc[start:end].text.replace(".", "").isupper() \
                and doc[end - 1].text.lower() not in self.k.sets["org_cues"] \
                and doc[start:end].text not in self.forms:
            return None  # "Shadow Constitutional Affairs secretary X": a portfolio, no organisation
        if end - start == 1 and (doc[start].lower_ in self.k.sets["junk_names"]
                                 or doc[start].lower_ in self.k.sets["org_cues"]
                                 or doc[start].text in ("Bill", "Bills", "Act", "Acts")
                                 and not (start > 0 and doc[start - 1].text.lower().rstrip(".") in self._titles())):
            return None  # "Yes", "GMT", "Office", "No Bill goes through": no name of anything
        if end - start == 1 and span.label_ not in ("GPE", "PERSON") and not (
                start > 0 and doc[start - 1].text.lower().rstrip(".") in self._titles()) and (
                doc[start].lower_ in self.k.demonyms
                                                           or doc[start].lower_ in self.k.sets["regional_demonyms"]):
            return None  # "Scottish Tory leader": a nationality, no organisation
        tok = doc[start]
        if end - start == 1 and tok.is_upper and len(tok) <= 3 and tok.dep_ == "compound" \
                and tok.head.pos_ == "NOUN" and tok.head.is_lower and tok.text not in self.forms \
                and role_at(doc, tok.head.i, self.k) is None:  # "XBT spokesman X" names a body
            return None  # "ID cards", "IT systems": an acronym that only qualifies a noun
        if business:
            return Span(doc, start, end, label="ORG")
        return doc[start:end]

    @lru_cache(maxsize=1)
    def _titles(self) -> frozenset[str]:
        return frozenset(t.lower().rstrip(".") for t in self.k.cues["person_titles"])

    def _described(self, tok) -> bool:  # type: ignore[no-untyped-def]
        """A one-word name in apposition with a description of what it is: "Sela, a
        Saudi state-owned company", "the lender Kaspi"."""
        others = [c for c in tok.children if c.dep_ == "appos"]
        if tok.dep_ == "appos":
            others.append(tok.head)
        return any(o.pos_ == "NOUN" and (self.k.descriptions.get(o.lower_) or self.k.descriptions.get(
            lemma_of(o))) in ("Organization", "Product") for o in others)

    def _not_name(self, tok) -> bool:  # type: ignore[no-untyped-def]
        """Capitalised words that are titles, roles or party labels, not names."""
        word = tok.text.lower().rstrip(".")
        return word in self._titles() or word in self.k.roles or tok.text in self.k.party_words \
            or lemma_of(tok) in self.k.roles

    def _names_employer(self, span: Span) -> bool:
        """"Assipen director Claudio Constancio", "KAL attorney George Tompkins": a
        capitalised word before a role that a person's name follows names a body."""
        doc, end = span.doc, span.end
        if end + 1 >= len(doc) or span[0].lower_ in self.k.demonyms or span[0].lower_ == "euro" \
                or span.text.lower() in self.k.sets["department_words"] or span[0].text in self.k.party_words:
            return False
        found = role_at(doc, end, self.k)
        if found is None or found[0] != end or found[1] in ("judge", "justice") \
                or span.text.lower() in self.k.sets["role_neutral_modifiers"]:
            return False  # "Bankruptcy Judge X", "Circuit Judge Y": a court's kind, no body
        after = doc[end + 1]
        return after.ent_type_ == "PERSON" or after.pos_ == "PROPN" and after.is_title

    def _candidates(self, doc: Doc) -> list[tuple[Span, str | None, dict[str, Any] | None]]:
        found: dict[tuple[int, int], list[Any]] = {}
        ents = list(doc.ents)
        merged: list[Any] = []
        swallowed: set[int] = set()  # ends of entities taken into the one before
        split: list[Any] = []
        surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}
        glued = []
        for ent in ents:  # "group EADS Philippe Camus": an acronym glued to the person after it
            cut = next((j for j in range(ent.start + 1, ent.end - 1) if ent.label_ == "ORG"
                        and doc[j - 1].is_upper and len(doc[j - 1]) >= 2 and doc[j].is_title
                        and given_name_gender(doc[j].text) in ("male", "female")
                        and doc[j + 1].is_title), None)
            glued += [Span(doc, ent.start, cut, label="ORG"), Span(doc, cut, ent.end, label="PERSON")] \
                if cut is not None else [ent]
        ents = glued
        for ent in ents:  # "Rubiales and Piqué": a person's name never holds "and"
            ands = [t.i for t in ent if t.lower_ == "and" and ent.start < t.i < ent.end - 1]
            if ands and ent.label_ == "ORG" and doc[ent.start:ands[0]].text in surnames \
                    and doc[ands[0] + 1:ent.end].text in surnames:
                ent = Span(doc, ent.start, ent.end, label="PERSON")  # two people named before
            if ent.label_ == "PERSON" and ands:
                split += [Span(doc, ent.start, ands[0], label="PERSON"),
                          Span(doc, ands[0] + 1, ent.end, label="PERSON")]
            else:
                split.append(ent)
        ents = split
        for ent in ents:
            if ent.end in swallowed:
                continue
            prev = merged[-1] if merged else None
            if prev is not None and prev.label_ in ("ORG", "PERSON", "GPE") \
                    and ent.label_ in ("ORG", "PERSON", "GPE") and ent.start == prev.end + 1 \
                    and doc[prev.end].lower_ in self.k.sets["name_connectors"] and doc[ent.start].is_title:
                # "Cassa Depositi e Prestiti": a conjunction inside one name makes it an
                # organisation's; a particle ("da", "van") keeps a person's
                conj = doc[prev.end].lower_ in self.k.sets["name_conjunctions"]
                label = "ORG" if conj or "ORG" in (prev.label_, ent.label_) else prev.label_
                merged[-1] = Span(doc, prev.start, ent.end, label=label)
                continue
            if prev is not None and prev.end == ent.start and prev.label_ in ("GPE", "NORP") \
                    and ent.label_ == "ORG":
                merged[-1] = Span(doc, prev.start, ent.end, label="ORG")  # "Accra" + "Digital Ventures"
                continue
            end = ent.end  # "Hiroshi" + "Tanabe": a name the model cut short
            cut_short = ent.label_ == "PERSON" or (
                ent.label_ == "ORG" and len(ent) == 1 and not ent.text.isupper()
                and ent.text not in self.forms)
            while end < len(doc) and cut_short and doc[end].pos_ == "PROPN" \
                    and doc[end].ent_type_ == "" and doc[end].is_title and not self._not_name(doc[end]):
                end += 1
            if end != ent.end:
                ent = Span(doc, ent.start, end, label=ent.label_)
            if ent.label_ == "ORG" and ent[-1].text.lower().rstrip(".") in self.k.sets["org_cues"] \
                    and ent.end + 1 < len(doc) and doc[ent.end].lower_ == "of" \
                    and doc[ent.end + 1].ent_type_ in ("GPE", "ORG", "LOC", "NORP") \
                    and doc[ent.end + 1].ent_iob_ == "B":
                end = ent.end + 2  # "the Central Bank of Kenya", "the University of Ghana"
                while end < len(doc) and doc[end].ent_iob_ == "I":
                    end += 1
                ent = Span(doc, ent.start, end, label="ORG")
                swallowed.add(ent.end)
            elif ent.label_ == "ORG" and ent[-1].text.lower().rstrip(".") in self.k.sets["org_cues"] \
                    and ent.end + 1 < len(doc) and doc[ent.end].lower_ == "of" \
                    and doc[ent.end + 1].is_title and doc[ent.end + 1].pos_ in ("PROPN", "NOUN") \
                    and doc[ent.end + 1].ent_type_ == "":
                # "the East African Court of Justice", "the Ministry of Defence": a field of
                # the body's, in capitals, is the rest of its name
                end = ent.end + 2
                while end < len(doc) and (doc[end].is_title and doc[end].pos_ in ("PROPN", "NOUN")
                                          and doc[end].ent_type_ == "" and not self._not_name(doc[end])
                                          or doc[end].lower_ == "and" and end + 1 < len(doc)
                                          and doc[end + 1].is_title and doc[end + 1].pos_ in ("PROPN", "NOUN")
                                          and doc[end + 1].ent_type_ == ""):
                    end += 1
                ent = Span(doc, ent.start, end, label="ORG")
            if ent.label_ == "ORG" and ent.start > 0 and doc[ent.start - 1].text == "Sunday" \
                    and ent[0].lower_ in self.k.sets["outlet_words"]:
                ent = Span(doc, ent.start - 1, ent.end, label="ORG")  # "the Sunday Telegraph"
                if merged and merged[-1].end == ent.end - len(ent) + 1 and merged[-1].label_ == "DATE":
                    merged.pop()
            if ent.label_ == "ORG" and ent.start > 0 and ent[-1].lower_ == "party" \
                    and doc[ent.start - 1].pos_ == "PROPN" and doc[ent.start - 1].ent_type_ in ("", "GPE") \
                    and doc[ent.start - 1].lower_ in self.k.country_names:
                ent = Span(doc, ent.start - 1, ent.end, label="ORG")  # "the UK Independence Party"
                if merged and merged[-1].end == ent.start + 1 and merged[-1].label_ == "GPE":
                    merged.pop()
            if ent.label_ == "PERSON" and ent.start > 0 and doc[ent.start - 1].ent_type_ == "" \
                    and doc[ent.start - 1].is_title and not self._not_name(doc[ent.start - 1]) \
                    and given_name_gender(doc[ent.start - 1].text) in ("male", "female", "either"):
                ent = Span(doc, ent.start - 1, ent.end, label="PERSON")  # "Oona" + "King"
            if ent.label_ in ("PRODUCT", "ORG", "WORK_OF_ART", "LAW") and ent.start > 0:
                start = ent.start
                while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].ent_type_ == "" \
                        and doc[start - 1].is_title and not self._not_name(doc[start - 1]):
                    start -= 1
                if start != ent.start:
                    ent = Span(doc, start, ent.end, label=ent.label_)
            merged.append(ent)
        for n, ent in enumerate(merged):
            nxt = doc[ent.end] if ent.end < len(doc) else None
            if nxt is not None and nxt.like_num and len(nxt.text) == 4 and \
                    ent[-1].lower_ in self.k.sets["policy_cues"]:
                merged[n] = Span(doc, ent.start, ent.end + 1, label=ent.label_)
        for ent in merged:
            if ent.label_ not in NER_TYPES or ent.text in self.k.party_words:
                continue  # party words ("Republican") are read by the relations component
            if ent.label_ != "PERSON" and (
                    ent.start > 0 and doc[ent.start - 1].lower_ in ("a", "an")
                    and ent.start <= doc[ent.start - 1].head.i < ent.end
                    or any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in ent.root.children)):
                continue  # "a super PAC": a description, not a name ("a Ministry of Defence
                # spokesman" names the ministry)
            span = self._clean(ent)
            if span is not None and any(t.is_alpha for t in span):
                found.setdefault((span.start, span.end), [span, span.label_ or ent.label_, None])
        # a bare surname of a person named in full here is that person, whatever the
        # gazetteer says of the word ("Bloomberg" after "Michael Bloomberg")
        surnames_here = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        gaz_spans = [doc[s:e] for _, s, e in self.matcher(doc)
                     if not (e - s == 1 and doc[s].text in surnames_here
                             and self.forms[doc[s].text]["type"] != "Person")]
        for span in filter_spans(gaz_spans):
            key = (span.start, span.end)
            entry = self.forms[span.text]
            if key in found:
                found[key][2] = entry
                continue
            # a gazetteer name longer than an NER span wins; a shorter one inside
            # an NER span is kept only if the NER span is not a longer name
            overlapping = [k for k in found if k[0] < span.end and span.start < k[1]]
            if all(k[0] >= span.start and k[1] <= span.end for k in overlapping):
                for k in overlapping:
                    label = found.pop(k)[1]
                    found.setdefault(key, [span, label, entry])
                found.setdefault(key, [span, None, entry])
        covered = {i for s, e in found for i in range(s, e)}
        propn = set(tokens_with_pos(doc, _PROPN))
        i = 0
        while i < len(doc):
            if i not in propn or i in covered or not doc[i].text[:1].isupper() \
                    or self._not_name(doc[i]):
                i += 1
                continue
            j = i
            while j < len(doc) and j not in covered and not self._not_name(doc[j]) and (
                    doc[j].pos_ == "PROPN" or (j > i and doc[j].like_num and doc[j].text.isalnum()) or (
                    j > i and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_
                    and j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN") or (
                    (doc[j].text in ("&", "of") or doc[j].lower_ in self.k.sets["name_connectors"])
                    and j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].is_title)):
                j += 1
            if j < len(doc) and doc[j].like_num and len(doc[j].text) == 4 and \
                    doc[j - 1].lower_ in self.k.sets["policy_cues"]:
                j += 1  # "the Finance Bill 2024"
            span = self._clean(doc[i:j])
            if span is not None and span.start > 0 and doc[span.start - 1].ent_type_ == "NORP" \
                    and doc[span.start - 1].is_title and self._names_employer(span):
                # "Jewish Chronicle editor X": the model took the first word for a demonym
                found.pop((span.start - 1, span.start), None)
                span = doc[span.start - 1:span.end]
            if span is not None and span[-1].ent_type_ == "DATE" and len(span) > 1:
                years_ok = span[-2].lower_ in self.k.sets["policy_cues"]
            else:
                years_ok = False
            if span is not None and (len(span) > 1 or span.text.isupper() and len(span.text) > 1
                                     or (span.root.dep_ == "compound" and span.root.head.pos_ == "NOUN"
                                         and span.root.head.lower_ in self.k.descriptions)
                                     or self._names_employer(span)
                                     or self._described(span.root)) \
                    and (years_ok or not any(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT")
                                             for t in span)):
                found.setdefault((span.start, span.end), [span, None, None])
            i = max(j, i + 1)
        for key, item in list(found.items()):
            span, label, entry = item
            if entry is None and label != "PERSON" and any(
                    c.dep_ == "det" and c.lower_ in ("a", "an") for c in span.root.children):
                del found[key]  # "a new super PAC": a description, not a name
        for (s, e), item in list(found.items()):
            if item[2] is None and e - s == 1 and doc[s].text in self.surnames \
                    and doc[s].ent_type_ not in _NOT_NAMES and self._country_in_play(doc, self.surnames[doc[s].text]):
                item[2] = {"surname_of": self.surnames[doc[s].text]}
        return sorted((tuple(v) for v in found.values()), key=lambda c: c[0].start)

    # -- grouping -----------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        clusters: dict[str, dict[str, Any]] = {}
        order: list[str] = []
        for span, label, entry in self._candidates(doc):
            if entry and "surname_of" not in entry:
                key = "gaz:" + entry["name"]
            else:
                key = "txt:" + fold(span.text)
            if key not in clusters:
                clusters[key] = {"spans": [], "labels": Counter(), "entry": None, "hint": None}
                order.append(key)
            c = clusters[key]
            c["spans"].append(span)
            if label:
                c["labels"][label] += 1
            if entry and "surname_of" not in entry:
                c["entry"] = entry
            elif entry:
                c["hint"] = entry["surname_of"]
        names = {c["spans"][0].text for c in clusters.values()}
        for key in list(order):
            text = clusters[key]["spans"][0].text
            if clusters[key]["entry"] is None and text.endswith("s") and text[:-1] in names:
                order.remove(key)  # "Teslas": the product of a named maker, not a new entity
                del clusters[key]
        groups = self._merge(clusters, order)
        for keys in groups:
            self._make_entity(doc, st, [clusters[k] for k in keys])
        self._link_aliases(doc, st)
        self._governments(doc, st)
        self._group_phrases(doc, st)
        return doc

    # -- governments named by common nouns -----------------------------------

    def _country(self, st: DocState, name: str) -> int:
        """The article's entity of a country (made when the article never names it)."""
        for ent in st.entities:
            if ent.name == name and ent.type in ("Place", "Organization"):
                ent.type, ent.kind = "Place", "country"
                return ent.idx
        return st.add_entity(name, "Place", kind="country", gazetteer=True).idx

    def _country_of(self, st: DocState, tok) -> str | None:  # type: ignore[no-untyped-def]
        """The country a modifier names: a demonym ("French") or a country entity."""
        name = self.k.demonyms.get(tok.lower_)
        if name is None:
            ent = st.entity_at(tok.i)
            if ent is not None and ent.name in self.k.countries:
                name = ent.name
            elif ent is not None and ent.name in self.k.capitals:
                name = self.k.capitals[ent.name]  # "the Phnom Penh government"
        return name

    def _governments(self, doc: Doc, st: DocState) -> None:
        """A government acting as one body is its country (ONTOLOGY.md, conventions).

        "the French government", "Germany's government", "the Kenyan state" and the
        article's bare "the government" after one of those; a capital standing for
        its government ("Berlin said", "Ottawa's decision"); a demonym naming the
        country of a head of state or government ("French President X", "the Dutch
        prime minister"). Ministries named by a common noun ("the finance ministry",
        "Italy's economy ministry") become organizations named by their fullest form.
        """
        k = self.k
        gov_nouns = k.sets["government_nouns"]
        last_government: int | None = None
        ministries: dict[str, list[tuple[int, int, str]]] = {}
        words = gov_nouns | k.sets["department_nouns_ministry"] | frozenset(k.demonyms)
        for tok in (doc[i] for i in indices_of(doc, words)):
            low = tok.lower_
            if low in gov_nouns and tok.pos_ in ("NOUN", "PROPN"):
                country = None
                mods = [c for c in tok.children if c.i < tok.i
                        and c.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod")]
                for c in mods:
                    country = self._country_of(st, c) or country
                start = min([tok.i] + [t.i for c in mods for t in c.subtree])
                dets = [c for c in tok.children if c.dep_ == "det" and c.i < tok.i]
                if dets:
                    start = min(start, dets[0].i)
                if country is None and any(c.text in k.party_words for c in mods):
                    # "the Labour government": the country the party governs, when the
                    # article says which (a government named before, or its one country)
                    if last_government is not None:
                        country = st.entities[last_government].name
                    else:
                        named = {e.name for e in st.entities if e.kind == "country" and e.mentions}
                        country = next(iter(named)) if len(named) == 1 else None
                if country is not None:
                    last_government = self._country(st, country)
                    st.link(start, tok.i + 1, last_government, overwrite=True)
                elif not mods and last_government is not None and low == "government" \
                        and dets and dets[0].lower_ == "the" and tok.i not in st.token_entity:
                    st.link(dets[0].i, tok.i + 1, last_government)
                continue
            if low in k.sets["department_nouns_ministry"] and tok.pos_ in ("NOUN", "PROPN") \
                    and tok.i not in st.token_entity:
                words: list[str] = []
                country = None
                first = tok.i
                for c in sorted(tok.children, key=lambda t: t.i):
                    if c.i < tok.i and c.dep_ in ("amod", "compound", "nmod", "poss"):
                        if c.lower_ in k.sets["department_words"]:
                            words.append(c.text.title())
                            first = min(first, c.i)
                        elif self._country_of(st, c):
                            country = self._country_of(st, c)
                            first = min(first, c.i)
                for c in tok.children:  # "the ministry of finance"
                    if c.dep_ == "prep" and c.lower_ == "of" and not words:
                        objs = [g for g in c.children if g.dep_ == "pobj"
                                and g.lower_ in k.sets["department_words"]]
                        if objs:
                            words.append(objs[0].text.title())
                if not words:
                    continue
                dets = [c for c in tok.children if c.dep_ == "det" and c.i < tok.i]
                if dets:
                    first = min(first, dets[0].i)
                dept = " ".join(words)
                ministries.setdefault(dept, []).append((first, tok.i + 1, country or ""))
                continue
            if tok.i in st.token_entity and tok.ent_type_ in ("NORP", "") and low in k.demonyms:
                continue
            if low in k.demonyms and tok.i + 1 < len(doc):
                found = None  # a role starting right after the demonym ("Dutch prime minister")
                for n in range(1, k.role_max_words + 1):
                    if tok.i + n < len(doc):
                        found = role_at(doc, tok.i + n, k)
                        if found and found[0] == tok.i + 1:
                            break
                        found = None
                if found and k.roles[found[1]].get("places"):
                    st.link(tok.i, tok.i + 1, self._country(st, k.demonyms[low]), overwrite=True)
        self._bodies(doc, st)
        for ent in list(st.entities):
            capital = k.capitals.get(ent.name)
            if ent.type != "Place" or capital is None or ent.name in k.countries:
                continue
            for start, end in ent.mentions:
                head = doc[start:end].root
                # "Berlin said", "Moscow's response"; not "London's mayor", "Paris's streets"
                acts = head.dep_ == "nsubj" and head.head.pos_ == "VERB" and lemma_of(head.head) != "be" \
                    or head.dep_ == "poss" and head.head.pos_ == "NOUN" \
                    and lemma_of(head.head) in k.sets["owner_nouns"]
                if acts or (head.dep_ == "pobj" and head.head.lower_ == "by"
                            and head.head.dep_ == "agent"):
                    st.link(start, end, self._country(st, capital), overwrite=True)
        for dept, spans in ministries.items():
            countries = {c for _, _, c in spans if c}
            if len(countries) > 1:
                continue  # two countries' ministries: left unnamed rather than merged
            country = next(iter(countries), "")
            demonym = next((d for d, c in k.demonyms.items() if c == country), "") if country else ""
            name = f"{demonym.title()} {dept} Ministry".strip()
            ent = st.add_entity(name, "Organization", kind="agency", gazetteer=True)
            for start, end, _ in spans:
                ent.mentions.append((start, end))
                st.link(start, end, ent.idx, overwrite=True)

    def _link_aliases(self, doc: Doc, st: DocState) -> None:
        """Link name tokens the NER missed to the article's entities ("Musk", "Elon")."""
        index: dict[str, int | None] = {}

        def add(form: str, idx: int) -> None:
            if form in index and index[form] != idx:
                index[form] = None  # ambiguous: two entities share it
            else:
                index[form] = idx

        for ent in st.entities:
            for alias in ent.aliases:
                add(alias, ent.idx)
            weak = not ent.gazetteer and sum(ent.votes.values()) <= 2
            words = ent.name.split()
            if weak and 2 <= len(words) <= 3 and words[-1].lower() not in self.k.sets["org_cues"] \
                    and all(w[:1].isupper() for w in words):
                add(words[-1], ent.idx)  # a name the model was unsure of: its last word too
            if ent.type == "Person" or ent.votes.get("Person"):
                first, last = self._person_parts(ent.name)
                for part in (first, last):
                    if part and part[0].isupper():
                        add(part, ent.idx)
        starts = set(tokens_with_pos(doc, _PROPN)) | {
            i for i, title in enumerate(doc.to_array("IS_TITLE").tolist()) if title}
        i = 0
        while i < len(doc):
            if i in st.token_entity or i not in starts:
                i += 1
                continue
            j = i
            while j < len(doc) and j not in st.token_entity and doc[j].pos_ == "PROPN":
                j += 1
            j = max(j, i + 1)
            text = doc[i:j].text
            idx = index.get(text)
            if idx is None and j - i == 1 and text in self.surnames and doc[i].pos_ == "PROPN" \
                    and text not in index and doc[i].ent_type_ not in _NOT_NAMES \
                    and self._country_in_play(doc, self.surnames[text]):
                entry = self.surnames[text]
                ent = st.add_entity(entry["name"], "Person", gazetteer=True)
                idx = ent.idx
                index[text] = idx
            if idx is not None:
                ent = st.entities[idx]
                ent.mentions.append((i, j))
                st.link(i, j, idx)
            i = j

    def _country_in_play(self, doc: Doc, entry: dict[str, Any]) -> bool:
        """Whether a well-known person's country is in the article (its name, a demonym
        or its capital): "Mr McConnell" in a story from Scotland is not the US senator."""
        code = entry.get("country")
        words = self.k.country_words.get(code) if code else None
        if not words:
            return True
        cached = doc.user_data.get("graphkit_words")
        if cached is None:
            strings = doc.vocab.strings
            lows = [strings[h] for h in doc.to_array("LOWER").tolist()]
            cached = doc.user_data["graphkit_words"] = set(lows) | {
                f"{a} {b}" for a, b in zip(lows, lows[1:])}
        return bool(words & cached)

    def _unit_words(self, words: list[str]) -> bool:
        """Words after a company's name that make another company of the group: a
        place ("USA", "Nederland") or a line of business ("Capital", "Radio")."""
        for word in words:
            low = word.lower().rstrip(".")
            if low in self.k.sets["unit_words"] or low in self.k.demonyms or fold(word) in self.places:
                return True
        # "Rover" and "Rover 25": a maker and its model
        return bool(words) and all(any(ch.isdigit() for ch in w) for w in words)

    def _person_parts(self, text: str) -> tuple[str, str]:
        return _person_parts(text)

    def _merge(self, clusters: dict[str, dict[str, Any]], order: list[str]) -> list[list[str]]:
        """Group clusters of one entity: surname/first name, short names, acronyms."""
        parent = {k: k for k in order}

        def find(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        texts: dict[str, str] = {}

        def text(k: str) -> str:
            found = texts.get(k)
            if found is None:
                c = clusters[k]
                found = texts[k] = c["entry"]["name"] if c["entry"] else max((s.text for s in c["spans"]), key=len)
            return found

        def personish(k: str) -> bool:
            c = clusters[k]
            if c["entry"]:
                return c["entry"]["type"] == "Person"
            return c["labels"]["PERSON"] > 0 or c["hint"] is not None

        def peer(k: str) -> bool:  # named with a peerage title ("Lord", "Baroness")
            return any(s.start > 0 and s.doc[s.start - 1].text in _PEER_TITLES for s in clusters[k]["spans"])

        # "the Party of the Democratic Revolution (PRD)", "PRD (Party of ...)": the article
        # defines one name by the other, whatever the initials
        starts = {span.start: k for k in order for span in clusters[k]["spans"]}
        for k in order:
            for span in clusters[k]["spans"]:
                doc = span.doc
                if span.end + 1 < len(doc) and doc[span.end].text == "(":
                    other = starts.get(span.end + 1)
                    acronym = [t for t in (text(k), text(other)) if t.replace(".", "").isupper()
                               and len(t.split()) == 1] if other is not None else []
                    if other is not None and other != k and len(acronym) == 1 and not (
                            personish(k) or personish(other)) and all(
                            clusters[c]["labels"]["GPE"] + clusters[c]["labels"]["LOC"] == 0
                            for c in (k, other)) and not (
                            clusters[k]["entry"] and clusters[other]["entry"]) and any(
                            s.start == span.end + 1 and s.end < len(doc) and doc[s.end].text == ")"
                            for s in clusters[other]["spans"]):
                        parent[find(other)] = find(k)
        multi = [k for k in order if len(text(k).split()) > 1]
        for k in order:
            words = text(k).split()
            if len(words) != 1:
                continue
            word = words[0]
            # surname or first name of a person named in full
            persons = [m for m in multi if m != k and personish(m)]
            if peer(k) and persons:
                # "Lord Roberts of Conwy" is a peer, not the Sion Roberts named before
                persons = [m for m in persons if peer(m)]
            by_last = [m for m in persons if self._person_parts(text(m))[1] == word]
            by_first = [m for m in persons if self._person_parts(text(m))[0] == word]
            target = by_last[0] if by_last else (by_first[0] if len(by_first) == 1 else None)
            low = word.lower()
            nationality = low in self.k.demonyms or low in self.k.country_names \
                or low in self.k.sets["regional_demonyms"] or clusters[k]["labels"]["NORP"] > 0 \
                or clusters[k]["labels"]["GPE"] + clusters[k]["labels"]["LOC"] > clusters[k]["labels"]["ORG"]
            # ("London" is not the London Stock Exchange)
            if target is None and not nationality:
                # short form of an organization ("Exxon" for "Exxon Mobil"), or acronym; never
                # a nationality ("Scottish" is not the Scottish National Party)
                for m in multi:
                    if m == k or personish(m):
                        continue
                    mwords = text(m).split()
                    initials = "".join(w[0] for w in mwords if w.lower() not in _CONNECTORS
                                       and w[0].isalpha())
                    if mwords[0] == word and self._unit_words(mwords[1:]):
                        continue  # "Yukos" and "Yukos USA", "Barclays" and "Barclays Capital"
                    if mwords[0] == word or (word.isupper() and len(word) > 1
                                             and initials.upper() == word.replace(".", "")):
                        target = m
                        break
            if target is not None and not (clusters[k]["entry"] and clusters[target]["entry"]):
                parent[find(k)] = find(target)
        groups: dict[str, list[str]] = {}
        for k in order:
            groups.setdefault(find(k), []).append(k)
        return list(groups.values())

    def _vote(self, doc: Doc, spans: list[Span], labels: Counter, entry: Any, hint: Any) -> Counter:
        k = self.k
        votes: Counter = Counter()
        for label, n in labels.items():
            votes[NER_TYPES[label]] += n
        if entry:
            votes[entry["type"]] += 10
        if hint:
            votes["Person"] += 6
        org_cues = k.sets["org_cues"]
        titles = self._titles()
        for span in spans:
            last = span[-1]
            if last.text.lower() in org_cues or (span.end < len(doc) and doc[span.end].text.lower()
                                                 in org_cues and doc[span.end].is_title):
                votes["Organization"] += 3
            before = doc[span.start - 1] if span.start > 0 else None
            if before is not None and before.text.lower().rstrip(".") in titles:
                votes["Person"] += 3
            if before is not None and (before.lower_ in k.roles or lemma_of(before) in k.roles) \
                    and before.dep_ == "compound" and before.is_lower:
                votes["Person"] += 3  # "former Disney directors Roy Disney"
            if span.end < len(doc) and doc[span.end].text.lower().rstrip(".") in k.sets["person_suffixes"]:
                votes["Person"] += 3
            head = span.root
            if last.lower_ in k.sets["place_cues"] and len(span) > 1:
                votes["Place"] += 4
            if last.lower_ in k.sets["policy_cues"] and len(span) > 1:
                votes["Policy"] += 4
            # "the founder of X", "CEO at X", "parent company of X": X is an organization
            if head.dep_ == "pobj" and head.head.lower_ in ("of", "at"):
                found = role_at(doc, head.head.head.i, k)
                spec = k.roles[found[1]] if found else {}
                if found and spec.get("relation") != "PRODUCES" and not spec.get("places"):
                    votes["Organization"] += 2
            # what the sentence does to it: "X was founded", "acquired X", "invested in X"
            role_key = f"{head.dep_}:{lemma_of(head.head)}"
            if head.dep_ == "pobj" and head.head.head.i != head.head.i:
                role_key = f"{head.head.lower_}:{lemma_of(head.head.head)}"
            if role_key in k.org_contexts:
                votes["Organization"] += 2
            # "the Skylark 9 drone", "the Online Safety Act": the noun the name modifies
            if head.dep_ == "compound" and head.head.pos_ == "NOUN":
                described = k.descriptions.get(head.head.lower_) or k.descriptions.get(lemma_of(head.head))
                if described:
                    votes[described] += 2
            # coordinated with a person: "Ayodele Bankole and Lucía Ferrández"
            partners = [head.head] if head.dep_ == "conj" else []
            partners += [c for c in head.children if c.dep_ == "conj"]
            if any(p.ent_type_ == "PERSON" for p in partners):
                votes["Person"] += 1
            if len(span) > 2 and any(t.text in k.sets["name_particles"] for t in span[1:-1]) \
                    and span[0].is_title and span[-1].is_title:
                votes["Person"] += 2  # "Anneke de Vries", "Luiz Inácio Lula da Silva"
            if len(span) > 1 and span[0].text in self.given_names and span[-1].is_title \
                    and span[-1].text.lower() not in org_cues:
                votes["Person"] += 2
            # "Obsidian Freight, a trucking firm": what the apposition calls it
            # (an apposition after a coordination describes its last conjunct)
            conjs = [c.i for c in head.children if c.dep_ == "conj"]
            appositions = [c for c in head.children if c.dep_ == "appos"
                           and (c.tag_ in ("NNS", "NNPS") or not any(j < c.i for j in conjs))]
            if head.dep_ == "conj":
                appositions += [c for c in head.head.children if c.dep_ == "appos" and c.i > head.i
                                and (c.tag_ in ("NNS", "NNPS") or max(
                                    x.i for x in head.head.children if x.dep_ == "conj"
                                    and x.i < c.i) == head.i)]
            if head.dep_ == "appos":
                appositions.append(head.head)
            if head.dep_ == "nsubj" and lemma_of(head.head) == "be":  # "X is chief executive of Y"
                appositions += [c for c in head.head.children if c.dep_ == "attr"]
            for other in appositions:
                if other.pos_ == "NOUN":
                    described = k.descriptions.get(other.lower_) or k.descriptions.get(lemma_of(other))
                    role = k.roles.get(lemma_of(other))
                    if role is not None:  # "X, a former owner of Y"; "its unit, X" (an organisation)
                        holders = role.get("holder") or list(k.default_holder)
                        votes["Person" if "Person" in holders else holders[0]] += 3
                    elif described:
                        votes[described] += 3
            before = doc[span.start - 1] if span.start > 0 else None
            if before is not None and before.pos_ == "NOUN" and before.dep_ == "compound" \
                    and before.head.i == head.i:
                described = k.descriptions.get(before.lower_) or k.descriptions.get(lemma_of(before))
                if described:
                    votes[described] += 4  # "the football club X", "the carmaker X"
            # "Tesla CEO", "Nvidia's chief executive": an organization names the role
            if head.dep_ in ("compound", "poss") and lemma_of(head.head) in k.roles \
                    and fold(span.text) not in self.places:  # "Northern Ireland minister": a place
                if lemma_of(head.head) not in ("member",):
                    votes["Organization"] += 3
            # "Huang, who ..." / "he" agreement is left to coreference
        if not entry and all(len(s) == 1 and fold(s.text) in self.places for s in spans):
            votes["Place"] += 2  # "Milan prosecutors": a city the list of places knows
        place_cued = any(s[-1].lower_ in self.k.sets["place_cues"] and len(s) > 1 for s in spans)
        if votes.get("Place") and not place_cued and not (entry and entry["type"] == "Place") \
                and not any(fold(s.text) in self.places for s in spans):
            # a "place" no gazetteer of places knows is most often a company
            votes["Organization"] += votes.pop("Place")
        if votes.get("Group") and all(not s.text.endswith("s") for s in spans):
            votes.pop("Group")  # NORP adjectives ("Chinese") are not groups
        return votes

    def _make_entity(self, doc: Doc, st: DocState, members: list[dict[str, Any]]) -> None:
        spans = [s for c in members for s in c["spans"]]
        labels: Counter = sum((c["labels"] for c in members), Counter())
        entry = next((c["entry"] for c in members if c["entry"]), None)
        hint = next((c["hint"] for c in members if c["hint"]), None)
        if entry is None and all(s.text.lower() in self.k.demonyms for s in spans):
            return  # "French", "Swiss": an adjective of a country, not an entity
        votes = self._vote(doc, spans, labels, entry, hint)
        if not votes:
            if labels or not all(s.root.pos_ == "PROPN" for s in spans):
                return
            votes["Organization"] += 0.5  # an unlabeled proper name: most often a company
        etype = votes.most_common(1)[0][0]
        if entry and entry.get("kind") == "country":
            etype = "Place"  # a country acting as its government is still a country
        elif etype == "Person" and votes["Person"] == votes.get("Organization", 0) \
                and all(len(s) == 1 for s in spans) and not hint:
            etype = "Organization"  # a tie on one word: a person is named in full
        if etype == "Person" and (labels.get("PERSON", 0) < len(spans) or len(spans) > 1) \
                and self._unnamed_person(doc, st, spans, entry, hint):
            votes["Organization"] += votes.pop("Person") + 0.5
            etype = votes.most_common(1)[0][0]
        longest = max((s.text for s in spans), key=lambda t: (len(t.split()), len(t)))
        texts = {s.text for s in spans}
        if entry and len(texts) == 1 and longest.isupper() and longest in entry["aliases"] \
                and etype == entry["type"]:
            name = longest  # only "NASA" in the article: its common name, not the expansion
        elif entry and (entry["name"] in texts
                      or len(longest.split()) < len(entry["name"].split())):
            name = entry["name"]
        elif entry and entry["type"] == etype:
            name = longest  # the article's own full name ("Paramount Global")
        elif entry:
            name = entry["name"]
        elif hint and etype == "Person" and all(len(s) == 1 for s in spans):
            name = hint["name"]
        else:
            name = max((s.text for s in spans), key=lambda t: (len(t.split()), len(t)))
        name = name.replace("\u2019", "'")
        if name[:3].lower() == "ex-" and len(name) > 4 and name[3].isupper():
            name = name[3:]  # "Ex-Welsh Office Minister X": the office, not "Ex-Welsh Office"
        if not entry and name in self.k.party_words and etype != "Person":
            name, etype = self.k.party_words[name], "Organization"  # "Lib Dem" is the party
        kind = (entry or {}).get("kind")
        if kind is None and etype == "Organization" and any(
                s[-1].text.rstrip(".").lower() in self.k.sets["company_cues"] for s in spans):
            kind = "company"
        if kind is None and etype == "Organization" and (
                name in self.k.party_words.values() or any(t.lower_ == "party" for s in spans for t in s)):
            kind = "party"
        if kind is None and etype == "Organization":
            # "National Union of Miners", "the Supreme Court": the head noun of the name
            head = name.split(" of ")[0].split()[-1].lower()
            kinds = self.k.cues.get("description_kinds", {}).get(head) or []
            kind = kinds[0] if len(kinds) == 1 else None
        ent = st.add_entity(name, etype, kind=kind, gazetteer=bool(entry))
        ent.votes.update(votes)
        for span in spans:
            ent.mentions.append((span.start, span.end))
            ent.aliases.add(span.text)
            st.link(span.start, span.end, ent.idx)
            before = doc[span.start - 1] if span.start > 0 else None
            if before is not None and before.text.lower().rstrip(".") in self._titles():
                ent.titles.add(before.text)

    def _bodies(self, doc: Doc, st: DocState) -> None:
        """Organisations named by a common noun and what it belongs to: "the Biden
        administration", "the Trump campaign", "Norfolk police", "the ODPM committee",
        "the Italian parliament". The name is the modifier and the noun ("Norfolk
        Police"); the modifier's own entity stays apart."""
        k = self.k
        for tok in (doc[i] for i in indices_of(doc, k.sets["body_nouns"])):
            if tok.lower_ not in k.sets["body_nouns"] or tok.pos_ != "NOUN" or tok.i in st.token_entity \
                    or tok.tag_ in ("NNS", "NNPS") and tok.lower_ != "police":
                continue
            mods = [c for c in tok.children if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "poss")]
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if not mods and prev is not None and prev.i in st.token_entity and tok.dep_ == "compound" \
                    and prev.dep_ in ("compound", "nmod") and prev.head.i == tok.head.i:
                mods = [prev]  # "Norfolk police chief X": the parser hangs both on "chief"
            named = [c for c in mods if c.i in st.token_entity or c.lower_ in k.demonyms]
            if not named or len(named) != len(mods):
                continue  # "the new committee", "a campaign finance committee"
            first = min(t.i for c in named for t in c.subtree)
            words = [t.text for t in doc[first:tok.i] if t.tag_ != "POS" and t.dep_ != "case"]
            if not words or doc[first].pos_ == "DET":
                continue
            name = " ".join(words + [tok.text.title()]).replace(" 's", "")
            ent = st.add_entity(name, "Organization", gazetteer=True)
            ent.votes["Organization"] += 10
            dets = [c for c in tok.children if c.dep_ == "det" and c.i < first]
            start = dets[0].i if dets else first
            ent.mentions.append((first, tok.i + 1))
            st.link(start, tok.i + 1, ent.idx, overwrite=True)

    def _unnamed_person(self, doc: Doc, st: DocState, spans: list[Span], entry: Any, hint: Any) -> bool:
        """Whether a one-word "person" is more likely a company or a body.

        News introduces people by their full name; a single word that the article
        never gives as part of a person's name, never with a title ("Mr", "President")
        and that no list of given names holds ("Yukos", "Alstom") names something else,
        unless it is named once and the model called it a person ("Vollmer criticized
        ...": a follow-up may name someone by surname alone).
        """
        if entry or hint or any(len(s) != 1 for s in spans):
            return False
        for span in spans:  # "Tapie, a former owner of ...": an apposition says a person
            head = span.root
            others = [c for c in head.children if c.dep_ == "appos"] + ([head.head] if head.dep_ == "appos" else [])
            for other in others:
                role = self.k.roles.get(lemma_of(other))
                if (role is not None and "Person" in (role.get("holder") or list(self.k.default_holder))) \
                        or self.k.descriptions.get(other.lower_) == "Person":
                    return False
        word = spans[0].text
        if given_name_gender(word) is not None or not word[:1].isupper():
            return False
        titles = self._titles()
        for span in spans:
            before = doc[span.start - 1] if span.start > 0 else None
            if before is not None and (before.text.lower().rstrip(".") in titles
                                       or before.lower_ in self.k.roles):
                return False
            after = doc[span.end] if span.end < len(doc) else None
            if after is not None and after.text.lower().rstrip(".") in self.k.sets["person_suffixes"]:
                return False
        return not any(word in ent.name.split() for ent in st.entities if ent.type == "Person")

    def _group_phrases(self, doc: Doc, st: DocState) -> None:
        """Plural noun phrases naming a collective: "Senate Democrats", "oil executives"."""
        group_nouns = self.k.sets["group_nouns"]
        for root in (doc[i] for i in indices_of(doc, group_nouns)):
            if root.lower_ not in group_nouns or root.tag_ not in ("NNS", "NNPS") \
                    or root.pos_ not in ("NOUN", "PROPN") or root.dep_ in ("compound", "amod", "nmod"):
                continue  # (a modifier heads no noun phrase: "Disney directors Roy Disney")
            # the noun phrase it heads, up to it ("Senate Democrats", "the oil executives")
            chunk = doc[min([root.i] + [t.left_edge.i for t in root.lefts]):root.i + 1]
            if any(t.lower_ in self.k.sets["quantifier_words"] for t in chunk if t.i < root.i):
                continue  # "as many ordinary members": a count of people, no group named
            mods = [t for t in chunk if t.i < root.i and t.dep_ in ("compound", "amod", "nmod")
                    and (t.pos_ in ("PROPN", "NOUN") or t.ent_type_ in ("NORP", "ORG"))]
            if not mods and root.ent_type_ != "NORP":
                continue
            start = min([m.i for m in mods] + [root.i])
            span = doc[start:root.i + 1]
            named = st.entity_at(root.i)
            if named is not None and not named.synthetic and named.type == "Organization" \
                    and (span.text in named.aliases or span.text == named.name):
                continue  # "the Liberal Democrats": the party's own name, not a group of them
            ent = st.add_entity(span.text, "Group", synthetic=True)
            ent.mentions.append((span.start, span.end))
            ent.aliases.add(span.text)
            st.link(span.start, span.end, ent.idx, overwrite=True)
