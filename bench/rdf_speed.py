#!/usr/bin/env python3
"""RDF export speed: graphkit's streaming N-Triples against rdflib's serializer.

Generates the graph of ``bench/store_speed.py`` (``--claims`` claims, default
100,000), then, in the same run and ``--rounds`` times (alternating which goes
first, as the machine is noisy):

  a. graphkit's N-Triples export (``RdfExport(..., "ntriples")``, what
     ``graphkit export --format ntriples`` runs on the rows);
  b. rdflib serializing the same triples (parsed beforehand into an in-memory
     ``Graph``, not timed) to N-Triples;

and prints the ratio b/a (target >= 1: graphkit at least as fast), with the
Turtle, TriG and JSON-LD export times beside it. Exits 1 if the target is missed.

Usage:
    .venv/bin/python bench/rdf_speed.py [--claims N] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_speed import generate  # noqa: E402

from loaders.rdf import FORMATS, RdfExport  # noqa: E402


def export(batch, path: Path, fmt: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    with RdfExport(path, fmt) as out:
        out.write(batch)
        triples = out.finalize()["triples"]
    return time.perf_counter() - start, triples


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--claims", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--min-ratio", type=float, default=1.0)
    args = p.parse_args(argv)

    from rdflib import Graph

    batch = generate(args.claims)
    with tempfile.TemporaryDirectory(prefix="graphkit-rdf-bench-") as tmp:
        nt = Path(tmp) / "graph.nt"
        t, triples = export(batch, nt, "ntriples")
        graph = Graph()
        graph.parse(nt, format="nt")
        print(f"graph: {len(batch.claims):,} claims, {len(batch.entities):,} entities, {triples:,} triples "
              f"(rdflib holds {len(graph):,})")
        ratios = []
        for r in range(args.rounds):
            def ours() -> float:
                return export(batch, Path(tmp) / f"ours{r}.nt", "ntriples")[0]

            def theirs() -> float:
                start = time.perf_counter()
                graph.serialize(destination=str(Path(tmp) / f"rdflib{r}.nt"), format="nt", encoding="utf-8")
                return time.perf_counter() - start

            t_ours, t_rdflib = (ours(), theirs()) if r % 2 == 0 else tuple(reversed((theirs(), ours())))
            ratios.append(t_rdflib / t_ours)
            print(f"round {r + 1}: graphkit N-Triples {t_ours:.2f} s ({triples / t_ours:,.0f} triples/s); "
                  f"rdflib {t_rdflib:.2f} s ({triples / t_rdflib:,.0f} triples/s); ratio {ratios[-1]:.1f}")
        ratio = statistics.median(ratios)
        print(f"N-Triples: graphkit is {ratio:.1f} times as fast as rdflib (median; target >= {args.min_ratio})")
        for fmt in ("turtle", "trig", "jsonld"):
            seconds, _ = export(batch, Path(tmp) / f"graph{FORMATS[fmt]}", fmt)
            print(f"{fmt}: {seconds:.2f} s ({triples / seconds:,.0f} triples/s)")
    return 0 if ratio >= args.min_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
