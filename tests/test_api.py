"""The Python API: ``graphkit.extract`` and friends, and the claim JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import graphkit
from graphkit import Article, Claim, extract, extract_articles, read_articles
from graphkit.resources import ontology, schema_path

MEET = "Tesla CEO Elon Musk met Donald Trump on Monday."
MEET2 = "Apple CEO Tim Cook met Joe Biden in Washington."


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(schema_path("claim.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def triples(claims: list[Claim]) -> set[tuple[str, str, str, str]]:
    return {(c.article_id, c.subject.id, c.relation, c.object.id) for c in claims}


def assert_valid(claims: list[Claim], texts: dict[str, str], validator) -> None:  # type: ignore[no-untyped-def]
    assert claims
    for claim in claims:
        assert isinstance(claim, Claim)
        record = claim.to_dict()
        validator.validate(record)
        ev = record["evidence"]
        assert texts[claim.article_id][ev["start"]:ev["end"]] == ev["text"]
        assert Claim.from_dict(json.loads(json.dumps(record))).to_dict() == record


# -- graphkit.extract ------------------------------------------------------

def test_extract_a_string(nlp, validator) -> None:  # type: ignore[no-untyped-def]
    claims = list(extract(MEET))
    assert_valid(claims, {"text-1": MEET}, validator)
    assert ("text-1", "elon-musk", "MEETS", "donald-trump") in triples(claims)
    assert ("text-1", "elon-musk", "LEADS", "tesla") in triples(claims)


def test_extract_strings_numbers_them(nlp, validator) -> None:  # type: ignore[no-untyped-def]
    claims = list(extract([MEET, MEET2]))
    assert_valid(claims, {"text-1": MEET, "text-2": MEET2}, validator)
    assert {c.article_id for c in claims} == {"text-1", "text-2"}
    assert ("text-2", "tim-cook", "LEADS", "apple") in triples(claims)


def test_extract_dicts_ignores_extra_fields(nlp, validator) -> None:  # type: ignore[no-untyped-def]
    records = [{"id": "d1", "text": MEET, "date": "2024-06-14",
                "entities": [{"id": "x"}], "triples": [{"subject": "x"}]},
               {"id": 7, "text": MEET2}]
    claims = list(extract(records))
    assert_valid(claims, {"d1": MEET, "7": MEET2}, validator)
    assert {c.article_id for c in claims} == {"d1", "7"}


def test_extract_articles_objects(nlp, validator) -> None:  # type: ignore[no-untyped-def]
    text = f"date 2024-06-14\n{MEET}"
    claims = list(extract([Article("a1", text, "2024-06-14")]))
    assert_valid(claims, {"a1": text}, validator)
    assert ("a1", "elon-musk", "MEETS", "donald-trump") in triples(claims)


def test_extract_refuses_other_types(nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="int"):
        list(extract([42]))  # type: ignore[list-item]


def test_extract_unknown_model() -> None:
    with pytest.raises(graphkit.ModelNotFoundError, match="no_such_model"):
        list(extract(MEET, model="no_such_model"))


def test_read_articles_then_extract_articles(tmp_path: Path, nlp, validator) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "one.txt").write_text(f"date 2024-06-14\n{MEET}\n", encoding="utf-8")
    (tmp_path / "more.jsonl").write_text(json.dumps({"id": "two", "text": MEET2}) + "\n",
                                         encoding="utf-8")
    articles = list(read_articles([tmp_path]))
    seen: list[tuple[str, int]] = []
    claims = list(extract_articles(articles, nlp, batch_size=1,
                                   on_article=lambda a, cs: seen.append((a.id, len(cs)))))
    assert_valid(claims, {a.id: a.text for a in articles}, validator)
    assert [a for a, _ in seen] == ["two", "one"]  # input order: more.jsonl sorts first
    assert sum(n for _, n in seen) == len(claims)


def test_sample_articles_give_valid_claims(repo: Path, nlp, validator) -> None:  # type: ignore[no-untyped-def]
    articles = list(read_articles([repo / "samples"]))
    assert len(articles) >= 5 and all(a.date for a in articles)
    claims = list(extract_articles(articles, nlp))
    assert_valid(claims, {a.id: a.text for a in articles}, validator)
    assert {c.article_id for c in claims} == {a.id for a in articles}


# -- the JSON Schema follows the ontology ----------------------------------

def test_schema_relations_are_the_ontology_relations(schema: dict) -> None:
    listed = schema["properties"]["relation"]["enum"]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(ontology()["relations"]) | {"RELATED_TO"}


def test_schema_entity_types_are_the_ontology_types(schema: dict) -> None:
    assert set(schema["$defs"]["entity"]["properties"]["type"]["enum"]) == set(
        ontology()["entity_types"])


def test_schema_qualifiers_are_the_ontology_qualifiers(schema: dict) -> None:
    props = schema["properties"]["qualifiers"]["properties"]
    spec = ontology()["qualifiers"]
    assert set(props) == set(spec)
    for name, rule in spec.items():
        assert props[name].get("enum") == rule.get("enum"), name
        assert props[name].get("default") == rule.get("default"), name
    required = set(schema["properties"]["qualifiers"]["required"])
    assert required == {"polarity", "modality"}
    assert {k: spec[k]["default"] for k in required} == graphkit.model.DEFAULT_QUALIFIERS


def test_schema_rejects_bad_records(validator) -> None:  # type: ignore[no-untyped-def]
    good = {"article_id": "a", "relation": "ADVISES",
            "subject": {"id": "elon-musk", "name": "Elon Musk", "type": "Person"},
            "object": {"id": "donald-trump", "name": "Donald Trump", "type": "Person"},
            "qualifiers": {"polarity": "denied", "modality": "actual",
                           "attributed_to": "bloomberg-news", "topic": "crypto"},
            "evidence": {"text": "Musk counseled Trump.", "start": 0, "end": 21},
            "confidence": 0.8}
    validator.validate(good)

    def bad(**change: object) -> dict:
        record = json.loads(json.dumps(good))
        for path, value in change.items():
            *parents, last = path.split("__")
            node = record
            for p in parents:
                node = node[p]
            if value is None:
                del node[last]
            else:
                node[last] = value
        return record

    for record in (bad(relation="KNOWS"), bad(qualifiers__polarity="maybe"),
                   bad(qualifiers__polarity=None), bad(qualifiers__mood="happy"),
                   bad(subject__type="Animal"), bad(subject__id="Elon Musk"),
                   bad(evidence__start=-1), bad(confidence=1.5), bad(evidence=None),
                   bad(relation="RELATED_TO")):
        assert not validator.is_valid(record), record
    assert validator.is_valid(bad(relation="RELATED_TO", qualifiers__predicate="texted"))
