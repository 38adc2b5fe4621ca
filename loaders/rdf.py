"""RDF: the graph written as Turtle, TriG, JSON-LD or N-Triples, and read back.

:class:`RdfExport` is a loader (``write`` rows, then ``finalize``) that streams
the graph to one file in the vocabulary of :mod:`graphkit.rdf`: every entity
with its type, name (``rdfs:label``) and aliases (``skos:altLabel``); every
article (``schema:headline``, ``schema:datePublished``, ``schema:publisher``,
``schema:url``, ``schema:mentions``); every claim as a ``gk:Claim`` resource;
and one direct triple per (subject, relation, object). TriG puts each
article, its mentions and its claims in a named graph (the article's IRI),
the rest in the default graph. Nothing is held in memory but the set of direct
triples and role resources already written, so large graphs stream; the file
appears only when complete.

:func:`read_rdf` reads such a file back into rows (``graphkit build
graph.ttl``); the round trip claims -> RDF -> claims loses nothing.

Example:
    >>> import tempfile, pathlib
    >>> from graphkit.rows import GraphBatch
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> with RdfExport(out, "ntriples") as export:
    ...     export.write(GraphBatch(entities=[{"id": "ada", "name": "Ada", "type": "Person", "aliases": []}]))
    ...     export.finalize()["triples"]
    3
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from graphkit.errors import GraphkitError
from graphkit.rdf import (GK, ISO_DATE, ORG, OWL, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, WIKIDATA, WIKIDATA_QID,
                          XSD, Iris, entity_class,
                          qualifier_property, relation_of, relation_property, type_of_class)
from graphkit.rows import QUALIFIER_FIELDS, GraphBatch
from loaders.base import Loader, LoadStats

__all__ = ["RdfExport", "read_rdf", "FORMATS", "RDF_SUFFIXES"]

FORMATS = {"turtle": ".ttl", "trig": ".trig", "jsonld": ".jsonld", "ntriples": ".nt"}
RDF_SUFFIXES = {".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".nt": "nt", ".nq": "nquads"}
MEMBERSHIPS = ("LEADS", "WORKS_FOR", "MEMBER_OF")  # claims also written as org:Membership (with a role)


class Iri(str):
    """An IRI term (a plain ``str`` is never taken for one)."""


class Lit(NamedTuple):
    """A literal term: its lexical form, datatype IRI or language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None


_TYPE = RDF + "type"
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in list(range(0x20)) + [0x7F] if c not in (0x0A, 0x0D)})


def _literal(term: Lit) -> str:
    text = '"' + term.value.translate(_ESCAPES) + '"'
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype and term.datatype != XSD + "string":
        return f"{text}^^<{term.datatype}>"
    return text


def _decimal(value: Any) -> str:
    return format(Decimal(str(value)), "f")


