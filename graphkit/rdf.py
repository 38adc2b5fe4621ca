"""graphkit's RDF vocabulary, derived from ``schemas/ontology.yaml``.

One namespace for the ontology (``gk:``, the ``namespace`` of the YAML file,
``https://graphkit.dev/ontology#``): a class per entity type, ``gk:Article``
and ``gk:Claim``; a property per relation (``ADVISES`` -> ``gk:advises``) and
per qualifier (``attributed_to`` -> ``gk:attributedTo``). Instance data gets
IRIs under a base the user chooses (:data:`DEFAULT_BASE` unless told):
``{base}entity/{id}``, ``{base}article/{id}``, ``{base}claim/{id}``, the id
percent-encoded, so any string makes a valid IRI and nothing can break out of
it.

Claims are n-ary resources (not ``rdf:Statement`` reification): a
``gk:Claim`` with ``gk:subject``, ``gk:relation`` (the relation's property),
``gk:object``, its qualifiers, its sentence (``gk:evidence``, ``gk:start``,
``gk:end``), ``gk:confidence`` and ``prov:wasDerivedFrom`` its article. Beside
them every (subject, relation, object) is also one direct triple
(``:elon-musk gk:advises :donald-trump``) for simple queries.
:func:`ontology_graph` and :func:`shapes_graph` give the ontology and the SHACL
shapes as rdflib graphs; ``scripts/build_rdf_schemas.py`` writes them to
``schemas/ontology.ttl`` and ``schemas/shapes.ttl``.

Example:
    >>> iris = Iris("https://example.org/kg/")
    >>> iris.entity("O'Brien <x>")
    'https://example.org/kg/entity/O%27Brien%20%3Cx%3E'
    >>> iris.id_of(iris.entity("O'Brien <x>"))
    ('entity', "O'Brien <x>")
    >>> relation_property("WORKS_FOR"), relation_of(GK + "worksFor")
    ('https://graphkit.dev/ontology#worksFor', 'WORKS_FOR')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

from graphkit.errors import GraphkitError
from graphkit.resources import ontology

__all__ = ["GK", "SCHEMA", "PROV", "ORG", "SKOS", "XSD", "RDF", "RDFS", "OWL", "SH", "DCTERMS", "WIKIDATA",
           "WIKIDATA_QID",
           "DEFAULT_BASE", "PREFIXES", "Iris", "relation_property", "relation_of", "qualifier_property",
           "entity_class", "type_of_class", "ISO_DATE", "ontology_graph", "shapes_graph"]

GK: str = ontology()["namespace"]
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"
DEFAULT_BASE = "https://graphkit.dev/id/"
WIKIDATA = "http://www.wikidata.org/entity/"
WIKIDATA_QID = re.compile(r"Q[1-9]\d*")
PREFIXES = {"gk": GK, "schema": SCHEMA, "prov": PROV, "org": ORG, "skos": SKOS, "xsd": XSD, "rdf": RDF,
            "rdfs": RDFS, "owl": OWL, "dcterms": DCTERMS}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KINDS = ("entity", "article", "claim", "role")
_BAD_BASE = re.compile(r"[\s<>\"{}|\\^`]")


def _camel(name: str) -> str:
    head, *rest = name.lower().split("_")
    return head + "".join(w.capitalize() for w in rest)


def relation_property(relation: str) -> str:
    """The property IRI of a relation type (``ADVISES`` -> ``gk:advises``)."""
    if relation not in ontology()["relations"]:
        raise ValueError(f"{relation!r} is not a relation of the ontology")
    return GK + _camel(relation)


@lru_cache(maxsize=1)
def _relations_by_property() -> dict[str, str]:
    return {GK + _camel(r): r for r in ontology()["relations"]}


def relation_of(iri: str) -> str | None:
    """The relation type of a property IRI, or None."""
    return _relations_by_property().get(str(iri))


def qualifier_property(name: str) -> str:
    """The property IRI of a qualifier (``attributed_to`` -> ``gk:attributedTo``)."""
    if name not in ontology()["qualifiers"]:
        raise ValueError(f"{name!r} is not a qualifier of the ontology")
    return GK + _camel(name)


def entity_class(entity_type: str) -> str:
    if entity_type not in ontology()["entity_types"]:
        raise ValueError(f"{entity_type!r} is not an entity type of the ontology")
    return GK + entity_type


def type_of_class(iri: str) -> str | None:
    """The entity type of a class IRI (``gk:Person`` -> ``Person``), or None."""
    iri = str(iri)
    if iri.startswith(GK) and iri[len(GK):] in ontology()["entity_types"]:
        return iri[len(GK):]
    return None


class Iris:
    """IRIs of instance data under one base: ids percent-encoded, and read back.

    Args:
        base: an absolute IRI ending in ``/`` or ``#`` (default :data:`DEFAULT_BASE`).
    """

    def __init__(self, base: str | None = None) -> None:
        base = base or DEFAULT_BASE
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", base) or _BAD_BASE.search(base) \
                or base[-1] not in "/#":
            raise GraphkitError(f"{base!r} is not a usable base IRI: an absolute IRI ending in / or #, "
                                f"without spaces or <>\"{{}}|\\^` characters")
        self.base = base

    def _mint(self, kind: str, key: str) -> str:
        return f"{self.base}{kind}/{quote(key, safe='')}"

    def entity(self, key: str) -> str:
        return self._mint("entity", key)

    def article(self, key: str) -> str:
        return self._mint("article", key)

    def claim(self, key: str) -> str:
        return self._mint("claim", key)

    def role(self, name: str) -> str:
        return self._mint("role", name)

    def id_of(self, iri: str) -> tuple[str, str] | None:
        """``(kind, id)`` of an IRI minted here, or None."""
        iri = str(iri)
        if not iri.startswith(self.base):
            return None
        kind, sep, key = iri[len(self.base):].partition("/")
        return (kind, unquote(key)) if sep and kind in _KINDS else None


# -- the ontology and the shapes, as graphs ------------------------------------

_ALIGN = {  # entity types -> classes of other vocabularies they are a kind of
    "Person": [SCHEMA + "Person", PROV + "Agent"],
    "Organization": [SCHEMA + "Organization", ORG + "Organization", PROV + "Agent"],
    "Group": [PROV + "Agent"],
    "Place": [SCHEMA + "Place"],
    "Product": [SCHEMA + "Product"],
}
_CLAIM_LITERALS = {  # claim property -> (label, comment, range)
    "evidence": ("evidence", "the sentence the claim was read from", RDFS + "Literal"),
    "start": ("start", "character offset of the sentence's start in the article text", XSD + "integer"),
    "end": ("end", "character offset just after the sentence in the article text", XSD + "integer"),
    "confidence": ("confidence", "the extractor's confidence, from 0 to 1", XSD + "decimal"),
}


def _words(relation: str) -> str:
    return relation.lower().replace("_", " ")


def ontology_graph() -> Any:
    """The ontology as an rdflib Graph (classes, properties, alignments)."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL as _OWL, RDF as _RDF, RDFS as _RDFS

    spec = ontology()
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    u = URIRef

    def describe(iri: str, kind: Any, label: str, comment: str) -> URIRef:
        node = u(iri)
        g.add((node, _RDF.type, kind))
        g.add((node, _RDFS.label, Literal(label, lang="en")))
        g.add((node, _RDFS.comment, Literal(comment, lang="en")))
        g.add((node, _RDFS.isDefinedBy, u(GK.rstrip("#/"))))
        return node

    onto = u(GK.rstrip("#/"))
    g.add((onto, _RDF.type, _OWL.Ontology))
    g.add((onto, _RDFS.label, Literal("graphkit ontology", lang="en")))
    g.add((onto, _RDFS.comment, Literal(
        "Political and business relationships read from news articles: entities, the relations "
        "between them, and every claim with its qualifiers, evidence and article.", lang="en")))
    g.add((onto, _OWL.versionInfo, Literal(str(spec.get("version", 1)))))

    entity = describe(GK + "Entity", _OWL.Class, "Entity", "a named participant of a relation")
    for name, comment in spec["entity_types"].items():
        node = describe(GK + name, _OWL.Class, name, comment)
        g.add((node, _RDFS.subClassOf, entity))
        for other in _ALIGN.get(name, []):
            g.add((node, _RDFS.subClassOf, u(other)))
    article = describe(GK + "Article", _OWL.Class, "Article", "a news article claims were read from")
    g.add((article, _RDFS.subClassOf, u(SCHEMA + "NewsArticle")))
    g.add((article, _RDFS.subClassOf, u(PROV + "Entity")))
    claim = describe(GK + "Claim", _OWL.Class, "Claim",
                     "one statement read from one sentence: subject, relation, object and its qualifiers "
                     "(an n-ary resource, not rdf:Statement reification)")
    g.add((claim, _RDFS.subClassOf, u(PROV + "Entity")))

    def union(types: Any) -> Any:
        if types == "any" or not types:
            return entity
        if len(types) == 1:
            return u(GK + types[0])
        node = BNode()
        g.add((node, _RDF.type, _OWL.Class))
        members = BNode()
        Collection(g, members, [u(GK + t) for t in types])
        g.add((node, _OWL.unionOf, members))
        return node

    for name, rel in spec["relations"].items():
        node = describe(relation_property(name), _OWL.ObjectProperty, _words(name), rel["description"])
        g.add((node, _RDFS.domain, union(rel.get("domain"))))
        g.add((node, _RDFS.range, union(rel.get("range"))))
        if rel.get("symmetric"):
            g.add((node, _RDF.type, _OWL.SymmetricProperty))

    for name, iri_range, comment in (("subject", entity, "the entity the claim is about"),
                                     ("object", entity, "the other entity of the claim")):
        node = describe(GK + name, _OWL.ObjectProperty, name, comment)
        g.add((node, _RDFS.domain, claim))
        g.add((node, _RDFS.range, iri_range))
    node = describe(GK + "relation", _OWL.ObjectProperty, "relation",
                    "the relation the claim states: one of the relation properties")
    g.add((node, _RDFS.domain, claim))
    g.add((node, _RDFS.range, _RDF.Property))
    node = describe(GK + "id", _OWL.DatatypeProperty, "id",
                    "the id of an entity, article or claim, as graphkit's other outputs give it")
    g.add((node, _RDFS.subPropertyOf, u(DCTERMS + "identifier")))
    g.add((node, _RDFS.range, u(XSD + "string")))
    node = describe(GK + "externalId", _OWL.DatatypeProperty, "external id",
                    "the entity's id in another knowledge base, from the user's alias table (a Wikidata "
                    "QID, say; an entity with a QID is also owl:sameAs its Wikidata IRI)")
    g.add((node, _RDFS.domain, entity))
    g.add((node, _RDFS.range, u(XSD + "string")))

    for name, q in spec["qualifiers"].items():
        comment = q.get("description") or f"one of: {', '.join(q.get('enum', []))}"
        if name == "attributed_to":
            node = describe(qualifier_property(name), _OWL.ObjectProperty, "attributed to", comment)
            g.add((node, _RDFS.subPropertyOf, u(PROV + "wasAttributedTo")))
            g.add((node, _RDFS.range, entity))
        else:
            node = describe(qualifier_property(name), _OWL.DatatypeProperty, _words(name), comment)
            g.add((node, _RDFS.range, _RDFS.Literal if name in ("time", "quote") else u(XSD + "string")))
        g.add((node, _RDFS.domain, claim))
    for name, (label, comment, rng) in _CLAIM_LITERALS.items():
        node = describe(GK + name, _OWL.DatatypeProperty, label, comment)
        g.add((node, _RDFS.domain, claim))
        g.add((node, _RDFS.range, u(rng)))
    return g


