"""graphkit export: claims back out of the store, the neo4j-admin CSV bundle, Browser favorites."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import run_graphkit

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("export")
    store = tmp / "store"
    extracted = tmp / "extracted.jsonl"
    assert run_graphkit("extract", SAMPLES, "-o", extracted, "--workers", "1").returncode == 0
    build = run_graphkit("build", SAMPLES, "--store", store, "--workers", "1")
    assert build.returncode == 0, build.stderr
    return {"store": store, "extracted": extracted, "tmp": tmp}


def _records(path: Path) -> list[str]:
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in path.open(encoding="utf-8"))


def test_exported_claims_are_the_extracted_claims(built: dict[str, Path]) -> None:
    out = built["tmp"] / "claims.jsonl"
    run = run_graphkit("export", "--format", "claims", "-o", out, "--store", built["store"])
    assert run.returncode == 0, run.stderr
    assert _records(out) == _records(built["extracted"])


def test_neo4j_csv_bundle(built: dict[str, Path]) -> None:
    out = built["tmp"] / "csv"
    run = run_graphkit("export", "--format", "neo4j-csv", "-o", out, "--store", built["store"])
    assert run.returncode == 0, run.stderr
    claims = list(csv.reader((out / "claims.csv").open(encoding="utf-8", newline="")))
    n_claims = sum(1 for _ in built["extracted"].open(encoding="utf-8"))
    assert claims[0][0] == "id:ID(Claim)" and len(claims) - 1 == n_claims
    entities = list(csv.DictReader((out / "entities.csv").open(encoding="utf-8", newline="")))
    assert all(e[":LABEL"].startswith("Entity;") for e in entities)
    rels = list(csv.DictReader((out / "relationships.csv").open(encoding="utf-8", newline="")))
    triples = {(json.loads(line)["subject"]["id"], json.loads(line)["relation"], json.loads(line)["object"]["id"])
               for line in built["extracted"].open(encoding="utf-8")}
    assert {(r[":START_ID(Entity)"], r[":TYPE"], r[":END_ID(Entity)"]) for r in rels} == triples
    command = (out / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in command and "--nodes=claims.csv" in command


def test_browser_favorites(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "favorites.zip"
    assert run_graphkit("export", "--format", "browser-favorites", "-o", out).returncode == 0
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        assert len(names) >= 12 and all(n.startswith("graphkit/") and n.endswith(".cypher") for n in names)
        assert all(bundle.read(n).decode("utf-8").startswith("// name: ") for n in names)


def test_query_without_a_store_is_one_clear_line(tmp_path: Path) -> None:
    run = run_graphkit("query", "most_connected", "--store", tmp_path / "none")
    assert run.returncode == 3 and "no graph store" in run.stderr and "Traceback" not in run.stderr
