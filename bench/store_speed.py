#!/usr/bin/env python3
"""Embedded store speed: load throughput against a bare MERGE, and saved-query latency.

Generates a graph of ``--claims`` claims (default 100,000) among about a fifth
as many entities, over articles of 20 claims each, then, in the same run and
on fresh stores:

  a. graphkit's load stage (``FalkorDBStore.write`` + ``finalize``, what
     ``graphkit build`` runs): claims loaded per second;
  b. a bare ``UNWIND $rows AS row MERGE (s) MERGE (o) MERGE (s)-[:REL]->(o)``
     of the same subject/relation/object edges through the FalkorDB client, in
     batches of the same size: edges per second;

in ``--rounds`` rounds (alternating which goes first, as the machine is noisy),
and prints the ratio a/b of each round and their median (target >= 0.7). It also
reports, for information, a second load of 10% more claims onto the loaded graph
(new claims among stored entities and articles: bulk for what is new, Cypher for
what was stored). Then it runs every saved query ``--runs`` times on the loaded
graph with parameters drawn from it, and prints the median latency of each
(target < 200 ms). Exits 1 if a target is missed.

Usage:
    .venv/bin/python bench/store_speed.py [--claims N] [--rounds N] [--runs N] [--skip-queries]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.rows import GraphBatch  # noqa: E402
from loaders import cypher  # noqa: E402
from loaders.falkordb import BATCH, FalkorDBStore  # noqa: E402
from loaders.queries import saved_queries  # noqa: E402

TYPES = ["Person", "Person", "Organization", "Organization", "Organization", "Product", "Policy",
         "Group", "Topic", "Place"]
FIRST = ["Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gita", "Hugo", "Ines", "Jon", "Kofi", "Lena"]
LAST = ["Silva", "Berg", "Okafor", "Tanaka", "Novak", "Haddad", "Kaur", "Moreau", "Reyes", "Ivanova"]
ORG = ["Energy", "Capital", "Motors", "Labs", "Group", "Bank", "Media", "Holdings", "Foods"]


def generate(n_claims: int, seed: int = 7) -> GraphBatch:
    rng = random.Random(seed)
    n_entities = max(10, n_claims // 5)
    entities = []
    for i in range(n_entities):
        etype = rng.choice(TYPES)
        if etype == "Person":
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
            aliases = [name.split()[1]]
        else:
            name = f"{rng.choice(LAST)} {rng.choice(ORG)} {i}"
            aliases = [name.split()[0]]
        entities.append({"id": f"e{i}", "name": name, "type": etype, "aliases": aliases})
    relations = [r for r in cypher.relation_types() if r != "RELATED_TO"]
    hubs = [rng.randrange(n_entities) for _ in range(50)]  # a few well-connected entities
    claims, articles, mentions = [], [], set()
    for c in range(n_claims):
        art = f"a{c // 20}"
        if c % 20 == 0:
            articles.append({"id": art, "title": f"Article {art}", "date": f"2024-{1 + c % 12:02d}-{1 + c % 28:02d}",
                             "source": "bench", "url": None})
        s = rng.choice(hubs) if rng.random() < 0.2 else rng.randrange(n_entities)
        o = rng.randrange(n_entities)
        if s == o:
            o = (o + 1) % n_entities
        rel = rng.choice(relations)
        claims.append({"id": f"c{c}", "article_id": art, "subject": f"e{s}", "object": f"e{o}",
                       "relation": rel, "confidence": 0.7, "evidence": f"Sentence {c}.", "start": 0,
                       "end": 12, "topic": rng.choice([None, "trade", "energy policy", "tariffs"]),
                       "role": None, "status": None, "amount": None, "time": None,
                       "attributed_to": f"e{rng.choice(hubs)}" if rng.random() < 0.2 else None,  # a reporter
                       "polarity": rng.choice(["asserted"] * 9 + ["denied"]),
                       "modality": "actual", "quote": None, "frequency": None, "predicate": None})
        mentions.add((art, f"e{s}"))
        mentions.add((art, f"e{o}"))
    return GraphBatch(articles=articles, entities=entities, claims=claims,
                      mentions=[{"article": a, "entity": e} for a, e in sorted(mentions)])


def load_graphkit(batch: GraphBatch, directory: Path) -> float:
    with FalkorDBStore(directory) as store:
        start = time.perf_counter()
        store.write(batch)
        store.finalize()
        return time.perf_counter() - start


def more_claims(batch: GraphBatch, share: float = 0.1, seed: int = 11) -> GraphBatch:
    """New claims among the batch's entities, in new articles mentioning them."""
    rng = random.Random(seed)
    n = int(len(batch.claims) * share)
    claims, articles, mentions = [], [], set()
    for c in range(n):
        old = batch.claims[rng.randrange(len(batch.claims))]
        art = f"more{c // 20}"
        if c % 20 == 0:
            articles.append({"id": art, "title": f"More {art}", "date": "2025-01-01", "source": "bench",
                             "url": None})
        claims.append({**old, "id": f"more-c{c}", "article_id": art, "evidence": f"Another sentence {c}."})
        mentions.update({(art, old["subject"]), (art, old["object"])})
    used = {e for _, e in mentions}
    return GraphBatch(articles=articles, entities=[e for e in batch.entities if e["id"] in used],
                      claims=claims, mentions=[{"article": a, "entity": e} for a, e in sorted(mentions)])


