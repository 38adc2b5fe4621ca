"""Lookup structures compiled from the data files (see :mod:`graphkit.resources`).

Nothing here holds domain words: it only indexes what the lexicons say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphkit.resources import gazetteer, lexicon, ontology

__all__ = ["Frame", "Knowledge", "knowledge"]


@dataclass(frozen=True)
class Frame:
    """A relation trigger: a verb or noun lemma and where its arguments are."""

    relations: tuple[str, ...]
    object_slots: tuple[str, ...]
    topic_preps: frozenset[str] = frozenset()
    role_preps: frozenset[str] = frozenset()
    particle: str | None = None
    needs: str | None = None
    light_verbs: frozenset[str] = frozenset()
    owner_object_relations: frozenset[str] = frozenset()
    defendant_verbs: frozenset[str] = frozenset()
    beneficiary_nouns: frozenset[str] = frozenset()
    org_contexts: frozenset[str] = frozenset()
    investment_kinds: frozenset[str] = frozenset()
    post_nouns: frozenset[str] = frozenset()
    partitive_words: frozenset[str] = frozenset()
    requires_prep: bool = False
    subject_preps: frozenset[str] = frozenset()
    exclusive: bool = False
    subject_slots: tuple[str, ...] = ()
    status: str | None = None  # "hired X from Y": X worked for Y (former)
    without_particles: frozenset[str] = frozenset()  # "pushed out": not "pushed"
    topic_clause: bool = False


def _lower_set(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


@dataclass
class Knowledge:
    """Everything the extraction components look words up in."""

    verb_frames: dict[str, list[Frame]] = field(default_factory=dict)
    noun_frames: dict[str, list[Frame]] = field(default_factory=dict)
    adjective_frames: dict[str, list[Frame]] = field(default_factory=dict)
    frame_words: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    owner_object_relations: frozenset[str] = frozenset()
    defendant_verbs: frozenset[str] = frozenset()
    beneficiary_nouns: frozenset[str] = frozenset()
    org_contexts: frozenset[str] = frozenset()
    investment_kinds: frozenset[str] = frozenset()
    post_nouns: frozenset[str] = frozenset()
    partitive_words: frozenset[str] = frozenset()
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    role_max_words: int = 1
    role_last_words: frozenset[str] = frozenset()
    former_markers: frozenset[str] = frozenset()
    default_holder: frozenset[str] = frozenset({"Person"})
    junior_markers: frozenset[str] = frozenset()
    party_words: dict[str, str] = field(default_factory=dict)
    party_person_nouns: frozenset[str] = frozenset()
    cues: dict[str, Any] = field(default_factory=dict)
    sets: dict[str, frozenset[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    pronouns: dict[str, str] = field(default_factory=dict)
    sentiment: dict[str, float] = field(default_factory=dict)
    relation_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokenizer: dict[str, Any] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # "french" -> "France"
    capitals: dict[str, str] = field(default_factory=dict)  # "Berlin" -> "Germany"
    countries: frozenset[str] = frozenset()  # canonical country names
    country_names: dict[str, str] = field(default_factory=dict)  # "u.s." -> "United States"
    pronoun_gender: dict[str, str] = field(default_factory=dict)  # "she" -> "female"
    title_gender: dict[str, str] = field(default_factory=dict)  # "mrs" -> "female"
    event_agents: dict[str, frozenset[str]] = field(default_factory=dict)  # "veto" -> {block, veto}
    country_words: dict[str, frozenset[str]] = field(default_factory=dict)  # "GB" -> {"uk", "british", ...}

    def fits(self, relation: str, subj_type: str, obj_type: str) -> bool:
        """Whether the ontology allows ``relation`` between the two entity types."""
        spec = self.relation_types[relation]
        dom, rng = spec.get("domain", "any"), spec.get("range", "any")
        return (dom == "any" or subj_type in dom) and (rng == "any" or obj_type in rng)

    def is_stance(self, relation: str) -> bool:
        return bool(self.relation_types.get(relation, {}).get("stance"))

    def is_outlet(self, ent: Any) -> bool:
        """A news outlet: the gazetteer says so, or its name ends like one ("Times")."""
        return ent.kind == "outlet" or (ent.type == "Organization"
                                        and ent.name.split()[-1].lower() in self.sets["outlet_words"])

    def party_word(self, previous: str, word: str) -> str | None:
        """The party a party word names, read with the word before it ("Liberal
        Democrat" is the Liberal Democrats, not the Democratic Party)."""
        return self.party_words.get(f"{previous} {word}") or self.party_words.get(word)


def _frames(entries: list[dict[str, Any]]) -> dict[str, list[Frame]]:
    index: dict[str, list[Frame]] = {}
    for entry in entries:
        rels = entry["relation"]
        frame = Frame(
            relations=tuple([rels] if isinstance(rels, str) else rels),
            object_slots=tuple(entry.get("object", ["dobj"])),
            topic_preps=_lower_set(entry.get("topic")),
            role_preps=_lower_set(entry.get("role")),
            particle=entry.get("particle"),
            needs=entry.get("needs"),
            light_verbs=_lower_set(entry.get("light_verbs")),
            requires_prep=bool(entry.get("requires_prep")),
            subject_preps=_lower_set(entry.get("subject_preps")),
            exclusive=bool(entry.get("exclusive")),
            subject_slots=tuple(entry.get("subject") or ()),
            topic_clause=bool(entry.get("topic_clause")),
            status=entry.get("status"),
            without_particles=_lower_set(entry.get("without_particles")),
        )
        for lemma in entry["lemma"]:
            index.setdefault(str(lemma).lower(), []).append(frame)
    return index


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The compiled knowledge, built once per process."""
    rel = lexicon("relations")
    roles = lexicon("roles")
    cues = lexicon("cues")
    k = Knowledge()
    k.verb_frames = _frames(rel["verbs"])
    k.noun_frames = _frames(rel["nouns"])
    k.adjective_frames = _frames(rel.get("adjectives") or [])
    # the words a noun or adjective frame may be found at (a two-word lemma: its last word)
    k.frame_words = frozenset(w.split()[-1] for w in (*k.noun_frames, *k.adjective_frames))
    k.light_verbs = _lower_set(rel["light_verbs"])
    k.owner_object_relations = frozenset(rel.get("owner_object_relations") or ())
    k.defendant_verbs = _lower_set(rel.get("defendant_verbs"))
    k.beneficiary_nouns = _lower_set(rel.get("beneficiary_nouns"))
    k.investment_kinds = _lower_set(rel.get("investment_kinds"))
    k.post_nouns = _lower_set(rel.get("post_nouns"))
    k.partitive_words = _lower_set(rel.get("partitive_words"))
    k.roles = {str(name).lower(): dict(spec) for name, spec in roles["roles"].items()}
    k.role_max_words = max(len(r.split()) for r in k.roles)
    k.role_last_words = frozenset(
        w for r in k.roles for w in (r.split()[-1], "ex-" + r.split()[-1], "former-" + r.split()[-1],
                                     "then-" + r.split()[-1]))
    k.former_markers = _lower_set(roles["former_markers"])
    k.default_holder = frozenset(roles.get("default_holder") or ["Person"])
    k.junior_markers = _lower_set(roles.get("junior_markers"))
    k.sets["shadow_markers"] = _lower_set(roles.get("shadow_markers"))
    k.party_words = {str(w): str(p) for w, p in roles["party_words"].items()}
    k.party_person_nouns = _lower_set(roles["party_person_nouns"])
    k.cues = cues
    for name, value in cues.items():
        if isinstance(value, list):
            k.sets[name] = _lower_set(value)
    k.descriptions = {}
    for etype, words in cues["descriptions"].items():
        for word in words:
            k.descriptions.setdefault(str(word).lower(), etype)
    for kind, words in cues["pronouns"].items():
        for word in words:
            k.pronouns[str(word).lower()] = kind
    k.sentiment = {str(w).lower(): float(v) for w, v in cues["sentiment"].items()}
    k.relation_types = ontology()["relations"]
    k.tokenizer = lexicon("tokenizer")
    k.org_contexts = frozenset(str(c) for c in cues.get("org_contexts") or ())
    for entry in gazetteer():
        if entry.get("kind") != "country":
            continue
        for word in entry.get("demonyms") or ():
            k.demonyms.setdefault(str(word).lower(), entry["name"])
        for word in [entry["name"], *(entry.get("aliases") or ())]:
            k.country_names.setdefault(str(word).lower(), entry["name"])
        for city in entry.get("capitals") or ():
            k.capitals.setdefault(str(city), entry["name"])
        if entry.get("code"):
            words = [entry["name"], *entry["aliases"], *(entry.get("demonyms") or ()),
                     *(entry.get("capitals") or ())]
            k.country_words[str(entry["code"])] = frozenset(str(w).lower() for w in words)
    k.countries = frozenset(k.demonyms.values())
    for gender, words in (cues.get("pronoun_gender") or {}).items():
        for word in words:
            k.pronoun_gender[str(word).lower()] = gender
    for noun, verbs in (cues.get("event_agents") or {}).items():
        k.event_agents[str(noun).lower()] = _lower_set(verbs)
    for gender, words in (cues.get("title_gender") or {}).items():
        for word in words:
            k.title_gender[str(word).lower().rstrip(".")] = gender
    return k
