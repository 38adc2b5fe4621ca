"""The SPARQL twins of the saved queries, run on pyoxigraph.

:class:`SparqlStore` holds a graph in graphkit's RDF vocabulary (loaded from
an RDF file, or from graph rows through :class:`~loaders.rdf.RdfExport`) in an
in-memory pyoxigraph store, and runs a ``queries/sparql/NAME.rq`` query the way
the CLI runs its Cypher twin: parameters are bound as SPARQL variables (never
pasted into the text; pyoxigraph substitutes only variables the query projects,
so a twin projects its parameters, in subqueries too, and the runner drops
them from the rows), a ``limit`` parameter cuts the ordered rows, and the
rows come back as plain Python values (IRIs as strings, typed literals as
numbers, booleans or strings). Two header lines say how to read columns that
SPARQL can only give as strings: ``lists: a, b`` names the columns built with
``GROUP_CONCAT(ENCODE_FOR_URI(...); SEPARATOR="\u001F")``, split back into
lists, and ``records: hops(from, relation, to), ...`` the lists whose items are
records, their fields joined with ``"\u001E"`` and read into dicts (a field
written ``name:integer`` or ``name:boolean`` is converted). Items and fields are
percent-encoded (``ENCODE_FOR_URI``) and decoded here, so a value holding the
separators stays whole. A column whose variable
ends in ``_`` is reported without it, for an answer named like a parameter
(``?name_`` is the column ``name`` where ``$name`` is the parameter).

Example:
    >>> from graphkit.rows import GraphBatch
    >>> store = SparqlStore.from_batches([GraphBatch(entities=[
    ...     {"id": "ada", "name": "Ada Lovelace", "type": "Person", "aliases": ["Ada"]}])])
    >>> store.select("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    ...              "SELECT ?name WHERE { ?e rdfs:label ?name }")
    [{'name': 'Ada Lovelace'}]
"""

from __future__ import annotations

import re
import tempfile
from urllib.parse import unquote
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.rows import GraphBatch
from loaders.queries import SavedQuery

__all__ = ["FIELD_SEPARATOR", "LIST_SEPARATOR", "SparqlStore"]

LIST_SEPARATOR = "\x1f"
FIELD_SEPARATOR = "\x1e"
_RECORD = re.compile(r"(\w+)\s*\(([^)]*)\)")
_FIELD_TYPES = {"string": str, "integer": int,
                "boolean": lambda text: text in ("true", "1"), "float": float}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                "positiveInteger", "unsignedInt", "unsignedLong")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}
_FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".jsonld": "JSON_LD"}


def _oxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        raise GraphkitError("SPARQL queries need pyoxigraph: pip install pyoxigraph") from None
    return pyoxigraph


def _python(term: Any) -> Any:
    ox = _oxigraph()
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == _XSD + "boolean":
            return term.value == "true" or term.value == "1"
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
        return term.value
    return term.value  # a NamedNode's IRI (a blank node's id)


class SparqlStore:
    """A graph in pyoxigraph, queried with the SPARQL twins."""

    def __init__(self) -> None:
        self.store = _oxigraph().Store()

    @classmethod
    def from_file(cls, path: str | Path) -> SparqlStore:
        """A store holding an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD)."""
        ox = _oxigraph()
        path = Path(path)
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise GraphkitError(f"{path}: not an RDF file ({', '.join(sorted(_FORMATS))})")
        self = cls()
        try:
            self.store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt))
        except (OSError, SyntaxError, ValueError) as exc:
            raise GraphkitError(f"{path}: {exc}") from None
        return self

    @classmethod
    def from_batches(cls, batches: Iterable[GraphBatch], *, base: str | None = None) -> SparqlStore:
        """A store holding graph rows, written as graphkit's RDF."""
        from loaders.rdf import RdfExport

        with tempfile.TemporaryDirectory(prefix="graphkit-sparql-") as tmp:
            path = Path(tmp) / "graph.nt"
            with RdfExport(path, "ntriples", base=base) as export:
                for batch in batches:
                    export.write(batch)
                export.finalize()
            return cls.from_file(path)

    def select(self, text: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT query; ``bindings`` give variables their values."""
        ox = _oxigraph()
        substitutions = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
        try:
            solutions = self.store.query(text, substitutions=substitutions, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise GraphkitError(f"SPARQL: {exc}") from None
        names = [v.value for v in solutions.variables]
        return [{n: _python(s[n]) for n in names} for s in solutions]

    def run(self, query: SavedQuery, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A saved SPARQL query with checked parameters, as the CLI runs its Cypher twin."""
        values = query.parameters(params or {}, convert=False)
        limit = values.pop("limit", None)
        rows = self.select(query.text, values)
        lists = [c.strip() for c in query.extra.get("lists", "").split(",") if c.strip()]
        records = _record_fields(query)
        out = []
        for row in rows:
            for name in values:  # (projected for pyoxigraph's substitution: not answers)
                row.pop(name, None)
            row = {(k.removesuffix("_")): v for k, v in row.items()}
            for column in lists:
                text = row.get(column)
                row[column] = [unquote(v) for v in text.split(LIST_SEPARATOR)] if text else []
            for column, fields in records.items():
                text = row.get(column)
                row[column] = [_record(item, fields, query) for item in text.split(LIST_SEPARATOR)] if text else []
            out.append(row)
        return out[:limit] if limit is not None else out


def _record_fields(query: SavedQuery) -> dict[str, list[tuple[str, Any]]]:
    """``records:`` header: column -> [(field, converter)]."""
    out: dict[str, list[tuple[str, Any]]] = {}
    for column, fields in _RECORD.findall(query.extra.get("records", "")):
        spec = []
        for field_ in fields.split(","):
            name, _, kind = field_.strip().partition(":")
            if kind and kind not in _FIELD_TYPES:
                raise GraphkitError(f"{query.path}: unknown field type {kind!r} in records: {column}")
            spec.append((name, _FIELD_TYPES[kind or "string"]))
        out[column] = spec
    return out


def _record(item: str, fields: list[tuple[str, Any]], query: SavedQuery) -> dict[str, Any]:
    values = item.split(FIELD_SEPARATOR)
    if len(values) != len(fields):
        raise GraphkitError(f"{query.path}: a record has {len(values)} fields, its header {len(fields)}")
    return {name: convert(unquote(v)) if v != "" or convert is str else None
            for (name, convert), v in zip(fields, values)}


def _term(value: Any) -> Any:
    ox = _oxigraph()
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    return ox.Literal(str(value))