def load_bare(batch: GraphBatch, directory: Path) -> float:
    by_rel: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in batch.claims:
        by_rel[c["relation"]].append({"s": c["subject"], "o": c["object"]})
    with FalkorDBStore(directory) as store:  # the same server and indexes, then the bare client
        store._ensure_indexes()
        graph = store.graph
        start = time.perf_counter()
        for rel, rows in by_rel.items():
            query = (f"UNWIND $rows AS row MERGE (s:Entity {{id: row.s}}) MERGE (o:Entity {{id: row.o}}) "
                     f"MERGE (s)-[:{rel}]->(o)")
            for i in range(0, len(rows), BATCH):
                graph.query(query, {"rows": rows[i:i + BATCH]})
        return time.perf_counter() - start


def query_params(store: FalkorDBStore) -> dict[str, object]:
    hub = store.read("MATCH (e:Entity)-[r]-(:Entity) RETURN e.name AS name, count(r) AS n "
                     "ORDER BY n DESC LIMIT 2")
    edge = store.read("MATCH (s:Entity)-[r:ADVISES]->(o:Entity) RETURN s.name AS s, o.name AS o LIMIT 1")
    return {"name": hub[0]["name"], "a": hub[0]["name"], "b": hub[1]["name"], "topic": "energy",
            "subject": edge[0]["s"] if edge else hub[0]["name"], "relation": "ADVISES",
            "object": edge[0]["o"] if edge else hub[1]["name"], "limit": 10}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--claims", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--min-ratio", type=float, default=0.7)
    p.add_argument("--max-ms", type=float, default=200.0)
    p.add_argument("--skip-queries", action="store_true")
    args = p.parse_args(argv)

    batch = generate(args.claims)
    print(f"graph: {len(batch.claims)} claims, {len(batch.entities)} entities, "
          f"{len(batch.articles)} articles")
    ok = True
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        ratios = []
        for r in range(args.rounds):
            store_dir = Path(tmp) / f"graphkit{r}"
            if r % 2:
                t_bare = load_bare(batch, Path(tmp) / f"bare{r}")
                t_gk = load_graphkit(batch, store_dir)
            else:
                t_gk = load_graphkit(batch, store_dir)
                t_bare = load_bare(batch, Path(tmp) / f"bare{r}")
            gk_rate, bare_rate = len(batch.claims) / t_gk, len(batch.claims) / t_bare
            ratios.append(gk_rate / bare_rate)
            print(f"load {r + 1}: graphkit {t_gk:.2f} s ({gk_rate:,.0f} claims/s); bare MERGE {t_bare:.2f} s "
                  f"({bare_rate:,.0f} edges/s); ratio {ratios[-1]:.2f}")
        ratio = statistics.median(ratios)
        print(f"load ratio (median of {args.rounds}): {ratio:.2f} (target >= {args.min_ratio})")
        ok &= ratio >= args.min_ratio
        more = more_claims(batch)
        t_more = load_graphkit(more, store_dir)
        print(f"then {len(more.claims):,} more claims onto that graph: {t_more:.2f} s "
              f"({len(more.claims) / t_more:,.0f} claims/s; for information)")
        if not args.skip_queries:
            with FalkorDBStore(store_dir) as store:
                params = query_params(store)
                print(f"\n{'query':<24} {'median ms':>10} {'max ms':>8} {'rows':>6}")
                for q in saved_queries():
                    given = {k.name: params[k.name] for k in q.params if k.name in params}
                    values = q.parameters(given, convert=False)
                    times, rows = [], 0
                    for _ in range(args.runs):
                        start = time.perf_counter()
                        rows = len(store.read(q.text, values))
                        times.append((time.perf_counter() - start) * 1000)
                    median = statistics.median(times)
                    ok &= median < args.max_ms
                    flag = "" if median < args.max_ms else "  TOO SLOW"
                    print(f"{q.name:<24} {median:>10.1f} {max(times):>8.1f} {rows:>6}{flag}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
