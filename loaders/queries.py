"""Saved queries: ``queries/NAME.cypher`` files with a comment header, and their SPARQL
twins ``queries/sparql/NAME.rq`` (the same header, ``#`` comments).

The header names the query, describes it in one line, declares its
parameters with types (and defaults) and gives an example::

    // name: advisers_of
    // description: Who advises an entity, ...
    // param: name (string) the advised entity's name or one of its aliases
    // param: limit (integer, default 25) the most rows to return
    // example: graphkit query advisers_of --param name="Donald Trump"

Queries run read-only; values reach them only as parameters. A SPARQL twin
says in ``lists:`` and ``records:`` header lines which columns it returns as
joined strings, which the runner (:mod:`loaders.sparql`) reads back into lists
and lists of dicts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.resources import query_dir

__all__ = ["SavedQuery", "Param", "saved_queries", "saved_query", "sparql_queries", "sparql_query",
           "QueryError", "browser_favorites"]

_PARAM = re.compile(r"^(\w+)\s*\((\w+)(?:,\s*default\s+(.+?))?\)\s*(.*)$")
_TYPES = {"string": str, "integer": int, "float": float, "boolean": bool, "list": list}


class QueryError(GraphkitError):
    """A saved query is unknown, malformed, or given wrong parameters."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    default: Any = None
    required: bool = True

    def convert(self, text: str) -> Any:
        """A command-line value as this parameter's type."""
        try:
            if self.type == "integer":
                return int(text)
            if self.type == "float":
                return float(text)
            if self.type == "boolean":
                if text.lower() in ("true", "yes", "1"):
                    return True
                if text.lower() in ("false", "no", "0"):
                    return False
                raise ValueError(text)
            if self.type == "list":
                value = json.loads(text)
                if not isinstance(value, list):
                    raise ValueError(text)
                return value
        except ValueError:
            raise QueryError(f"parameter {self.name} wants a {self.type}, not {text!r}") from None
        return text


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    text: str
    path: Path
    params: tuple[Param, ...] = ()
    example: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def parameters(self, given: dict[str, str] | dict[str, Any], *, convert: bool = True) -> dict[str, Any]:
        """Checked parameters: declared ones only, converted, defaults filled in."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"{self.name} has no parameter {unknown[0]!r} "
                             f"(it takes: {', '.join(known) or 'none'})")
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in given:
                value = given[p.name]
                out[p.name] = p.convert(value) if convert and isinstance(value, str) else value
            elif p.required:
                raise QueryError(f"{self.name} needs --param {p.name}=... ({p.description})")
            else:
                out[p.name] = p.default
        return out


def _parse(path: Path) -> SavedQuery:
    comment = "#" if path.suffix == ".rq" else "//"
    header: dict[str, str] = {}
    params: list[Param] = []
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(comment) and not body:
            key, _, value = stripped[len(comment):].strip().partition(":")
            key, value = key.strip(), value.strip()
            if key == "param":
                m = _PARAM.match(value)
                if not m or m.group(2) not in _TYPES:
                    raise QueryError(f"{path}: malformed parameter line {value!r}")
                try:
                    default = json.loads(m.group(3)) if m.group(3) is not None else None
                except json.JSONDecodeError:
                    raise QueryError(f"{path}: the default of {m.group(1)} is not JSON") from None
                params.append(Param(m.group(1), m.group(2), m.group(4), default, m.group(3) is None))
            elif key:
                header[key] = value
        elif stripped or body:
            body.append(line)
    name = header.pop("name", "")
    if name != path.stem:
        raise QueryError(f"{path}: the header names it {name!r}, the file {path.stem!r}")
    return SavedQuery(name=name, description=header.pop("description", ""),
                      text="\n".join(body).strip() + "\n", path=path, params=tuple(params),
                      example=header.pop("example", ""), extra=header)


def saved_queries(directory: Path | None = None) -> list[SavedQuery]:
    """Every saved query, by name."""
    directory = directory or query_dir()
    return [_parse(p) for p in sorted(directory.glob("*.cypher"))]


def saved_query(name: str, directory: Path | None = None) -> SavedQuery:
    directory = directory or query_dir()
    if not re.fullmatch(r"\w+", name) or not (directory / f"{name}.cypher").exists():
        names = ", ".join(q.name for q in saved_queries(directory))
        raise QueryError(f"no saved query {name!r} (there are: {names})")
    return _parse(directory / f"{name}.cypher")


def sparql_queries(directory: Path | None = None) -> list[SavedQuery]:
    """Every SPARQL twin (``queries/sparql/*.rq``), by name."""
    directory = directory or query_dir() / "sparql"
    return [_parse(p) for p in sorted(directory.glob("*.rq"))]


def sparql_query(name: str, directory: Path | None = None) -> SavedQuery:
    directory = directory or query_dir() / "sparql"
    if not re.fullmatch(r"\w+", name) or not (directory / f"{name}.rq").exists():
        names = ", ".join(q.name for q in sparql_queries(directory))
        raise QueryError(f"no SPARQL query {name!r} (there are: {names})")
    return _parse(directory / f"{name}.rq")


def browser_favorites(output: Path, directory: Path | None = None) -> int:
    """Write the saved queries as a zip of ``.cypher`` files, the form Neo4j Browser's
    Favorites drawer imports (and exports); returns the number of queries.

    Browser names a favorite by its first comment line, here ``// name: ...``;
    parameters are set in Browser with ``:param``.
    """
    import zipfile

    queries = saved_queries(directory)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for q in queries:
            bundle.writestr(f"graphkit/{q.name}.cypher", q.path.read_text(encoding="utf-8"))
    return len(queries)
