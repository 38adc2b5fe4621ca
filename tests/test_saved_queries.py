"""Every saved query, on a real FalkorDB, over a fixture graph built for it (one test per query)."""

from __future__ import annotations

from typing import Any

import pytest

from graphkit.rows import batch_from_results
from loaders.falkordb import FalkorDBStore
from loaders.queries import saved_queries, saved_query
from tests.corpus import E, query_fixture as _results

@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    s = FalkorDBStore(tmp_path_factory.mktemp("fixture-store"))
    s.write(batch_from_results(_results()))
    s.finalize()
    yield s
    s.close()


def run(store: FalkorDBStore, query_name: str, /, **params: Any) -> list[dict[str, Any]]:
    query = saved_query(query_name)
    return store.read(query.text, query.parameters(params, convert=False))


def test_every_query_has_a_complete_header() -> None:
    queries = saved_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.description and q.example.startswith(f"graphkit query {q.name}"), q.name
        assert "$" in q.text or not q.params


def test_entity_profile(store) -> None:  # type: ignore[no-untyped-def]
    [row] = run(store, "entity_profile", name="the tesla ceo")  # an alias, any case
    assert row["id"] == "elon-musk" and row["type"] == "Person"
    outgoing = {(r["relation"], r["other"]) for r in row["outgoing"]}
    assert {("LEADS", "Tesla"), ("ADVISES", "Donald Trump"), ("FUNDS", "America PAC")} <= outgoing
    assert ("PRAISES", "Donald Trump") in {(r["relation"], r["other"]) for r in row["incoming"]}


def test_advisers_of(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "advisers_of", name="Trump")
    assert [(r["adviser"], r["denied"], r["reported_by"]) for r in rows] == [
        ("Elon Musk", True, ["Bloomberg News"])]  # who reported it, by name
    assert rows[0]["topics"] == ["cryptocurrency policy"]


def test_connections_between(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "connections_between", a="Elon Musk", b="Space Force", limit=25)
    assert rows[0]["path"] == ["Elon Musk", "Donald Trump", "U.S. Space Force"]
    assert {h["relation"] for h in rows[0]["hops"]} & {"ADVISES", "PRAISES", "CRITICIZES"}
    assert all(r["length"] <= 4 for r in rows)


def test_common_connections(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "common_connections", a="Musk", b="Biden")
    assert [r["connection"] for r in rows] == ["Donald Trump"]
    assert "CRITICIZES" in rows[0]["with_b"]


def test_disputed_claims(store) -> None:  # type: ignore[no-untyped-def]
    rows = {(r["subject"], r["relation"], r["object"]): r for r in run(store, "disputed_claims")}
    advises = rows[("Elon Musk", "ADVISES", "Donald Trump")]
    assert advises["reported_by"] == "Bloomberg News" and advises["denied_by"] == "Elon Musk"
    negated = rows[("NHTSA", "INVESTIGATES", "Tesla")]
    assert negated["polarity"] == "negated" and negated["denied_by"] is None
    assert len(rows) == 2


def test_contradictions(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "contradictions")
    pairs = {(r["subject"], r["stance"], r["counter_stance"], r["object"]) for r in rows}
    assert pairs == {("Donald Trump", "SUPPORTS", "OPPOSES", "electric vehicles"),
                     ("Donald Trump", "PRAISES", "CRITICIZES", "Elon Musk")}


def test_stance_on(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "stance_on", topic="EVs")
    assert {(r["who"], r["stance"]) for r in rows} == {("Donald Trump", "SUPPORTS"),
                                                        ("Donald Trump", "OPPOSES")}


def test_money_flows(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "money_flows", name="Elon Musk")
    assert [(r["from"], r["relation"], r["to"], r["amounts"]) for r in rows] == [
        ("Elon Musk", "FUNDS", "America PAC", ["$45 million a month"])]


def test_conflicts_of_interest(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "conflicts_of_interest")
    assert {(r["person"], r["organization"], r["official"], r["body"], r["body_action"])
            for r in rows} == {("Elon Musk", "Tesla", "Ann Roe", "NHTSA", "INVESTIGATES")}


def test_timeline(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "timeline", name="Elon Musk")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and dates[0] == "2024-06-14" and dates[-1] == "2024-07-17"
    assert len(rows) == 7  # every claim with Musk as subject or object


def test_most_connected(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "most_connected", limit=3)
    assert len(rows) == 3
    # ties are broken by name
    assert [(r["name"], r["relationships"]) for r in rows[:2]] == [("Donald Trump", 7), ("Elon Musk", 7)]


def test_evidence(store) -> None:  # type: ignore[no-untyped-def]
    rows = run(store, "evidence", subject="musk", relation="ADVISES", object="Donald Trump")
    assert [(r["sentence"], r["article"], r["polarity"]) for r in rows] == [
        ("Elon Musk ADVISES Donald Trump.", "a1", "denied")]
