#!/usr/bin/env python3
"""Write schemas/ontology.ttl and schemas/shapes.ttl from schemas/ontology.yaml.

The YAML file is the one source of truth; run this after changing it (a test
fails while the Turtle files are out of date).

Usage:
    .venv/bin/python scripts/build_rdf_schemas.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphkit.rdf import ontology_graph, shapes_graph  # noqa: E402

HEADER = ("# Generated from schemas/ontology.yaml by scripts/build_rdf_schemas.py: "
          "edit the YAML file, then run the script.\n")


def main() -> int:
    for name, graph in (("ontology.ttl", ontology_graph()), ("shapes.ttl", shapes_graph())):
        path = ROOT / "schemas" / name
        path.write_text(HEADER + graph.serialize(format="turtle"), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(graph)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
