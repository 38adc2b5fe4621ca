"""Shared fixtures: the repository, the installed ``graphkit`` command, the spaCy pipeline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def graphkit_command() -> list[str]:
    """The installed ``graphkit`` console script next to this Python, else ``python -m``."""
    script = shutil.which("graphkit", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "graphkit.cli"]


def run_graphkit(*args: str | os.PathLike[str], cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``graphkit ARGS...`` as a whole process, stderr piped (so not a terminal)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GRAPHKIT_GAZETTEER", None)
    return subprocess.run(
        [*graphkit_command(), *map(str, args)],
        cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The default pipeline with graphkit's components, loaded once (the one ``extract`` uses)."""
    from graphkit.pipeline import load_pipeline

    return load_pipeline(None)


@pytest.fixture(scope="session")
def graphkit_cmd() -> list[str]:
    """The command line that runs graphkit in a subprocess."""
    return graphkit_command()


@pytest.fixture(scope="session")
def agreement_graph(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The saved queries' fixture graph plus the invented corpus, hostile strings included: its
    rows, and a real embedded store holding them, where the Cypher answers come from."""
    from graphkit.rows import batch_from_results
    from loaders.falkordb import FalkorDBStore
    from tests.corpus import corpus, query_fixture

    rows = batch_from_results(query_fixture() + corpus())
    store = FalkorDBStore(tmp_path_factory.mktemp("agreement"))
    store.write(rows)
    store.finalize()
    yield store, rows
    store.close()


@pytest.fixture(scope="session")
def sample_results(nlp):  # type: ignore[no-untyped-def]
    """Extraction results of the bundled sample articles (the founding article first)."""
    from graphkit.extract import extract_results
    from graphkit.readers import read_articles

    paths = sorted((REPO / "samples").glob("*.txt"), key=lambda p: (not p.name.startswith("seed"), p.name))
    return list(extract_results(read_articles([str(p) for p in paths]), nlp))