class _Writer:
    """One output syntax: a header, blocks of (subject, [(predicate, object)]), a footer."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def header(self) -> None:
        pass

    def block(self, subject: str, pairs: list[tuple[str, Any]], graph: str | None) -> None:
        raise NotImplementedError

    def footer(self) -> None:
        pass


class _NTriples(_Writer):
    def block(self, subject: str, pairs: list[tuple[str, Any]], graph: str | None) -> None:
        s = f"<{subject}> "
        self.out.write("".join(f"{s}<{p}> {f'<{o}>' if isinstance(o, Iri) else _literal(o)} .\n"
                               for p, o in pairs))


class _Turtle(_Writer):
    named_graphs = False

    def __init__(self, out: Any) -> None:
        super().__init__(out)
        self._names: dict[str, str] = {}
        self._graph: str | None = None

    def header(self) -> None:
        self.out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n")

    def _name(self, iri: str) -> str:
        """A prefixed name for a vocabulary term, else the IRI in angle brackets."""
        name = self._names.get(iri)
        if name is not None:
            return name
        for prefix, ns in PREFIXES.items():
            local = iri[len(ns):]
            if iri.startswith(ns) and local.isascii() and local[:1].isalpha() and local.replace("_", "").isalnum():
                self._names[iri] = name = f"{prefix}:{local}"
                return name
        return f"<{iri}>"

    def _object(self, o: Any) -> str:
        return self._name(o) if isinstance(o, Iri) else _literal(o)

    def block(self, subject: str, pairs: list[tuple[str, Any]], graph: str | None) -> None:
        if self.named_graphs and graph != self._graph:
            if self._graph is not None:
                self.out.write("}\n\n")
            if graph is not None:
                self.out.write(f"<{graph}> {{\n")
            self._graph = graph
        body = " ;\n    ".join(("a" if p == _TYPE else self._name(p)) + " " + self._object(o) for p, o in pairs)
        self.out.write(f"<{subject}> {body} .\n\n")

    def footer(self) -> None:
        if self.named_graphs and self._graph is not None:
            self.out.write("}\n")


class _TriG(_Turtle):
    named_graphs = True


class _JsonLd(_Writer):
    """Expanded JSON-LD: an array of node objects (the default graph)."""

    def __init__(self, out: Any) -> None:
        super().__init__(out)
        self._first = True

    def header(self) -> None:
        self.out.write("[\n")

    def block(self, subject: str, pairs: list[tuple[str, Any]], graph: str | None) -> None:
        node: dict[str, Any] = {"@id": subject}
        for p, o in pairs:
            if p == _TYPE:
                node.setdefault("@type", []).append(o)
            elif isinstance(o, Iri):
                node.setdefault(p, []).append({"@id": o})
            else:
                value: dict[str, str] = {"@value": o.value}
                if o.lang:
                    value["@language"] = o.lang
                elif o.datatype and o.datatype != XSD + "string":
                    value["@type"] = o.datatype
                node.setdefault(p, []).append(value)
        self.out.write(("" if self._first else ",\n") + json.dumps(node, ensure_ascii=False))
        self._first = False

    def footer(self) -> None:
        self.out.write("\n]\n")


_WRITERS = {"turtle": _Turtle, "trig": _TriG, "jsonld": _JsonLd, "ntriples": _NTriples}


class RdfExport(Loader):
    """Graph rows written to one RDF file.

    Args:
        path: the output file (written beside it, then renamed into place).
        fmt: ``turtle``, ``trig``, ``jsonld`` or ``ntriples``.
        base: the base IRI of instance data (default :data:`graphkit.rdf.DEFAULT_BASE`).
        language: the language tag of evidence sentences and quotes (graphkit's extraction
            reads English), or None for none.
    """

    def __init__(self, path: str | Path, fmt: str = "turtle", *, base: str | None = None,
                 language: str | None = "en") -> None:
        if fmt not in _WRITERS:
            raise GraphkitError(f"unknown RDF format {fmt!r}: one of {', '.join(sorted(_WRITERS))}")
        self.path = Path(path)
        self.iris = Iris(base)
        self.language = language
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self._out = open(self._tmp, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise GraphkitError(f"{self.path}: cannot write ({exc.strerror})") from None
        self._writer = _WRITERS[fmt](self._out)
        self._writer.header()
        self._types: dict[str, str] = {}  # entity id -> type (for org:Membership); ids given a gk:id
        self._direct: set[tuple[str, str, str]] = set()
        self._roles: set[str] = set()
        self._stats = LoadStats(triples=0, entities=0, articles=0, claims=0)
        self._done = False

    def _emit(self, subject: str, pairs: list[tuple[str, Any]], graph: str | None = None) -> None:
        if pairs:
            self._writer.block(subject, pairs, graph)
            self._stats["triples"] += len(pairs)

    def write(self, batch: GraphBatch) -> None:
        iris = self.iris
        for e in batch.entities:
            known = e["id"] in self._types  # (its gk:id written already, as someone a claim cites)
            self._types[e["id"]] = e["type"]
            pairs: list[tuple[str, Any]] = [(_TYPE, Iri(entity_class(e["type"])))]
            pairs += [] if known else [(GK + "id", Lit(e["id"]))]
            pairs.append((RDFS + "label", Lit(e["name"])))
            pairs += [(SKOS + "altLabel", Lit(a)) for a in e.get("aliases") or []]
            if e.get("external_id"):
                pairs.append((GK + "externalId", Lit(e["external_id"])))
                if WIKIDATA_QID.fullmatch(e["external_id"]):
                    pairs.append((OWL + "sameAs", Iri(WIKIDATA + e["external_id"])))
            self._emit(iris.entity(e["id"]), pairs)
            self._stats["entities"] += 1
        mentions: dict[str, list[str]] = defaultdict(list)
        for m in batch.mentions:
            mentions[m["article"]].append(m["entity"])
        for a in batch.articles:
            iri = iris.article(a["id"])
            pairs = [(_TYPE, Iri(GK + "Article")), (GK + "id", Lit(a["id"]))]
            if a.get("title") is not None:
                pairs.append((SCHEMA + "headline", Lit(a["title"])))
            if a.get("date") is not None:
                date = a["date"]
                pairs.append((SCHEMA + "datePublished", Lit(date, XSD + "date" if ISO_DATE.fullmatch(date) else None)))
            if a.get("source") is not None:
                pairs.append((SCHEMA + "publisher", Lit(a["source"])))
            if a.get("url") is not None:
                pairs.append((SCHEMA + "url", Lit(a["url"], XSD + "anyURI")))
            pairs += [(SCHEMA + "mentions", Iri(iris.entity(e))) for e in mentions.pop(a["id"], [])]
            self._emit(iri, pairs, iri)
            self._stats["articles"] += 1
        for article, entities in mentions.items():  # mentions of articles written earlier
            iri = iris.article(article)
            self._emit(iri, [(SCHEMA + "mentions", Iri(iris.entity(e))) for e in entities], iri)
        for c in sorted(batch.claims, key=lambda c: c["article_id"]):  # (TriG: fewer graph blocks)
            self._claim(c)

    def _claim(self, c: dict[str, Any]) -> None:
        iris = self.iris
        article = iris.article(c["article_id"])
        s, o, rel = iris.entity(c["subject"]), iris.entity(c["object"]), relation_property(c["relation"])
        pairs: list[tuple[str, Any]] = [
            (_TYPE, Iri(GK + "Claim")), (GK + "id", Lit(c["id"])), (GK + "subject", Iri(s)),
            (GK + "relation", Iri(rel)), (GK + "object", Iri(o))]
        for name in QUALIFIER_FIELDS:
            value = c.get(name)
            if value is None:
                continue
            if name == "attributed_to":
                pairs.append((qualifier_property(name), Iri(iris.entity(value))))
                if value not in self._types:  # not an entity of the graph: its id still reads back
                    self._types[value] = ""
                    self._emit(iris.entity(value), [(GK + "id", Lit(value))])
            elif name == "time" and ISO_DATE.fullmatch(value):
                pairs.append((qualifier_property(name), Lit(value, XSD + "date")))
            elif name == "quote":
                pairs.append((qualifier_property(name), Lit(value, lang=self.language)))
            else:
                pairs.append((qualifier_property(name), Lit(str(value))))
        if c.get("evidence") is not None:
            pairs.append((GK + "evidence", Lit(c["evidence"], lang=self.language)))
        for name in ("start", "end"):
            if c.get(name) is not None:
                pairs.append((GK + name, Lit(str(int(c[name])), XSD + "integer")))
        pairs.append((GK + "confidence", Lit(_decimal(c.get("confidence") or 0), XSD + "decimal")))
        pairs.append((PROV + "wasDerivedFrom", Iri(article)))
        role = c.get("role")
        if role and c["relation"] in MEMBERSHIPS and self._types.get(c["object"]) == "Organization":
            role_iri = iris.role(role)
            pairs += [(_TYPE, Iri(ORG + "Membership")), (ORG + "member", Iri(s)),
                      (ORG + "organization", Iri(o)), (ORG + "role", Iri(role_iri))]
            if role not in self._roles:
                self._roles.add(role)
                self._emit(role_iri, [(_TYPE, Iri(ORG + "Role")), (RDFS + "label", Lit(role))])
        self._emit(iris.claim(c["id"]), pairs, article)
        self._stats["claims"] += 1
        key = (c["subject"], c["relation"], c["object"])
        if key not in self._direct:
            self._direct.add(key)
            self._emit(s, [(rel, Iri(o))])

    def finalize(self) -> LoadStats:
        if not self._done:
            self._writer.footer()
            self._out.close()
            os.replace(self._tmp, self.path)
            self._done = True
        return LoadStats(self._stats, edges=len(self._direct))

    def close(self) -> None:
        if not self._done:  # not finalized: no partial file
            self._out.close()
            self._tmp.unlink(missing_ok=True)
            self._done = True


# -- reading -------------------------------------------------------------------

def read_rdf(path: str | Path, *, base: str | None = None, page: int = 5000) -> Iterator[GraphBatch]:
    """Rows of an RDF file written by graphkit (Turtle, TriG, N-Triples, N-Quads, JSON-LD):
    entities, articles and mentions first, then claims by pages.

    Ids are the ``gk:id`` of each resource (or, failing that, read from IRIs minted
    under ``base``); resources of other vocabularies are ignored.
    """
    from rdflib import Dataset, Literal, URIRef

    path = Path(path)
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise GraphkitError(f"{path}: not an RDF file graphkit reads ({', '.join(sorted(RDF_SUFFIXES))})")
    data = Dataset(default_union=True)
    try:
        data.parse(str(path), format=fmt)
    except FileNotFoundError:
        raise GraphkitError(f"{path}: no such file") from None
    except Exception as exc:  # noqa: BLE001 (rdflib's parsers raise many kinds)
        raise GraphkitError(f"{path}: not valid {fmt}: {str(exc).splitlines()[0][:200]}") from None
    iris = Iris(base)
    by_subject: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o, _ in data.quads((None, None, None, None)):
        by_subject[s][str(p)].append(o)
    ids: dict[Any, str] = {}

    def key(node: Any) -> str:
        if node in ids:
            return ids[node]
        own = by_subject.get(node, {}).get(GK + "id")
        if own:
            ids[node] = str(own[0])
        else:
            minted = iris.id_of(str(node))
            ids[node] = minted[1] if minted else str(node)
        return ids[node]

    def one(props: dict[str, list[Any]], prop: str) -> Any:
        values = props.get(prop)
        return values[0] if values else None

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    entities, articles, mentions, claim_nodes = [], [], [], []
    for node, props in by_subject.items():
        types = {str(t) for t in props.get(_TYPE, [])}
        entity_types = [t for t in (type_of_class(x) for x in types) if t]
        if entity_types:
            entities.append({"id": key(node), "name": text(one(props, RDFS + "label")) or key(node),
                             "type": entity_types[0],
                             "aliases": sorted(str(a) for a in props.get(SKOS + "altLabel", []))})
            if str(one(props, GK + "externalId") or ""):
                entities[-1]["external_id"] = str(one(props, GK + "externalId"))
        if GK + "Article" in types:
            articles.append({"id": key(node), "title": text(one(props, SCHEMA + "headline")),
                             "date": text(one(props, SCHEMA + "datePublished")),
                             "source": text(one(props, SCHEMA + "publisher")),
                             "url": text(one(props, SCHEMA + "url"))})
            mentions += [{"article": key(node), "entity": key(e)} for e in props.get(SCHEMA + "mentions", [])]
        if GK + "Claim" in types:
            claim_nodes.append((node, props))
    yield GraphBatch(entities=sorted(entities, key=lambda e: e["id"]),
                     articles=sorted(articles, key=lambda a: a["id"]),
                     mentions=sorted(mentions, key=lambda m: (m["article"], m["entity"])))
    claims: list[dict[str, Any]] = []
    for node, props in claim_nodes:
        relation = relation_of(str(one(props, GK + "relation")))
        if relation is None:
            raise GraphkitError(f"{path}: claim {key(node)} has no relation of the ontology")
        row: dict[str, Any] = {
            "id": key(node), "article_id": key(one(props, PROV + "wasDerivedFrom")),
            "subject": key(one(props, GK + "subject")), "object": key(one(props, GK + "object")),
            "relation": relation, "confidence": float(one(props, GK + "confidence") or 0),
            "evidence": text(one(props, GK + "evidence"))}
        for name in ("start", "end"):
            value = one(props, GK + name)
            row[name] = int(value) if isinstance(value, Literal) and value.value is not None else None
        for name in QUALIFIER_FIELDS:
            value = one(props, qualifier_property(name))
            row[name] = key(value) if isinstance(value, URIRef) else text(value)
        claims.append(row)
        if len(claims) >= page:
            yield GraphBatch(claims=claims)
            claims = []
    if claims:
        yield GraphBatch(claims=claims)

