"""The embedded store's bulk load gives the very graph the Cypher load gives.

A load writes what is new with FalkorDB's GRAPH.BULK and what the store held
already in Cypher; these tests build the same articles both ways (``bulk=False``
writes everything in Cypher) on a real server and compare every node, every
relationship and every property.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import loaders.falkordb
from graphkit.model import Article, ArticleResult, Claim, Entity, Evidence
from tests.corpus import corpus as _corpus
from graphkit.rows import batch_from_results
from loaders.embedded import StoreError
from loaders.falkordb import FalkorDBStore

def _snapshot(store: FalkorDBStore) -> dict[str, Any]:
    """Every node and relationship with its properties, lists sorted, keyed by the ``id`` properties."""
    def norm(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted((k, tuple(sorted(map(str, v))) if isinstance(v, list) else v)
                            for k, v in props.items()))

    nodes = sorted((tuple(sorted(r["labels"])), norm(r["props"]))
                   for r in store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"))
    edges = sorted((r["type"], r["s"], r["o"], norm(r["props"]))
                   for r in store.read("MATCH (s)-[r]->(o) RETURN type(r) AS type, s.id AS s, o.id AS o, "
                                       "properties(r) AS props"))
    return {"nodes": nodes, "edges": edges}


def _load(directory: Path, parts: list[list[ArticleResult]], *, bulk: bool = True) -> dict[str, Any]:
    with FalkorDBStore(directory, bulk=bulk) as store:
        for part in parts:
            store.write(batch_from_results(part))
            store.finalize()
        return _snapshot(store)


@pytest.fixture(scope="module")
def corpus() -> list[ArticleResult]:
    return _corpus()


@pytest.fixture(scope="module")
def reference(corpus: list[ArticleResult], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The corpus loaded in Cypher only, in one load."""
    return _load(tmp_path_factory.mktemp("cypher"), [corpus], bulk=False)


def test_reference_graph_is_not_trivial(reference: dict[str, Any]) -> None:
    types = {e[0] for e in reference["edges"]}
    assert {"SUBJECT", "OBJECT", "FROM", "MENTIONS", "ADVISES"} <= types
    assert sum(1 for n in reference["nodes"] if "Claim" in n[0]) > 40


def test_one_bulk_load_equals_the_cypher_load(tmp_path: Path, corpus: list[ArticleResult],
                                              reference: dict[str, Any]) -> None:
    assert _load(tmp_path, [corpus]) == reference


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "cypher"])
def test_loads_onto_a_stored_graph_equal_one_load(tmp_path: Path, corpus: list[ArticleResult],
                                                  reference: dict[str, Any], bulk: bool) -> None:
    # later loads meet stored entities, articles, claims and edges (and repeat some articles):
    # edges are merged or recomputed, degrees raised or counted afresh
    parts = [corpus[:8], corpus[5:16], corpus[16:], corpus[10:12]]
    assert _load(tmp_path, parts, bulk=bulk) == reference


def test_a_load_flushed_in_several_steps_equals_one_load(tmp_path: Path, corpus: list[ArticleResult],
                                                         reference: dict[str, Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders.falkordb, "FLUSH_CLAIMS", 7)
    with FalkorDBStore(tmp_path) as store:
        for i in range(0, len(corpus), 3):  # chunks as `graphkit build` writes them
            store.write(batch_from_results(corpus[i:i + 3]))
        store.finalize()
        assert _snapshot(store) == reference


def _scratch(store: FalkorDBStore, n: int) -> None:
    store.graph.query("UNWIND range(0, $n - 1) AS i CREATE (:Scratch {i: i})", {"n": n})


def _delete(store: FalkorDBStore, order: list[int]) -> None:
    for i in order:  # one at a time: FalkorDB hands out the freed ids last-freed first
        store.graph.query("MATCH (n:Scratch {i: $i}) DELETE n", {"i": i})


def test_free_ids_below_the_last_node_make_the_load_cypher(tmp_path: Path, corpus: list[ArticleResult],
                                                           reference: dict[str, Any]) -> None:
    with FalkorDBStore(tmp_path) as store:
        store.write(batch_from_results([]))  # the store's graph and indexes
        _scratch(store, 3)
        store.write(batch_from_results(corpus[:10]))
        assert store.finalize()["bulk"] is True
        _delete(store, [0, 1, 2])  # deleted by hand: ids 0-2 are free
        store.write(batch_from_results(corpus[10:]))
        assert store.finalize()["bulk"] is False
        assert _snapshot(store) == reference


@pytest.mark.parametrize("order, bulk", [
    ([0, 1, 2, 3], False),  # the next node would get scratch 3's id, not scratch 0's: the probe sees it
    ([2, 1, 3, 0], False),  # the probe gets the right id, the nodes after it do not: checked, rewritten
    ([1, 0], True),  # freed in the order the next nodes take them: bulk ids stay right
], ids=["probed", "checked", "in-order"])
def test_free_ids_after_the_last_node(tmp_path: Path, corpus: list[ArticleResult], reference: dict[str, Any],
                                      order: list[int], bulk: bool) -> None:
    with FalkorDBStore(tmp_path) as store:
        store.write(batch_from_results(corpus[:10]))
        store.finalize()
        _scratch(store, len(order))
        _delete(store, order)
        store.write(batch_from_results(corpus[10:]))
        assert store.finalize()["bulk"] is bulk
        assert _snapshot(store) == reference


def test_a_nul_character_is_a_clear_error_and_the_store_stays_usable(tmp_path: Path,
                                                                     corpus: list[ArticleResult]) -> None:
    bad = Entity("nul", "A\x00B", "Person")
    ok = Entity("ok", "Ok", "Person")
    text = "A met Ok."
    claim = Claim("nul-art", bad.ref(), "MEETS", ok.ref(), {}, Evidence(text, 0, len(text)), 0.9)
    with FalkorDBStore(tmp_path) as store:
        store.write(batch_from_results([ArticleResult(Article("nul-art", text), (claim,), (bad, ok))]))
        with pytest.raises(StoreError, match="NUL"):
            store.finalize()
    with FalkorDBStore(tmp_path) as store:  # nothing half-written, and the write lock was released
        store.write(batch_from_results(corpus[:4]))
        store.finalize()
        assert store.counts()["claims"] == sum(len(r.claims) for r in corpus[:4])


def test_two_loads_at_once_take_turns(tmp_path: Path, corpus: list[ArticleResult],
                                      reference: dict[str, Any]) -> None:
    errors: list[BaseException] = []

    def build(part: list[ArticleResult]) -> None:
        try:
            with FalkorDBStore(tmp_path) as store:
                store.write(batch_from_results(part))
                store.finalize()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(corpus[:16],)),
               threading.Thread(target=build, args=(corpus[8:],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with FalkorDBStore(tmp_path) as store:
        assert _snapshot(store) == reference  # no claim or node twice
