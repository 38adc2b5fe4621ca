"""The Cypher that loads the property-graph model, shared by every Cypher store.

Written in the subset both FalkorDB and Neo4j run. Values are always
parameters; the only names put into the text are labels and relationship
types, and those come from the ontology (:func:`labels`, :func:`relation_types`),
never from data.
"""

from __future__ import annotations

from functools import lru_cache

from graphkit.resources import ontology, schema_path

__all__ = ["labels", "label", "relation_types", "ARTICLES", "entities", "MENTIONS", "CLAIMS", "edges",
           "NEW_CLAIMS", "EXISTING_CLAIMS", "ADD_DEGREES", "stored_edges", "set_edges",
           "ENUMS", "schema_statements", "load_statements"]

# Enumerated values the edge aggregation compares against (passed as parameters).
ENUMS = {"denied": "denied", "negated": "negated", "hypothetical": "hypothetical"}


@lru_cache(maxsize=1)
def labels() -> frozenset[str]:
    """Entity type labels, from the ontology."""
    return frozenset(ontology()["entity_types"])


@lru_cache(maxsize=1)
def relation_types() -> tuple[str, ...]:
    """Relationship types, from the ontology (RELATED_TO included)."""
    return tuple(ontology()["relations"])


def label(name: str) -> str:
    """An entity type as a label, refused unless the ontology has it."""
    return _checked(name, labels())


def _checked(name: str, allowed: frozenset[str] | tuple[str, ...]) -> str:
    if name not in allowed or not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r} is not a name of the ontology")
    return name


ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.title = row.title, a.date = row.date, a.source = row.source, a.url = row.url
"""


def entities(label: str) -> str:
    """Entities of one type: merged on id, aliases accumulated across builds; an entity
    typed otherwise before loses its other type label."""
    label = _checked(label, labels())
    others = ":".join(sorted(labels() - {label}))
    return f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
REMOVE e:{others}
SET e:{label}, e.name = row.name, e.type = row.type, e.external_id = coalesce(row.external_id, e.external_id),
    e.aliases = reduce(acc = coalesce(e.aliases, []), x IN row.aliases |
                       CASE WHEN x IN acc THEN acc ELSE acc + x END)
"""


MENTIONS = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article})
MATCH (e:Entity {id: row.entity})
MERGE (a)-[:MENTIONS]->(e)
"""

CLAIMS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
MATCH (a:Article {id: row.article_id})
MERGE (c:Claim {id: row.id})
SET c.relation = row.relation, c.article_id = row.article_id,
    c.subject = row.subject, c.object = row.object,
    c.topic = row.topic, c.role = row.role, c.status = row.status, c.amount = row.amount,
    c.time = row.time, c.attributed_to = row.attributed_to, c.polarity = row.polarity,
    c.modality = row.modality, c.quote = row.quote, c.frequency = row.frequency,
    c.predicate = row.predicate, c.evidence = row.evidence, c.start = row.start,
    c.end = row.end, c.confidence = row.confidence
MERGE (c)-[:SUBJECT]->(s)
MERGE (c)-[:OBJECT]->(o)
MERGE (c)-[:FROM]->(a)
"""


NEW_CLAIMS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
MATCH (a:Article {id: row.article_id})
CREATE (c:Claim)
SET c = row
CREATE (c)-[:SUBJECT]->(s)
CREATE (c)-[:OBJECT]->(o)
CREATE (c)-[:FROM]->(a)
"""

EXISTING_CLAIMS = """
UNWIND $ids AS id
MATCH (c:Claim {id: id})
RETURN c.id AS id
"""

ADD_DEGREES = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.degree = coalesce(e.degree, 0) + row.add
"""


def stored_edges(relation: str) -> str:
    """The stored direct edges of one relation type between the given (subject, object) pairs."""
    rel = _checked(relation, relation_types())
    return f"""
UNWIND $pairs AS p
MATCH (:Entity {{id: p.s}})-[r:{rel}]->(:Entity {{id: p.o}})
RETURN p.s AS s, p.o AS o, properties(r) AS props
"""


def degrees() -> str:
    """Refresh the number of direct relationships of the given entities (``e.degree``)."""
    types = "|".join(_checked(r, relation_types()) for r in relation_types() if r != "RELATED_TO")
    return f"""
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
OPTIONAL MATCH (e)-[r:{types}]-(:Entity)
WITH e, count(r) AS degree
SET e.degree = degree
"""


def set_edges(relation: str) -> str:
    """Write direct edges whose aggregates were computed from the claims of this load."""
    rel = _checked(relation, relation_types())
    return f"""
UNWIND $rows AS row
MATCH (s:Entity {{id: row.s}})
MATCH (o:Entity {{id: row.o}})
MERGE (s)-[r:{rel}]->(o)
SET r = row.props
"""


