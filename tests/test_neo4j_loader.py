"""The Neo4j loader, through the real ``neo4j`` driver.

Without a Neo4j server, the driver path runs against FalkorDB's experimental
Bolt endpoint on loopback, in auto-commit mode (``transactions="auto"``). On
FalkorDB 4.16 (seen 2026-11-25) that endpoint answers a parameterised
``RETURN`` of a plain string (one with quotes and newlines gets "unknown error") and accepts a one-property ``UNWIND ... MERGE``, but the next read
of what was written, rows holding numbers or lists, and statements setting
several properties make the server drop the connection; a read-access
session is taken for a graph named "mode". So here it covers: the driver
connecting, parameters reaching the server, auto-commit writes and reads
going through :class:`Neo4jStore`, and a dropped or absent server becoming
one clear :class:`Neo4jError`. It cannot cover the loader's own statements
(entities, claims, edges) or the saved queries over Bolt; their Cypher text,
shared with the embedded store (``loaders.cypher``), runs through FalkorDB's
own client in ``test_store.py`` and ``test_saved_queries.py`` and passes
Neo4j's language service in ``test_cypher_lint.py``. Managed transactions and
their retries, rollback and the ``REQUIRE`` constraints need a real Neo4j.

With ``NEO4J_URI`` (and ``NEO4J_USERNAME``/``NEO4J_PASSWORD``) set, the full
tests below run against that server: every write, idempotent builds, every
saved query compared with the embedded store, hostile strings.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from graphkit.rows import batch_from_results
from loaders.embedded import EmbeddedServer
from loaders.falkordb import FalkorDBStore
from loaders.neo4j import Neo4jError, Neo4jStore
from loaders.queries import saved_queries
from tests.test_saved_queries import _results
from tests.test_store import HOSTILE, _result
from graphkit.model import Entity


def _free_port() -> int:
    """A free loopback port below 32768: FalkorDB 4.16 ignores a BOLT_PORT above (seen)."""
    import random

    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


@pytest.fixture
def neo4j_store():  # type: ignore[no-untyped-def]
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("no Neo4j server: set NEO4J_URI (and NEO4J_USERNAME/NEO4J_PASSWORD) to run")
    store = Neo4jStore()
    yield store
    store._write("MATCH (n) WHERE n:Entity OR n:Article OR n:Claim DETACH DELETE n", {})
    store.close()


def test_driver_path_through_falkordb_bolt(tmp_path: Path) -> None:
    """The endpoint itself drops connections now and then (see above): three fresh
    servers get a chance; the driver path must work on one of them."""
    failures = []
    for attempt in range(3):
        port = _free_port()
        with EmbeddedServer(tmp_path / str(attempt), bolt_port=port):
            _wait_for_port(port)
            store = Neo4jStore(f"bolt://127.0.0.1:{port}", transactions="auto", schema=False)
            try:
                assert store.read("RETURN $x AS x", {"x": "graphkit"}) == [{"x": "graphkit"}]
                store._write("UNWIND $rows AS row MERGE (a:Article {id: row.id})", {"rows": [{"id": "a1"}]})
                return
            except Neo4jError as exc:
                failures.append(str(exc))
            finally:
                store.close()
    pytest.fail(f"the driver path failed on three FalkorDB Bolt servers: {failures}")


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)


def test_neo4j_loads_idempotently_and_answers_like_the_embedded_store(
        neo4j_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for _ in range(2):
        neo4j_store.write(batch_from_results(_results()))
        neo4j_store.finalize()
        counts.append(neo4j_store.counts())
    assert counts[0] == counts[1] and counts[0]["claims"] == 13
    with FalkorDBStore(tmp_path / "embedded") as embedded:
        embedded.write(batch_from_results(_results()))
        embedded.finalize()
        for q in saved_queries():
            params = q.parameters({p.name: ARGS[p.name] for p in q.params if p.required}, convert=False)
            key = lambda rows: sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)  # noqa: E731
            assert key(neo4j_store.read(q.text, params)) == key(embedded.read(q.text, params)), q.name


def test_neo4j_hostile_strings(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.write(batch_from_results([_result("h'2", Entity("hostile-2", HOSTILE, "Person"), "FUNDS",
                                                  Entity("c", "C", "Organization"), amount=HOSTILE)]))
    neo4j_store.finalize()
    rows = neo4j_store.read("MATCH (e:Entity {id: $id})-[r:FUNDS]->() RETURN e.name AS n, r.amounts AS a",
                            {"id": "hostile-2"})
    assert rows == [{"n": HOSTILE, "a": [HOSTILE]}]


def test_unreachable_server_is_one_clear_error() -> None:
    store = Neo4jStore(f"bolt://127.0.0.1:{_free_port()}", transactions="auto", schema=False)
    try:
        with pytest.raises(Neo4jError, match="not reachable"):
            store.read("MATCH (n) RETURN n")
    finally:
        store.close()


def test_credentials_come_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEO4J_USERNAME", "reader")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-value")
    store = Neo4jStore(f"bolt://127.0.0.1:{_free_port()}")
    try:
        assert "s3cret-value" not in repr(vars(store))  # the password is handed to the driver only
    finally:
        store.close()


ARGS = {"name": "Elon Musk", "a": "Elon Musk", "b": "Donald Trump", "topic": "EVs",
        "subject": "Elon Musk", "relation": "ADVISES", "object": "Donald Trump"}
