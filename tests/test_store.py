"""The embedded FalkorDB store: a real server started by the tests."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

from graphkit.model import Article, ArticleResult, Claim, Entity, Evidence
from graphkit.rows import batch_from_results
from loaders import open_store
from loaders.embedded import EmbeddedServer, StoreError, _alive
from loaders.falkordb import FalkorDBStore

HOSTILE = "O'Brien \"Bob\" `x` {y} // not a comment\nsecond line; MATCH (n) DETACH DELETE n"


def _result(article_id: str, subject: Entity, relation: str, obj: Entity, **quals: str) -> ArticleResult:
    text = f"{subject.name} {relation.lower()} {obj.name}."
    claim = Claim(article_id, subject.ref(), relation, obj.ref(),
                  {"polarity": "asserted", "modality": "actual", **quals},
                  Evidence(text, 0, len(text)), 0.8)
    return ArticleResult(Article(article_id, text, "2024-01-02", title=HOSTILE, url="http://x/?a='1'"),
                         (claim,), (subject, obj))


def test_build_twice_leaves_identical_counts(tmp_path: Path) -> None:
    a = Entity("ana-silva", "Ana Silva", "Person", ("Silva",))
    b = Entity("norvik-energy", "Norvik Energy", "Organization", ("Norvik",))
    results = [_result("a1", a, "LEADS", b, role="CEO"), _result("a2", a, "MEETS", b)]
    counts = []
    for _ in range(2):
        with FalkorDBStore(tmp_path) as store:
            store.write(batch_from_results(results))
            store.finalize()
            counts.append(store.counts())
    assert counts[0] == counts[1]
    assert counts[0]["entities"] == 2 and counts[0]["claims"] == 2 and counts[0]["articles"] == 2


def test_hostile_strings_are_plain_data(tmp_path: Path) -> None:
    a = Entity("hostile-1", HOSTILE, "Person", (HOSTILE + " alias",))
    b = Entity("b", "B}) RETURN 1 //", "Organization")
    with FalkorDBStore(tmp_path) as store:
        store.write(batch_from_results([_result("x'1", a, "ADVISES", b, topic=HOSTILE)]))
        store.finalize()
        rows = store.read("MATCH (e:Entity) WHERE e.name = $name RETURN e.name AS name, e.aliases AS aliases",
                          {"name": HOSTILE})
        assert rows == [{"name": HOSTILE, "aliases": [HOSTILE + " alias"]}]
        edge = store.read("MATCH (:Entity {id: $s})-[r:ADVISES]->(:Entity {id: $o}) RETURN r.topics AS t",
                          {"s": "hostile-1", "o": "b"})
        assert edge == [{"t": [HOSTILE]}]
        title = store.read("MATCH (a:Article {id: $id}) RETURN a.title AS t, a.url AS u", {"id": "x'1"})
        assert title == [{"t": HOSTILE, "u": "http://x/?a='1'"}]
        assert store.counts()["entities"] == 2


def test_read_is_read_only(tmp_path: Path) -> None:
    from loaders.embedded import StoreError

    with FalkorDBStore(tmp_path) as store:
        a, b = Entity("a", "A", "Person"), Entity("b", "B", "Person")
        store.write(batch_from_results([_result("r1", a, "MEETS", b)]))
        with pytest.raises(StoreError, match="read-only"):
            store.read("CREATE (:Entity {id: $id})", {"id": "x"})


def test_server_stops_with_the_last_user(tmp_path: Path) -> None:
    first = EmbeddedServer(tmp_path).__enter__()
    second = EmbeddedServer(tmp_path).__enter__()
    pid = int((tmp_path / "falkordb.pid").read_text())
    first.close()
    assert second._answers(), "the server must keep running while another command uses it"
    second.close()
    assert not (tmp_path / "falkordb.pid").exists()
    assert not _alive(pid)


def test_concurrent_commands_share_one_server(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            e = Entity(f"e{n}", f"E {n}", "Person")
            o = Entity("hub", "Hub", "Organization")
            with FalkorDBStore(tmp_path) as store:
                store.write(batch_from_results([_result(f"art{n}", e, "WORKS_FOR", o)]))
                store.finalize()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with FalkorDBStore(tmp_path) as store:
        assert store.counts()["claims"] == 4
        assert store.read("MATCH (:Entity)-[r:WORKS_FOR]->(:Entity {id: $id}) RETURN count(r) AS n",
                          {"id": "hub"}) == [{"n": 4}]


def test_recovers_from_a_killed_run(tmp_path: Path) -> None:
    a, b = Entity("a", "A", "Person"), Entity("b", "B", "Person")
    server = EmbeddedServer(tmp_path).__enter__()
    store = FalkorDBStore(tmp_path, server=server)  # a store whose command will be killed
    store.write(batch_from_results([_result("k1", a, "MEETS", b)]))
    store.finalize()
    pid = int((tmp_path / "falkordb.pid").read_text())
    import time
    time.sleep(1.2)  # appendfsync everysec
    os.kill(pid, signal.SIGKILL)  # a killed run: stale pid file and socket stay behind
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.05)
    assert (tmp_path / "falkordb.pid").exists()
    server._users and os.close(server._users)  # the killed command's lock goes with it
    server._users = None
    with FalkorDBStore(tmp_path) as again:
        assert again.counts()["claims"] == 1  # durable: the append-only file survived kill -9


def test_open_store_picks_the_embedded_store_for_a_directory(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s"))
    try:
        assert isinstance(store, FalkorDBStore)
    finally:
        store.close()


def test_cli_build_and_query(tmp_path: Path, graphkit_cmd) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    seed = Path(__file__).resolve().parents[1] / "samples" / "seed-musk-trump.txt"
    store = tmp_path / "store"
    run = subprocess.run([*graphkit_cmd, "build", str(seed), "--store", str(store), "--workers", "1"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = subprocess.run([*graphkit_cmd, "query", "advisers_of", "--param", "name=Donald Trump",
                          "--store", str(store), "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0]["adviser"] == "Elon Musk" and rows[0]["denied"] is True
    assert any("cryptocurrency" in t for t in rows[0]["topics"])
    disputed = json.loads(subprocess.run(
        [*graphkit_cmd, "query", "disputed_claims", "--store", str(store), "--json"],
        capture_output=True, text=True).stdout)
    assert any(r["relation"] == "ADVISES" and r["reported_by"] == "Bloomberg News"
               and r["denied_by"] == "Elon Musk" for r in disputed)
    paths = json.loads(subprocess.run(
        [*graphkit_cmd, "query", "connections_between", "--param", "a=Elon Musk",
         "--param", "b=U.S. Space Force", "--store", str(store), "--json"],
        capture_output=True, text=True).stdout)
    assert any(p["path"] == ["Elon Musk", "Donald Trump", "U.S. Space Force"] for p in paths)


def test_incremental_builds_equal_one_build(tmp_path: Path) -> None:
    a, b = Entity("ana", "Ana", "Person"), Entity("org", "Org", "Organization")
    first = [_result("x1", a, "ADVISES", b, topic="trade")]
    second = [_result("x2", a, "ADVISES", b, topic="energy", polarity="denied"),
              _result("x3", b, "FUNDS", a, amount="$5")]
    query = ("MATCH (s:Entity)-[r]->(o:Entity) RETURN s.id AS s, type(r) AS rel, o.id AS o, "
             "r.claim_count AS n, r.topics AS topics, r.denied AS denied, r.sources AS sources "
             "ORDER BY s, rel, o")
    with FalkorDBStore(tmp_path / "steps") as store:
        store.write(batch_from_results(first))
        store.finalize()
        store.write(batch_from_results(second))
        store.finalize()
        stepwise = store.read(query)
    with FalkorDBStore(tmp_path / "once") as store:
        store.write(batch_from_results(first + second))
        store.finalize()
        once = store.read(query)
    for rows in (stepwise, once):
        for row in rows:
            row["topics"], row["sources"] = sorted(row["topics"]), sorted(row["sources"])
    assert stepwise == once
    advises = next(r for r in once if r["rel"] == "ADVISES")
    assert advises["n"] == 2 and advises["denied"] is True and advises["topics"] == ["energy", "trade"]


def test_an_article_twice_in_one_build_counts_once(tmp_path: Path) -> None:
    a, b = Entity("ana", "Ana", "Person"), Entity("org", "Org", "Organization")
    older = [_result("old", a, "MEETS", b, topic="trade")]
    repeated = [_result("x1", a, "MEETS", b, topic="energy")]
    with FalkorDBStore(tmp_path) as store:
        store.write(batch_from_results(older))
        store.finalize()
        store.write(batch_from_results(repeated))  # the same article in two chunks of one build
        store.write(batch_from_results(repeated))
        store.finalize()
        [edge] = store.read("MATCH (:Entity {id: $s})-[r:MEETS]->(:Entity {id: $o}) "
                            "RETURN r.claim_count AS n, r.topics AS topics, r.denied AS denied",
                            {"s": "ana", "o": "org"})
    assert edge["n"] == 2 and sorted(edge["topics"]) == ["energy", "trade"]
    assert edge["denied"] is False


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "cypher"])
def test_an_entity_typed_anew_keeps_one_type_label(tmp_path: Path, bulk: bool) -> None:
    b = Entity("org", "Org", "Organization")
    with FalkorDBStore(tmp_path, bulk=bulk) as store:
        store.write(batch_from_results([_result("x1", Entity("acme", "Acme", "Person"), "MEETS", b)]))
        store.finalize()
        store.write(batch_from_results([_result("x2", Entity("acme", "Acme", "Organization"), "FUNDS", b)]))
        store.finalize()
        [row] = store.read("MATCH (e:Entity {id: 'acme'}) RETURN labels(e) AS labels, e.type AS type")
        assert sorted(row["labels"]) == ["Entity", "Organization"] and row["type"] == "Organization"


def test_a_server_that_cannot_start_is_reported_at_once(tmp_path: Path) -> None:
    import time

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "appendonlydir").write_text("not a directory")  # redis cannot open its AOF
    start = time.monotonic()
    with pytest.raises(StoreError, match="did not start: Can't open or create append-only dir"):
        EmbeddedServer(tmp_path, start_timeout=120).__enter__()
    assert time.monotonic() - start < 30


def test_a_server_that_hangs_at_start_is_started_again(tmp_path: Path) -> None:
    """FalkorDB 4.16 once hung creating its first graph (a lock held at start-up); the start
    probe must notice within its timeout and start a fresh server."""
    from loaders import embedded

    server = embedded.EmbeddedServer(tmp_path)
    answers = iter([False, True])
    launched = []
    real_launch = server._launch

    def launch() -> None:
        real_launch()
        launched.append(server._pid())

    server._launch, server._probe = launch, lambda: next(answers)  # type: ignore[method-assign]
    with server:
        assert len(launched) == 2 and launched[0] != launched[1]
        assert not embedded._alive(launched[0])  # the hung one was killed
        assert server.graph().query("RETURN 1").result_set == [[1]]
        assert embedded.EmbeddedServer._probe(server)  # the real probe, on the real server


def test_external_ids_are_stored_and_kept(tmp_path: Path) -> None:
    from tests.corpus import EXTERNAL_IDS, ODD_ID, corpus

    rows = batch_from_results(corpus())
    with FalkorDBStore(tmp_path) as store:
        store.write(rows)
        store.finalize()
        again = batch_from_results(corpus())
        for e in again.entities:
            e.pop("external_id", None)  # a later build without the alias table
        store.write(again)
        store.finalize()
        stored = {e["id"]: e.get("external_id") for e in store.entity_rows()}
    assert stored[ODD_ID] == EXTERNAL_IDS[max(EXTERNAL_IDS)]
    assert sorted(v for v in stored.values() if v) == sorted(EXTERNAL_IDS.values())
