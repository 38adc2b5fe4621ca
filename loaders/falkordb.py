"""The embedded default store: FalkorDB on a directory (see :mod:`loaders.embedded`).

A load writes what is new to the store (articles, entities, claims with their
links, mentions, and the direct edges of entities the store did not hold) with
FalkorDB's ``GRAPH.BULK`` command (:mod:`loaders.falkordb_bulk`), and what it
already held (entities seen again, claims stored before, direct edges with
older claims) with the shared Cypher, so that a rebuild or a later load leaves
the same graph as one load of everything. Rows are kept until
``FLUSH_CLAIMS`` claims are pending, then written; one load at a time holds
the store's write lock. A store whose graph has free node ids (nodes deleted
by hand) is loaded in Cypher only, since bulk node ids are predicted.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path
from typing import Any

from graphkit.rows import EDGE_LISTS, QUALIFIER_FIELDS, GraphBatch
from loaders import cypher
from loaders.base import LoadStats, gc_paused, gc_resumed
from loaders.cypher_store import CypherStore
from loaders.embedded import EmbeddedServer, StoreError
from loaders.falkordb_bulk import BulkInsert, fixed, lists_record, record, strings_record

__all__ = ["FalkorDBStore", "INDEXES"]

# FalkorDB has no REQUIRE constraints in 4.16; indexes make the MERGEs fast.
INDEXES = tuple(cypher.schema_statements("falkordb-indexes.cypher"))
BATCH = 5000
FLUSH_CLAIMS = 100_000

ARTICLE_KEYS = ("id", "title", "date", "source", "url")
ENTITY_KEYS = ("aliases", "id", "name", "type", "external_id", "degree")
CLAIM_KEYS = ("id", "article_id", "subject", "object", "relation", "confidence", "evidence", "start",
              "end", *QUALIFIER_FIELDS)
_CLAIM_KEY_SET = frozenset(CLAIM_KEYS)
EDGE_KEYS = (*EDGE_LISTS, "first_seen", "last_seen", "claim_count", "denied", "negated", "hypothetical",
             "confidence")
LOOKUP = {"Entity": "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN id, id(n) AS n",
          "Article": "UNWIND $ids AS id MATCH (n:Article {id: id}) RETURN id, id(n) AS n"}
_SENDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphkit-bulk")


def _claim_record(claim: dict[str, Any]) -> tuple[tuple[str, ...], bytes] | None:
    """The claim's keys with a value (those holding strings first) and their record; None
    for a claim of another shape. Claims with the same keys share a blob with no nulls."""
    values = tuple(claim.values())
    shape_key = (tuple(claim), tuple(map(type, values)))
    shape = _SHAPES.get(shape_key)
    if shape is None:
        if not _CLAIM_KEY_SET.issuperset(claim):
            return None
        strings = [i for i, t in enumerate(shape_key[1]) if t is str]
        others = [i for i, t in enumerate(shape_key[1]) if t is not str and t is not type(None)]
        keys = tuple(shape_key[0][i] for i in strings + others)
        kinds = "".join(_KINDS.get(shape_key[1][i], "x") for i in others)
        shape = _SHAPES[shape_key] = (keys, _getter(strings), _getter(others),
                                      fixed(kinds) if "x" not in kinds else record)
    keys, strings, others, pack = shape
    return keys, strings_record(strings(values), others(values), pack)


def _getter(indexes: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    if not indexes:
        return lambda values: ()
    if len(indexes) == 1:
        return lambda values: (values[indexes[0]],)
    return itemgetter(*indexes)


_KINDS = {int: "q", float: "d", bool: "?"}
_SHAPES: dict[tuple[tuple[str, ...], tuple[type, ...]], tuple[Any, ...]] = {}
_EDGE_TAIL = fixed("q???d")
_DEGREE = fixed("q")


_EDGE_LISTS = itemgetter(*EDGE_LISTS)
_EDGE_DATES = itemgetter("first_seen", "last_seen")
_EDGE_NUMBERS = itemgetter("claim_count", "denied", "negated", "hypothetical", "confidence")


def _edge_record(props: dict[str, Any]) -> bytes:
    return lists_record(_EDGE_LISTS(props), _EDGE_DATES(props), _EDGE_TAIL(_EDGE_NUMBERS(props)))


CHECKED = 1024  # node ids checked after a bulk load: the first ones, and as many at random


class _IdsMoved(Exception):
    """Bulk-loaded nodes did not get the ids predicted for them."""


SET_DEGREES = "UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e.degree = row.degree"


def _plain(value: Any) -> Any:
    """FalkorDB client values as plain Python (nodes and edges as property dicts)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    props = getattr(value, "properties", None)
    if isinstance(props, dict):
        out = {k: _plain(v) for k, v in props.items()}
        if hasattr(value, "labels"):
            out["_labels"] = list(value.labels or [])
        if getattr(value, "relation", None):
            out["_type"] = value.relation
        return out
    if hasattr(value, "nodes") and hasattr(value, "edges"):  # a path
        return {"nodes": [_plain(n) for n in value.nodes()], "edges": [_plain(e) for e in value.edges()]}
    return value


