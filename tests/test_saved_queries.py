"""Every saved query, on a real FalkorDB, over a fixture graph built for it (one test per query)."""

from __future__ import annotations

from typing import Any

import pytest

from graphkit.model import Article, ArticleResult, Claim, Entity, Evidence
from graphkit.rows import batch_from_results
from loaders.falkordb import FalkorDBStore
from loaders.queries import saved_queries, saved_query

E = {
    "musk": Entity("elon-musk", "Elon Musk", "Person", ("Musk", "the Tesla CEO")),
    "trump": Entity("donald-trump", "Donald Trump", "Person", ("Trump",)),
    "biden": Entity("joe-biden", "Joe Biden", "Person", ("Biden",)),
    "tesla": Entity("tesla", "Tesla", "Organization", ("Tesla Inc.",)),
    "spacex": Entity("spacex", "SpaceX", "Organization"),
    "force": Entity("u-s-space-force", "U.S. Space Force", "Organization", ("Space Force",)),
    "bloomberg": Entity("bloomberg-news", "Bloomberg News", "Organization", ("Bloomberg",)),
    "pac": Entity("america-pac", "America PAC", "Organization"),
    "evs": Entity("electric-vehicles", "electric vehicles", "Topic", ("EVs",)),
    "official": Entity("ann-roe", "Ann Roe", "Person"),
    "nhtsa": Entity("nhtsa", "NHTSA", "Organization"),
}

# (article, date, subject, relation, object, qualifiers)
CLAIMS = [
    ("a1", "2024-06-14", "musk", "ADVISES", "trump",
     {"topic": "cryptocurrency policy", "attributed_to": "bloomberg-news", "polarity": "denied"}),
    ("a1", "2024-06-14", "musk", "LEADS", "tesla", {"role": "CEO"}),
    ("a1", "2024-06-14", "musk", "FOUNDED", "spacex", {"role": "founder"}),
    ("a1", "2024-06-14", "trump", "FOUNDED", "force", {}),
    ("a1", "2024-06-14", "trump", "SUPPORTS", "evs", {}),
    ("a1", "2024-06-14", "trump", "OPPOSES", "evs", {}),
    ("a1", "2024-06-14", "trump", "PRAISES", "musk", {"quote": "spectacular guy"}),
    ("a2", "2024-07-17", "musk", "FUNDS", "pac", {"amount": "$45 million a month"}),
    ("a2", "2024-07-17", "trump", "CRITICIZES", "musk", {"quote": "bullshit artist"}),
    ("a2", "2024-07-17", "biden", "CRITICIZES", "trump", {}),
    ("a2", "2024-07-17", "musk", "MEETS", "official", {}),
    ("a2", "2024-07-17", "official", "LEADS", "nhtsa", {}),
    ("a2", "2024-07-17", "nhtsa", "INVESTIGATES", "tesla", {"polarity": "negated"}),
]


def _results() -> list[ArticleResult]:
    by_article: dict[str, list[Claim]] = {}
    dates = {}
    for art, date, s, rel, o, quals in CLAIMS:
        text = f"{E[s].name} {rel} {E[o].name}."
        claim = Claim(art, E[s].ref(), rel, E[o].ref(),
                      {"polarity": "asserted", "modality": "actual", **quals},
                      Evidence(text, 0, len(text)), 0.8)
        by_article.setdefault(art, []).append(claim)
        dates[art] = date
    out = []
    for art, claims in by_article.items():
        names = {c.subject.id for c in claims} | {c.object.id for c in claims} | {"bloomberg-news"}
        ents = tuple(e for e in E.values() if e.id in names)
        text = " ".join(c.evidence.text for c in claims)
        out.append(ArticleResult(Article(art, text, dates[art], title=f"Title {art}"), tuple(claims), ents))
    return out


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
        ("Elon Musk", True, ["bloomberg-news"])]
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
