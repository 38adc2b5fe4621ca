"""The Python API over networkx: the saved queries' questions give the Cypher answers on the
same graph, the analyses work on it, and the graph is written for Gephi."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphkit import analysis
from graphkit.graph import KnowledgeGraph, write_gexf, write_graphml
from loaders.queries import saved_queries, saved_query
from tests.corpus import ODD_ID
from tests.test_sparql_twins import CASES, assert_agrees


@pytest.fixture(scope="module")
def stores(agreement_graph):  # type: ignore[no-untyped-def]
    cypher, rows = agreement_graph
    return cypher, KnowledgeGraph.from_batches([rows]).to_networkx()


def test_every_saved_query_has_a_function() -> None:
    for q in saved_queries():
        assert q.name in analysis.__all__ and callable(getattr(analysis, q.name))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_api_gives_the_cypher_answers(stores, name: str) -> None:  # type: ignore[no-untyped-def]
    cypher, G = stores
    assert_agrees(cypher, name, lambda params: getattr(analysis, name)(G, **params))


def test_graph_from_a_store_and_from_turtle_is_the_same(stores, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from loaders.rdf import RdfExport

    cypher, G = stores
    from_store = KnowledgeGraph.from_store(cypher).to_networkx()
    path = tmp_path / "g.ttl"
    with RdfExport(path, "turtle") as out:
        for batch in cypher.batches():
            out.write(batch)
        out.finalize()
    from_rdf = KnowledgeGraph.from_rdf(path).to_networkx()
    for H in (from_store, from_rdf):
        assert sorted(H.nodes) == sorted(G.nodes)
        assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
        assert H.nodes[ODD_ID]["name"] == G.nodes[ODD_ID]["name"]


def test_relations_filter_by_relation_dates_and_polarity(stores) -> None:  # type: ignore[no-untyped-def]
    _, G = stores
    every = analysis.relations(G, "Ana Silva")
    assert every and all("Ana Silva" in (c["subject_name"], c["object_name"]) for c in every)
    funds = analysis.relations(G, "Ana Silva", relation="FUNDS", direction="out")
    assert funds and all(c["relation"] == "FUNDS" and c["subject_name"] == "Ana Silva" for c in funds)
    spring = analysis.relations(G, "Ana Silva", since="2024-03-01", until="2024-06-30")
    assert spring and all("2024-03-01" <= c["date"] <= "2024-06-30" for c in spring)
    assert len(spring) < len(every)
    people = analysis.relations(G, "Ana Silva", other_type="Person")
    assert people and all(G.nodes[c["object"] if c["subject"] == "e0-ana" else c["subject"]]["type"] == "Person"
                          for c in people) and len(people) < len(every)
    denied = analysis.relations(G, "Ana Silva", polarity="denied")
    assert denied and all(c["polarity"] == "denied" for c in denied)


def test_paths_carry_the_evidence_of_every_hop(stores) -> None:  # type: ignore[no-untyped-def]
    _, G = stores
    found = analysis.paths(G, "Elon Musk", "U.S. Space Force")
    assert found and all(len(p) == len(found[0]) for p in found)
    for path in found:
        for hop in path:
            assert hop["claims"] and all(c["evidence"] and c["relation"] == hop["relation"] for c in hop["claims"])
    assert any(hop["to"] == "donald-trump" or hop["from"] == "donald-trump" for p in found for hop in p)


def test_ego_network_centrality_and_communities(stores) -> None:  # type: ignore[no-untyped-def]
    _, G = stores
    ego = analysis.ego_network(G, "Elon Musk")
    assert "elon-musk" in ego and "donald-trump" in ego and len(ego) < len(G)
    assert all(ego.has_edge(s, o, k) for s, o, k in G.edges(keys=True) if s in ego and o in ego)
    for measure in ("degree", "betweenness", "pagerank"):
        scores = analysis.centrality(G, measure)
        assert set(scores) == set(G.nodes) and max(scores.values()) > 0
    with pytest.raises(ValueError, match="unknown centrality"):
        analysis.centrality(G, "fame")
    groups = analysis.communities(G)
    assert set().union(*groups) == set(G.nodes) and len(groups) > 1
    assert groups == analysis.communities(G)  # seeded: the same every time


def test_undirected_graphs_are_refused() -> None:
    with pytest.raises(nx.NetworkXNotImplemented):
        analysis.find(nx.Graph(), "x")


@pytest.mark.parametrize("write, read", [(write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)])
def test_graphml_and_gexf_for_gephi(stores, tmp_path: Path, write: Any, read: Any) -> None:  # type: ignore[no-untyped-def]
    _, G = stores
    path = tmp_path / "g.out"
    write(G, path)
    back = read(str(path))
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    names = {d.get("name") for _, d in back.nodes(data=True)}
    assert G.nodes[ODD_ID]["name"] in names
    assert 'mode="dynamic"' not in path.read_text(encoding="utf-8")  # a static graph for Gephi


def test_dataframes_where_pandas_is_installed(stores) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pandas", reason="pandas is the optional extra graphkit[pandas]")
    cypher, _ = stores
    entities, claims, _ = KnowledgeGraph.from_store(cypher).to_dataframes()
    assert len(claims) == cypher.counts()["claims"] and {"relation", "polarity", "evidence"} <= set(claims.columns)
    assert len(entities) == cypher.counts()["entities"]


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_cli_exports_graphml_and_gexf(tmp_path: Path, fmt: str, read: Any, repo: Path) -> None:
    from tests.conftest import run_graphkit

    store = tmp_path / "store"
    assert run_graphkit("build", repo / "samples" / "seed-musk-trump.txt", "--store", store,
                        "--progress", "never").returncode == 0
    out = tmp_path / f"g.{fmt}"
    done = run_graphkit("export", "--format", fmt, "-o", out, "--store", store)
    assert done.returncode == 0, done.stderr
    G = read(str(out))
    advises = [d for s, o, d in G.edges(data=True) if s == "elon-musk" and o == "donald-trump"
               and d.get("relation") == "ADVISES"]
    assert advises and advises[0]["polarity"] == "denied" and advises[0]["attributed_to"] == "bloomberg-news"


def test_questions_follow_the_graph_as_it_changes(stores) -> None:  # type: ignore[no-untyped-def]
    _, G = stores
    before = [r["adviser"] for r in analysis.advisers_of(G, "Donald Trump")]
    assert before == ["Elon Musk"]
    reverse = G.reverse()
    assert [r["adviser"] for r in analysis.advisers_of(reverse, "Elon Musk")] == ["Donald Trump"]
    H = G.copy()
    [key] = [k for s, o, k, d in H.edges(keys=True, data=True) if d["relation"] == "ADVISES" and o == "donald-trump"]
    data = H.edges["elon-musk", "donald-trump", key]
    H.remove_edge("elon-musk", "donald-trump", key)
    H.add_edge("ana-roe" if "ana-roe" in H else ODD_ID, "donald-trump", key=key, **data)
    assert [r["adviser"] for r in analysis.advisers_of(H, "Donald Trump")] != before
    K = G.copy()
    for _, _, d in K.edges(data=True):
        d["relation"] = "MEETS"  # claims changed in place: the caller says so, once
    assert {rel for _, rel, _ in analysis.relationships(K, fresh=True)} == {"MEETS"}
    assert analysis.advisers_of(K, "Donald Trump") == []


def test_ordered_questions_keep_the_cypher_order(stores) -> None:  # type: ignore[no-untyped-def]
    cypher, G = stores
    for name, params, keys in (("most_connected", {"limit": 3}, ("relationships", "name")),
                               ("disputed_claims", {"limit": 4}, ("date", "subject")),
                               ("timeline", {"name": "Norvik Energy"}, ("date", "article"))):
        query = saved_query(name)
        expected = cypher.read(query.text, query.parameters(params, convert=False))
        got = getattr(analysis, name)(G, **params)
        assert [tuple(r[k] for k in keys) for r in got] == [tuple(r[k] for k in keys) for r in expected], name
        assert len(got) == len(expected)