class FalkorDBStore(CypherStore):
    """Graph rows in an embedded FalkorDB whose data lives in ``directory``."""

    batch_size = BATCH

    def __init__(self, directory: str | Path, *, graph: str = "graphkit",
                 server: EmbeddedServer | None = None, bulk: bool = True) -> None:
        super().__init__()
        self.use_bulk = bulk  # False: every write in Cypher (slower; the same graph)
        self.server = server if server is not None else EmbeddedServer(directory).__enter__()
        self.graph = self.server.graph(graph)
        self.name = graph
        self._indexed = False
        self._new_load()

    def _new_load(self) -> None:
        self._bulk: bool | None = None  # decided at the first flush of a load
        self._articles: dict[str, dict[str, Any]] = {}  # pending rows
        self._entities: dict[str, dict[str, Any]] = {}
        self._mentions: set[tuple[str, str]] = set()
        self._claims: list[dict[str, Any]] = []
        self._ids: dict[str, dict[str, int]] = {"Entity": {}, "Article": {}}  # node ids this load met
        self._created: dict[str, set[str]] = {"Entity": set(), "Article": set()}  # by this load
        self._mentioned: set[tuple[str, str]] = set()  # mention pairs this load wrote
        self._unset_degree: set[str] = set()  # entities created before the last flush
        self._sending: Future[None] | None = None
        self._unsynced: list[tuple[Any, ...]] = []  # flushed rows whose bulk commands were not waited for
        self._graph_exists = True  # checked before the first bulk command

    # -- loading ------------------------------------------------------------

    def begin_load(self) -> None:
        self.server.lock_writes()  # one load at a time, from before it reads the stored entities

    @gc_paused(freeze=True)  # the pending rows stay out of collections until written
    def write(self, batch: GraphBatch) -> None:
        self.server.lock_writes()
        self._prepare()
        self._start_load()
        self._claims.extend(self._aggregate(batch))
        for a in batch.articles:
            self._articles[a["id"]] = a
        for e in batch.entities:
            row = self._entities.get(e["id"])
            if row is None:
                self._entities[e["id"]] = {**e, "aliases": list(e.get("aliases") or [])}
            else:
                aliases = row["aliases"] + [x for x in e.get("aliases") or [] if x not in row["aliases"]]
                row.update(e, aliases=aliases)
        self._mentions.update((m["article"], m["entity"]) for m in batch.mentions)
        if len(self._claims) > FLUSH_CLAIMS:
            self._flush(final=False)

    @gc_paused()
    def finalize(self) -> LoadStats:
        try:
            self._flush(final=True)
            cypher_edges: dict[tuple[str, str, str], dict[str, Any]] = {}
            created, entity_ids = self._created["Entity"], self._ids["Entity"]
            added: Counter[str] = Counter()  # new edges of entities stored before this load
            if self._bulk:
                bulk = BulkInsert(0)  # edges only: no node ids are assigned
                for (s, rel, o), props in self._aggregator.edges.items():
                    ends = entity_ids.get(s), entity_ids.get(o)
                    if ends[0] is not None and ends[1] is not None and (s in created or o in created):
                        bulk.edge(rel, EDGE_KEYS, ends[0], ends[1], _edge_record(props))
                        if rel != "RELATED_TO":
                            added.update({s, o} - created)
                    else:  # both ends were stored before: the edge may be too
                        cypher_edges[(s, rel, o)] = props
                self._send(bulk)
                degrees = self._degrees()
                self._sync()
            if not self._bulk:
                return LoadStats(super().finalize(), bulk=False)
            recount = self._write_edges(cypher_edges, added)
            self._unwind(SET_DEGREES, [{"id": e, "degree": degrees.get(e, 0)}
                                       for e in sorted(self._unset_degree)])
            self._write_degrees(added, recount)
            return LoadStats(edges=len(self._aggregator.edges), bulk=True)
        finally:
            try:
                self._sync()
            finally:
                self._end_load()
                self._new_load()
                self.server.unlock_writes()
                gc_resumed()

    def _flush(self, *, final: bool) -> None:
        """Write the pending rows: new nodes and edges in bulk, the rest in Cypher."""
        articles, entities, claims, mentions = (list(self._articles.values()), list(self._entities.values()),
                                                self._claims, self._mentions)
        self._articles, self._entities, self._mentions, self._claims = {}, {}, set(), []
        gc_resumed()  # (they stay referenced until written; what was garbage can go)
        self._sync()  # (the previous flush may have turned this load to Cypher)
        if not (articles or entities or claims or mentions):
            self._bulk = True if self._bulk is None else self._bulk
            return
        if self._bulk is None:
            self._bulk = self.use_bulk and self._free_ids() is not None
        if not self._bulk:
            self._write_rows(GraphBatch(articles=articles, entities=entities, claims=claims,
                                        mentions=[{"article": a, "entity": e} for a, e in mentions]))
            return
        try:
            self._flush_bulk(articles, entities, claims, mentions, final=final)
        except (ValueError, TypeError) as exc:  # a value FalkorDB cannot hold
            raise StoreError(f"cannot store a value: {exc}") from None

    def _flush_bulk(self, articles: list[dict[str, Any]], entities: list[dict[str, Any]],
                    claims: list[dict[str, Any]], mentions: set[tuple[str, str]], *, final: bool) -> None:
        entity_ids, article_ids = self._ids["Entity"], self._ids["Article"]
        for label, rows in (("Article", articles), ("Entity", entities)):
            unknown = [r["id"] for r in rows if r["id"] not in self._ids[label]]
            for i in range(0, len(unknown), self.batch_size):
                for r in self.read(LOOKUP[label], {"ids": unknown[i:i + self.batch_size]}):
                    self._ids[label][r["id"]] = r["n"]
        known = [e for e in entities if e["id"] in entity_ids]
        stored = self._stored_claims([c["id"] for c in claims])
        self._write_rows(GraphBatch(  # what the store holds: updated in Cypher
            articles=[a for a in articles if a["id"] in article_ids], entities=known,
            claims=[c for c in claims if c["id"] in stored]))
        self._unset_degree.update(e["id"] for e in known if e["id"] in self._created["Entity"])

        first = self._free_ids()
        if first is None:
            raise StoreError("FalkorDB: the graph changed during the load (nodes were deleted)")
        nodes = BulkInsert(first)
        keys: list[str] = []  # the id of each new node, in node id order
        for a in articles:
            if a["id"] not in article_ids:
                article_ids[a["id"]] = nodes.node("Article", ARTICLE_KEYS, [a.get(k) for k in ARTICLE_KEYS])
                keys.append(a["id"])
                self._created["Article"].add(a["id"])
        degrees = self._degrees() if final else {}
        labels = {t: f"Entity:{cypher.label(t)}" for t in {e["type"] for e in entities}}
        for e in sorted(entities, key=lambda e: e["type"]):
            if e["id"] not in entity_ids:
                data = lists_record([e.get("aliases") or []], [e["id"], e["name"], e["type"], e.get("external_id")],
                                    _DEGREE((degrees.get(e["id"], 0),)))
                entity_ids[e["id"]] = nodes.node(labels[e["type"]], ENTITY_KEYS, data)
                keys.append(e["id"])
                self._created["Entity"].add(e["id"])
                if not final:
                    self._unset_degree.add(e["id"])
        claim_nodes: list[int] = []
        ends: tuple[list[int], list[int], list[int]] = ([], [], [])
        unlinked = []
        shaped = []
        for c in claims:
            if c["id"] in stored:
                continue
            s, o, a = entity_ids.get(c["subject"]), entity_ids.get(c["object"]), article_ids.get(c["article_id"])
            shape = _claim_record(c) if s is not None and o is not None and a is not None else None
            if shape is None:
                unlinked.append({k: v for k, v in c.items() if v is not None})  # Cypher, as before
            else:
                shaped.append((shape[0], shape[1], s, o, a, c["id"]))
        shaped.sort(key=lambda item: item[0])  # one blob per set of keys
        for props, data, s, o, a, key in shaped:
            claim_nodes.append(nodes.node("Claim", props, data))
            keys.append(key)
            ends[0].append(s)
            ends[1].append(o)
            ends[2].append(a)
        self._unsynced.append((articles, entities, claims, mentions))
        self._send(nodes, keys)

        links = BulkInsert(0)
        for rel, targets in zip(("SUBJECT", "OBJECT", "FROM"), ends):
            links.links(rel, claim_nodes, targets)
        sources, targets, cypher_mentions = [], [], []
        mentioned, new_articles, new_entities = self._mentioned, self._created["Article"], self._created["Entity"]
        for pair in mentions - mentioned:
            a, e = article_ids.get(pair[0]), entity_ids.get(pair[1])
            if a is not None and e is not None and (pair[0] in new_articles or pair[1] in new_entities):
                sources.append(a)
                targets.append(e)
                mentioned.add(pair)
            else:
                cypher_mentions.append({"article": pair[0], "entity": pair[1]})
        links.links("MENTIONS", sources, targets)
        self._send(links)
        if unlinked or cypher_mentions:
            self._sync()
            if not self._bulk:
                return  # written again in Cypher, these too
            self._unwind(cypher.NEW_CLAIMS, unlinked)
            self._unwind(cypher.MENTIONS, cypher_mentions)

    def _degrees(self) -> dict[str, int]:
        """Direct edges per entity among this load's triples (RELATED_TO aside): an entity
        the load created has no others."""
        out: dict[str, int] = defaultdict(int)
        for s, rel, o in self._aggregator.edges:
            if rel != "RELATED_TO":
                out[s] += 1
                if o != s:
                    out[o] += 1
        return out

    def _free_ids(self) -> int | None:
        """The id the next new node gets, or None if the graph has free ids (deleted nodes)."""
        rows = self.read("MATCH (n) RETURN count(n) AS n, max(id(n)) AS top")
        n, top = (rows[0]["n"], rows[0]["top"]) if rows else (0, None)
        self._graph_exists = self._exists()
        if n == 0 and self._graph_exists:  # emptied by hand: start it afresh
            self._run("DEL", self.name)
            self._indexed = False
            self._ensure_indexes()
            self._graph_exists = self._exists()
            return 0
        if top is not None and top != n - 1:
            return None  # free ids below the last node
        # free ids above it, left by the last nodes deleted, would be taken first: the next
        # id must be n. (The order of several such ids is checked after the load: _check_ids.)
        probe = self.graph.query("CREATE (p:GraphkitProbe) WITH p, id(p) AS i DELETE p RETURN i")
        return n if probe.result_set[0][0] == n else None

    def _exists(self) -> bool:
        return bool(self._run("EXISTS", self.name))

    # -- bulk commands run in a thread, so that the server works while Python encodes --

    def _send(self, bulk: BulkInsert, keys: list[str] | None = None) -> None:
        """Queue the bulk commands; ``keys``: the ``id`` of each node they create, in order,
        to check that the nodes got the ids predicted for them."""
        if not len(bulk):
            return
        begin = [] if self._graph_exists else ["BEGIN"]  # (asking now would wait for the server)
        self._graph_exists = True
        commands = [["GRAPH.BULK", self.name, *(begin if i == 0 else []), *args]
                    for i, args in enumerate(bulk.commands())]
        previous = self._sending

        def run() -> None:
            if previous is not None:
                previous.result()
            for command in commands:
                self._run(*command)
            if keys:
                self._check_ids(bulk.next_id - len(keys), keys)

        self._sending = _SENDER.submit(run)

    def _check_ids(self, first: int, keys: list[str]) -> None:
        """The first nodes and a sample of the others hold the ids predicted for them.

        Only free ids left by nodes deleted by hand can upset the prediction, and they
        are taken first: checking the first ones finds it (the probe of
        :meth:`_free_ids` most often already has)."""
        rng = random.Random(first)
        sample = sorted(set(range(min(len(keys), CHECKED))) | set(rng.sample(range(len(keys)),
                                                                                min(len(keys), CHECKED))))
        rows = self.graph.ro_query("UNWIND $ids AS i MATCH (n) WHERE id(n) = i RETURN i, n.id",
                                   {"ids": [first + j for j in sample]}).result_set
        if {i: key for i, key in rows} != {first + j: keys[j] for j in sample}:
            raise _IdsMoved()

    def _sync(self) -> None:
        """Wait for the queued bulk commands and raise their error; if nodes did not get the
        predicted ids, write what was sent since the last wait again in Cypher."""
        sending, self._sending = self._sending, None
        if sending is None:
            self._unsynced = []
            return
        try:
            sending.result()
        except _IdsMoved:
            self._bulk = False  # from now on, this load is written in Cypher
            self._started_empty = False
            flushed, self._unsynced = self._unsynced, []
            for articles, entities, claims, mentions in flushed:  # nodes are in: links are merged
                self._write_rows(GraphBatch(articles=articles, entities=entities, claims=claims,
                                            mentions=[{"article": a, "entity": e} for a, e in mentions]))
        self._unsynced = []

    def _run(self, *command: Any) -> Any:
        try:
            return self.server.client().connection.execute_command(*command)
        except Exception as exc:  # noqa: BLE001 (the client's errors carry the server's message)
            raise StoreError(f"FalkorDB: {exc}") from None

    def _execute(self, query: str, params: dict[str, Any]) -> None:
        if self._sending is not None:
            self._sync()
        try:
            self.graph.query(query, params)
        except Exception as exc:  # the client's errors carry the server's message
            raise StoreError(f"FalkorDB: {exc}") from None

    def _prepare(self) -> None:
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        if self._indexed:
            return
        for statement in INDEXES:
            try:
                self.graph.query(statement)
            except Exception as exc:  # noqa: BLE001
                if "already indexed" not in str(exc).lower():
                    raise StoreError(f"FalkorDB: {exc}") from None
        self._indexed = True

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if self._sending is not None:
            self._sync()
        try:
            result = self.graph.ro_query(query, params or {})
        except Exception as exc:  # noqa: BLE001
            if "empty key" in str(exc).lower():
                return []  # nothing was ever written to this store
            raise StoreError(f"FalkorDB: {exc}") from None
        header = [h[1] if isinstance(h, (list, tuple)) else h for h in result.header]
        return [{name: _plain(v) for name, v in zip(header, row)} for row in result.result_set]

    def close(self) -> None:
        gc_resumed()
        self.server.close()  # releases the write lock of an unfinished load too
