"""The SPARQL twins give the answers of the saved Cypher queries.

One fixture graph (the saved queries' fixture plus the invented corpus, hostile
strings included) goes into the embedded store, where the Cypher runs, and, as
graphkit's RDF, into pyoxigraph, where the SPARQL twin runs; every question is
asked with several parameter sets and the rows must be the same (as sets of
rows, lists compared as sets).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from loaders.falkordb import FalkorDBStore
from loaders.queries import saved_queries, saved_query, sparql_queries, sparql_query
from loaders.sparql import SparqlStore
from tests.corpus import SEP_NAME

ZOE = "Zoë <Quinn> \"Z\"\nsecond line"

CASES: dict[str, list[dict[str, Any]]] = {
    "entity_profile": [{"name": SEP_NAME}, {"name": "S\x1fC"}, {"name": "Elon Musk"}, {"name": "the tesla ceo"}, {"name": ZOE}, {"name": "Ana Silva"},
                       {"name": "nobody at all"}],
    "advisers_of": [{"name": "Donald Trump"}, {"name": "trump"}, {"name": "Bo Berg"}, {"name": "Norvik Energy"}],
    "connections_between": [{"a": "Joe Biden", "b": SEP_NAME}, {"a": "Elon Musk", "b": "U.S. Space Force"}, {"a": "Musk", "b": "NHTSA"},
                            {"a": "Ana Silva", "b": "Tanaka Labs"}, {"a": "Bo Berg", "b": ZOE},
                            {"a": "Elon Musk", "b": "Ana Silva"}],
    "common_connections": [{"a": "Elon Musk", "b": "Donald Trump"}, {"a": "Ana Silva", "b": "Bo Berg"},
                           {"a": "Banco Sur", "b": ZOE}],
    "disputed_claims": [{}, {"limit": 1000}],
    "contradictions": [{}],
    "stance_on": [{"topic": "electric"}, {"topic": "EVs"}, {"topic": "trade"}, {"topic": "musk"},
                  {"topic": "{privacy}"}],
    "money_flows": [{"name": SEP_NAME}, {"name": "Elon Musk"}, {"name": "America PAC"}, {"name": "Banco Sur"}, {"name": "Ana Silva"}],
    "conflicts_of_interest": [{}],
    "timeline": [{"name": "Elon Musk"}, {"name": "Norvik Energy"}, {"name": ZOE}],
    "most_connected": [{"limit": 1000}],
    "evidence": [{"subject": "Elon Musk", "relation": "ADVISES", "object": "Donald Trump"},
                 {"subject": "Ana Silva", "relation": "MEETS", "object": "Bo Berg"},
                 {"subject": "Bo Berg", "relation": "FUNDS", "object": "Ana Silva"}],
}


@pytest.fixture(scope="module")
def graphs(agreement_graph):  # type: ignore[no-untyped-def]
    cypher, rows = agreement_graph
    return cypher, SparqlStore.from_batches([rows])


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(sorted((_norm(v) for v in value), key=repr))
    if isinstance(value, dict):
        return tuple(sorted((k, _norm(v)) for k, v in value.items()))
    if isinstance(value, float):
        return round(value, 6)
    return value


def _rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(sorted((k, _norm(v)) for k, v in r.items())) for r in rows), key=repr)


def test_every_saved_query_has_a_twin_with_the_same_header() -> None:
    cypher = {q.name: q for q in saved_queries()}
    sparql = {q.name: q for q in sparql_queries()}
    assert set(sparql) == set(cypher)
    for name, q in sparql.items():
        assert q.description == cypher[name].description
        assert q.params == cypher[name].params
        assert q.example
    assert set(CASES) == set(cypher)


def assert_agrees(cypher: FalkorDBStore, name: str, answer: Callable[[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """``answer(params)`` gives the rows of the saved Cypher query ``name`` for every case."""
    found = 0
    for params in CASES[name]:
        query = saved_query(name)
        expected = cypher.read(query.text, query.parameters(params, convert=False))
        assert _rows(answer(params)) == _rows(expected), params
        found += len(expected)
    assert found, f"{name}: the cases find nothing, so they prove nothing"


@pytest.mark.parametrize("name", sorted(CASES))
def test_twin_gives_the_same_answers(graphs, name: str) -> None:  # type: ignore[no-untyped-def]
    cypher, sparql = graphs
    assert_agrees(cypher, name, lambda params: sparql.run(sparql_query(name), params))


@pytest.mark.parametrize("name", sorted(CASES))
def test_twin_is_standard_sparql_for_rdflib_too(name: str) -> None:
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(sparql_query(name).text)  # a second, independent parser (raises on an error)


def test_a_record_that_does_not_fit_its_header_is_an_error(graphs) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from graphkit.errors import GraphkitError

    _, sparql = graphs
    query = sparql_query("connections_between")
    broken = replace(query, extra={**query.extra, "records": "hops(from, relation)"})
    with pytest.raises(GraphkitError, match="a record has 3 fields, its header 2"):
        sparql.run(broken, {"a": "Elon Musk", "b": "U.S. Space Force"})