def _distinct(field: str) -> str:
    return (f"reduce(acc = [], x IN cs | CASE WHEN x.{field} IS NULL OR x.{field} IN acc "
            f"THEN acc ELSE acc + x.{field} END)")


def edges(relation: str) -> str:
    """(Re)compute the direct edges of one relation type from the stored claims
    of the given (subject, object) pairs: idempotent, and right after more articles."""
    rel = _checked(relation, relation_types())
    return f"""
UNWIND $pairs AS p
MATCH (c:Claim {{subject: p.s}})
WHERE c.object = p.o AND c.relation = $relation
MATCH (c)-[:FROM]->(a:Article)
MATCH (s:Entity {{id: p.s}})
MATCH (o:Entity {{id: p.o}})
WITH s, o, collect(DISTINCT c) AS cs, collect(DISTINCT a.id) AS sources,
     min(a.date) AS first_seen, max(a.date) AS last_seen
MERGE (s)-[r:{rel}]->(o)
SET r.claim_count = size(cs),
    r.topics = {_distinct("topic")},
    r.roles = {_distinct("role")},
    r.amounts = {_distinct("amount")},
    r.times = {_distinct("time")},
    r.attributed_to = {_distinct("attributed_to")},
    r.predicates = {_distinct("predicate")},
    r.quotes = {_distinct("quote")},
    r.statuses = {_distinct("status")},
    r.sources = sources,
    r.first_seen = first_seen,
    r.last_seen = last_seen,
    r.denied = coalesce(any(x IN cs WHERE x.polarity = $denied), false),
    r.negated = coalesce(any(x IN cs WHERE x.polarity = $negated), false),
    r.hypothetical = coalesce(any(x IN cs WHERE x.modality = $hypothetical), false),
    r.confidence = reduce(m = 0.0, x IN cs | CASE WHEN x.confidence > m THEN x.confidence ELSE m END)
"""


# -- reads every store answers (the whole graph back, page by page, and counts) --------

COUNT_NODES = "MATCH (n) RETURN labels(n) AS labels, count(*) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
ANY_CLAIM = "MATCH (c:Claim) RETURN c.id AS id LIMIT 1"
ENTITY_PAGE = """
MATCH (e:Entity) WHERE e.id > $after
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.external_id AS external_id
ORDER BY id LIMIT $page
"""
ARTICLE_PAGE = """
MATCH (a:Article) WHERE a.id > $after
RETURN a.id AS id, a.title AS title, a.date AS date, a.source AS source, a.url AS url
ORDER BY id LIMIT $page
"""
CLAIM_PAGE = """
MATCH (c:Claim) WHERE c.id > $after
RETURN c.id AS id, properties(c) AS p
ORDER BY id LIMIT $page
"""
ARTICLE_MENTIONS = "MATCH (a:Article {id: $id})-[:MENTIONS]->(e:Entity) RETURN e.id AS entity"
MENTIONS_OF = """
UNWIND $ids AS id
MATCH (a:Article {id: id})-[:MENTIONS]->(e:Entity)
RETURN a.id AS article, e.id AS entity
"""
READS = {"count_nodes": COUNT_NODES, "count_relationships": COUNT_RELATIONSHIPS, "any_claim": ANY_CLAIM,
         "entity_page": ENTITY_PAGE, "article_page": ARTICLE_PAGE, "claim_page": CLAIM_PAGE,
         "article_mentions": ARTICLE_MENTIONS, "mentions_of": MENTIONS_OF}


def schema_statements(filename: str) -> list[str]:
    """The statements of a ``schemas/*.cypher`` file (comments dropped, split on ``;``)."""
    text = schema_path(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def load_statements() -> dict[str, str]:
    """Every statement the loaders run, by a descriptive name (for checks)."""
    out = {"articles": ARTICLES, "mentions": MENTIONS, "claims": CLAIMS, "new_claims": NEW_CLAIMS,
           "existing_claims": EXISTING_CLAIMS, "add_degrees": ADD_DEGREES}
    out.update({f"set_edges:{rel}": set_edges(rel) for rel in relation_types()})
    out.update({f"stored_edges:{rel}": stored_edges(rel) for rel in relation_types()})
    out["degrees"] = degrees()
    out.update({f"entities:{label}": entities(label) for label in sorted(labels())})
    out.update({f"edges:{rel}": edges(rel) for rel in relation_types()})
    out.update({f"read:{name}": text for name, text in READS.items()})
    return out
