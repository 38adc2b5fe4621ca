"""Data-driven relation extraction tests: one test per case in ``data/relation_cases.yaml``.

The cases describe correct behaviour per the ontology (``ONTOLOGY.md``): every
expected triple must be extracted with its qualifiers, no forbidden triple may
be extracted. All case texts go through the pipeline once, in one
``nlp.pipe`` batch (the ``extracted`` fixture); each test only looks up its
own claims. The file's header documents the case format.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from graphkit import Article, Claim, EntityRef, extract_articles
from graphkit.ids import entity_id
from graphkit.model import DEFAULT_QUALIFIERS

CASES_FILE = Path(__file__).parent / "data" / "relation_cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
CASE_IDS = [case["id"] for case in CASES]

RELATIONS = {
    "LEADS", "WORKS_FOR", "MEMBER_OF", "FOUNDED", "CREATED", "PRODUCES", "OWNS",
    "ACQUIRED", "INVESTS_IN", "FUNDS", "PARTNERS_WITH", "LOBBIES", "ADVISES", "MEETS",
    "SUPPORTS", "OPPOSES", "PRAISES", "CRITICIZES", "APPOINTS", "INVESTIGATES", "SUES",
    "REGULATES",
}
SYMMETRIC = {"MEETS"}
# Free-text qualifiers: the expected string is a case-insensitive substring of the value.
CONTAINS = ("topic", "role", "amount", "time")
# Closed-vocabulary qualifiers and entity ids: exact equality.
EXACT = ("polarity", "modality", "attributed_to", "status")
TRIPLE_KEYS = ("subject", "relation", "object")
# Optional entity types of the claim's ends (the entity-typing cases).
TYPE_KEYS = ("subject_type", "object_type")
TYPES = {"Person", "Organization", "Group", "Place", "Product", "Policy", "Topic"}
WILDCARD = "*"


# ----------------------------------------------------------------- matching

def _ids(value: str | list[str]) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


def _end_matches(actual: str, expected: str | list[str]) -> bool:
    ids = _ids(expected)
    return WILDCARD in ids or actual in ids


def oriented_ends(claim: Claim, spec: dict[str, Any]) -> tuple[EntityRef, EntityRef] | None:
    """The claim's (subject, object) as they match ``spec``'s, or None (MEETS either way)."""
    relation = spec["relation"]
    if relation != WILDCARD and claim.relation != relation:
        return None
    subj, obj = claim.subject, claim.object
    if _end_matches(subj.id, spec["subject"]) and _end_matches(obj.id, spec["object"]):
        return subj, obj
    if claim.relation in SYMMETRIC and \
            _end_matches(subj.id, spec["object"]) and _end_matches(obj.id, spec["subject"]):
        return obj, subj
    return None


def triple_matches(claim: Claim, spec: dict[str, Any]) -> bool:
    return oriented_ends(claim, spec) is not None


def qualifier_mismatches(claim: Claim, spec: dict[str, Any]) -> list[str]:
    """The expected qualifiers and end types that ``claim`` does not satisfy, as readable strings."""
    actual = {**DEFAULT_QUALIFIERS, **{k: v for k, v in claim.qualifiers.items() if v}}
    problems = []
    ends = oriented_ends(claim, spec)
    assert ends is not None
    for key, end in zip(TYPE_KEYS, ends):
        if key in spec and end.type != spec[key]:
            problems.append(f"{key}: want {spec[key]!r}, got {end.type!r} ({end.id})")
    for key in CONTAINS + EXACT:
        if key not in spec:
            continue
        want, got = spec[key], actual.get(key)
        if want is None:
            ok = got is None
        elif key in CONTAINS:
            ok = got is not None and str(want).casefold() in str(got).casefold()
        else:
            ok = got == want
        if not ok:
            problems.append(f"{key}: want {'absent' if want is None else repr(want)}, got {got!r}")
    return problems


def fmt_spec(spec: dict[str, Any]) -> str:
    quals = {k: v for k, v in spec.items() if k not in TRIPLE_KEYS}
    end = lambda v: v if isinstance(v, str) else "|".join(v)  # noqa: E731
    text = f"{end(spec['subject'])} -{spec['relation']}-> {end(spec['object'])}"
    return f"{text} {quals}" if quals else text


def fmt_claim(claim: Claim) -> str:
    quals = {k: v for k, v in claim.qualifiers.items()
             if v and DEFAULT_QUALIFIERS.get(k) != v}
    text = (f"{claim.subject.id} ({claim.subject.type}) -{claim.relation}-> "
            f"{claim.object.id} ({claim.object.type})")
    return f"{text} {quals}" if quals else text


# ----------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def extracted(nlp) -> dict[str, list[Claim]]:  # type: ignore[no-untyped-def]
    """Claims of every case, keyed by case id: all texts in one ``nlp.pipe`` run."""
    articles = [Article(id=c["id"], text=c["text"], date=c.get("date")) for c in CASES]
    by_case: dict[str, list[Claim]] = {case_id: [] for case_id in CASE_IDS}
    for claim in extract_articles(articles, nlp, batch_size=len(articles)):
        by_case[claim.article_id].append(claim)
    return by_case


# ----------------------------------------------------------------- the case file itself

def test_cases_are_well_formed() -> None:
    duplicates = [i for i, n in Counter(CASE_IDS).items() if n > 1]
    assert not duplicates, f"duplicate case ids: {duplicates}"
    allowed = {"id", "text", "date", "expect", "forbid", "known_gap"}
    for case in CASES:
        assert set(case) <= allowed, f"{case['id']}: unknown fields {set(case) - allowed}"
        assert case["text"].strip(), case["id"]
        assert case.get("expect") or case.get("forbid"), f"{case['id']}: nothing to check"
        for kind in ("expect", "forbid"):
            for spec in case.get(kind) or []:
                extra = set(spec) - set(TRIPLE_KEYS) - set(TYPE_KEYS) - set(CONTAINS) - set(EXACT)
                assert not extra, f"{case['id']}: unknown keys {extra}"
                for key in TYPE_KEYS:
                    assert spec.get(key, "Person") in TYPES, f"{case['id']}: unknown {key}"
                assert spec["relation"] in RELATIONS or (kind == "forbid" and spec["relation"] == WILDCARD), \
                    f"{case['id']}: unknown relation {spec['relation']}"
                for end in ("subject", "object"):
                    for value in _ids(spec[end]):
                        assert value == WILDCARD and kind == "forbid" or value == entity_id(value), \
                            f"{case['id']}: {value!r} is not an entity id"
                if kind == "forbid":
                    assert set(spec) == set(TRIPLE_KEYS), f"{case['id']}: forbid takes a bare triple"


def test_every_relation_is_covered_twice() -> None:
    cases_per_relation = Counter(
        rel for case in CASES for rel in {s["relation"] for s in case.get("expect") or []})
    thin = {rel: cases_per_relation[rel] for rel in RELATIONS if cases_per_relation[rel] < 2}
    assert not thin, f"relations with fewer than 2 cases: {thin}"


# ----------------------------------------------------------------- one test per case

def _case_param(case: dict[str, Any]) -> Any:
    """A case; one with a ``known_gap`` runs as a strict xfail naming the gap."""
    marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if case.get("known_gap") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_case_param(c) for c in CASES])
def test_relation_case(case: dict[str, Any], extracted: dict[str, list[Claim]]) -> None:
    claims = extracted[case["id"]]
    problems = []
    for spec in case.get("expect") or []:
        candidates = [c for c in claims if triple_matches(c, spec)]
        if not candidates:
            problems.append(f"missing   {fmt_spec(spec)}")
        elif all(qualifier_mismatches(c, spec) for c in candidates):
            why = "; ".join(qualifier_mismatches(candidates[0], spec))
            problems.append(f"qualifier {fmt_spec(spec)}  ({why})")
    for spec in case.get("forbid") or []:
        for claim in claims:
            if triple_matches(claim, spec):
                problems.append(f"forbidden {fmt_spec(spec)}  (got {fmt_claim(claim)})")
    if problems:
        lines = [f"case {case['id']}: {case['text']}", *problems, "extracted:"]
        lines += [f"  {fmt_claim(c)}" for c in claims] or ["  (nothing)"]
        pytest.fail("\n".join(lines), pytrace=False)
