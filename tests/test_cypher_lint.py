"""All Cypher graphkit ships or generates passes Neo4j's own language service.

``@neo4j-cypher/language-support`` (npm, run under node) reports syntax and
semantic errors the way Neo4j 5 does. It is installed by
``npm ci --prefix tools/cypher-lint`` (part of the README's test command).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from loaders import cypher
from loaders.queries import saved_queries

TOOL = Path(__file__).resolve().parents[1] / "tools" / "cypher-lint"
SAMPLES = {"string": "x", "integer": 1, "float": 1.0, "boolean": True, "list": ["x"]}


def _lint(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    assert node, "node is needed to run Neo4j's Cypher language service"
    assert (TOOL / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), (
        "Neo4j's Cypher language service is not installed: run 'npm ci --prefix tools/cypher-lint'")
    out = subprocess.run([node, str(TOOL / "lint.mjs")], input=json.dumps(items), text=True,
                         capture_output=True, check=True, timeout=300)
    return {r["name"]: r["diagnostics"] for r in json.loads(out.stdout)}


def _errors(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [f"{d['message']} (at {d['offset']})" for d in diagnostics if d["severity"] == 1]


LOAD_PARAMS = {"rows": [{"id": "x"}], "pairs": [{"s": "a", "o": "b"}], "ids": ["x"], "relation": "ADVISES",
               "after": "", "page": 5000, "id": "x", **cypher.ENUMS}
SCHEMA_FILES = ["neo4j-constraints.cypher", "falkordb-indexes.cypher"]


def _items() -> list[dict[str, Any]]:
    items = [{"name": f"query:{q.name}", "query": q.text,
              "parameters": {p.name: SAMPLES[p.type] for p in q.params}} for q in saved_queries()]
    for filename in SCHEMA_FILES:
        items += [{"name": f"schema:{filename}:{i}", "query": s, "parameters": {}}
                  for i, s in enumerate(cypher.schema_statements(filename))]
    items += [{"name": f"load:{n}", "query": q, "parameters": LOAD_PARAMS}
              for n, q in cypher.load_statements().items()]
    items.append({"name": "canary", "query": "MATCH (n:Entity) RETRN n", "parameters": {}})
    return items


@pytest.fixture(scope="module")
def linted() -> dict[str, list[dict[str, Any]]]:
    """Everything linted in one node process (the language service takes seconds to load)."""
    return _lint(_items())


def _problems(linted: dict[str, list[dict[str, Any]]], prefix: str) -> dict[str, list[str]]:
    return {n: _errors(d) for n, d in linted.items() if n.startswith(prefix) and _errors(d)}


def test_saved_queries_pass_neo4j_language_service(linted) -> None:  # type: ignore[no-untyped-def]
    assert {n for n in linted if n.startswith("query:")} == {f"query:{q.name}" for q in saved_queries()}
    assert not _problems(linted, "query:")


def test_schema_files_pass_neo4j_language_service(linted) -> None:  # type: ignore[no-untyped-def]
    assert sum(n.startswith("schema:") for n in linted) >= 8
    assert not _problems(linted, "schema:")


def test_loader_statements_pass_neo4j_language_service(linted) -> None:  # type: ignore[no-untyped-def]
    assert sum(n.startswith("load:edges:") for n in linted) == len(cypher.relation_types())
    assert not _problems(linted, "load:")


def test_the_linter_catches_errors(linted) -> None:  # type: ignore[no-untyped-def]
    assert _errors(linted["canary"])