def shapes_graph() -> Any:
    """SHACL shapes of valid instance data, as an rdflib Graph."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF as _RDF, RDFS as _RDFS

    spec = ontology()
    g = Graph()
    for prefix, ns in {**PREFIXES, "sh": SH}.items():
        g.bind(prefix, ns)
    u = URIRef
    sh = {k: u(SH + k) for k in ("NodeShape", "targetClass", "property", "path", "minCount", "maxCount",
                                 "datatype", "class", "in", "nodeKind", "IRI", "minInclusive",
                                 "maxInclusive", "or", "xone", "message", "name")}

    def shape(name: str, target: str) -> URIRef:
        node = u(GK + name)
        g.add((node, _RDF.type, sh["NodeShape"]))
        g.add((node, sh["targetClass"], u(target)))
        return node

    def prop(node: URIRef, path: str, **rules: Any) -> None:
        p = BNode()
        g.add((node, sh["property"], p))
        g.add((p, sh["path"], u(path)))
        for key, value in rules.items():
            if key == "in_":
                items = BNode()
                Collection(g, items, value)
                g.add((p, sh["in"], items))
            elif key == "or_":
                items = BNode()
                options = []
                for option in value:
                    o = BNode()
                    for k, v in option.items():
                        g.add((o, sh[k], v))
                    options.append(o)
                Collection(g, items, options)
                g.add((p, sh["or"], items))
            else:
                g.add((p, sh[key], value if not isinstance(value, int) else Literal(value)))

    one = {"minCount": 1, "maxCount": 1}
    string = u(XSD + "string")
    entity = shape("EntityShape", GK + "Entity")
    prop(entity, GK + "id", datatype=string, **one)
    prop(entity, RDFS + "label", datatype=string, **one)
    prop(entity, SKOS + "altLabel", datatype=string)
    prop(entity, GK + "externalId", datatype=string, maxCount=1)
    types = BNode()  # exactly one entity type: a person is never also a company
    options = []
    for name in spec["entity_types"]:
        o = BNode()
        g.add((o, sh["class"], u(GK + name)))
        options.append(o)
    Collection(g, types, options)
    g.add((entity, sh["xone"], types))

    article = shape("ArticleShape", GK + "Article")
    prop(article, GK + "id", datatype=string, **one)
    prop(article, SCHEMA + "headline", datatype=string, maxCount=1)
    prop(article, SCHEMA + "datePublished", maxCount=1,
         or_=[{"datatype": u(XSD + "date")}, {"datatype": string}])
    prop(article, SCHEMA + "url", datatype=u(XSD + "anyURI"), maxCount=1)
    prop(article, SCHEMA + "publisher", datatype=string, maxCount=1)
    prop(article, SCHEMA + "mentions", **{"class": u(GK + "Entity")})

    claim = shape("ClaimShape", GK + "Claim")
    prop(claim, GK + "id", datatype=string, **one)
    prop(claim, GK + "subject", **{"class": u(GK + "Entity")}, **one)
    prop(claim, GK + "object", **{"class": u(GK + "Entity")}, **one)
    prop(claim, GK + "relation", in_=[u(relation_property(r)) for r in spec["relations"]], **one)
    prop(claim, PROV + "wasDerivedFrom", **{"class": u(GK + "Article")}, **one)
    prop(claim, GK + "evidence", maxCount=1)
    prop(claim, GK + "start", datatype=u(XSD + "integer"), minInclusive=0, maxCount=1)
    prop(claim, GK + "end", datatype=u(XSD + "integer"), minInclusive=0, maxCount=1)
    prop(claim, GK + "confidence", datatype=u(XSD + "decimal"), minInclusive=0, maxInclusive=1, **one)
    for name, q in spec["qualifiers"].items():
        path = qualifier_property(name)
        if name == "attributed_to":
            prop(claim, path, nodeKind=sh["IRI"], maxCount=1)
        elif q.get("enum"):
            prop(claim, path, in_=[Literal(v) for v in q["enum"]], maxCount=1)
        elif name in ("time", "quote"):
            prop(claim, path, maxCount=1)
        else:
            prop(claim, path, datatype=string, maxCount=1)
    return g
