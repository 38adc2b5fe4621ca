"""Questions and analyses as plain functions over the knowledge graph, ``f(G, ...)``.

``G`` is the MultiDiGraph of :meth:`graphkit.graph.KnowledgeGraph.to_networkx`
(one edge per claim). The functions named like the saved queries answer the
same questions with the same rows (the tests compare them with the Cypher
answers on one graph): :func:`entity_profile`, :func:`advisers_of`,
:func:`connections_between`, :func:`common_connections`,
:func:`disputed_claims`, :func:`contradictions`, :func:`stance_on`,
:func:`money_flows`, :func:`conflicts_of_interest`, :func:`timeline`,
:func:`most_connected`, :func:`evidence`. The others are analyses:
:func:`find`, :func:`relations` (filtered by relation, dates, polarity),
:func:`paths` (with the claims behind every hop), :func:`ego_network`,
:func:`centrality` and :func:`communities` (networkx's own algorithms over the
entities and their direct relationships), and :func:`relationships`, the
direct relationship of each (subject, relation, object) aggregated over its
claims as the stores keep it.

Names and aliases both find an entity, in any case.

Example:
    >>> from graphkit.graph import KnowledgeGraph
    >>> from graphkit.model import Claim, EntityRef
    >>> musk = EntityRef("elon-musk", "Elon Musk", "Person")
    >>> trump = EntityRef("donald-trump", "Donald Trump", "Person")
    >>> G = KnowledgeGraph.from_claims([Claim("a1", musk, "ADVISES", trump, {"topic": "crypto",
    ...                                  "polarity": "denied", "attributed_to": "bloomberg-news"})]).to_networkx()
    >>> [(r["adviser"], r["topics"], r["denied"], r["reported_by"]) for r in advisers_of(G, "donald trump")]
    [('Elon Musk', ['crypto'], True, ['bloomberg-news'])]

    (``reported_by`` names who reported a claim; here Bloomberg News is no entity of the
    graph, so its id stands.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import networkx as nx
from networkx.utils import not_implemented_for

from graphkit.resources import ontology
from graphkit.rows import EdgeAggregator

__all__ = [
    "advisers_of",
    "centrality",
    "common_connections",
    "communities",
    "conflicts_of_interest",
    "connections_between",
    "contradictions",
    "disputed_claims",
    "ego_network",
    "entity_profile",
    "evidence",
    "find",
    "money_flows",
    "most_connected",
    "paths",
    "relations",
    "relationships",
    "stance_on",
    "timeline",
]

_CACHE = "_graphkit_relationships"
OPEN = "RELATED_TO"  # the relation of anything else: kept, but not a link of paths or degrees
STANCES = ("SUPPORTS", "OPPOSES", "PRAISES", "CRITICIZES", "LOBBIES")
MONEY = ("FUNDS", "INVESTS_IN", "ACQUIRED", "OWNS")


def _links() -> frozenset[str]:
    return frozenset(r for r in ontology()["relations"] if r != OPEN)


def _name(G: nx.MultiDiGraph, n: str) -> str:
    return G.nodes[n].get("name", n)


def _names(G: nx.MultiDiGraph, ids: list[str]) -> list[str]:
    """The names of entities by id; an id no entity of the graph has stays as it is."""
    return [_name(G, x) if x in G else x for x in ids]


def _last(value: Any) -> tuple[bool, Any]:
    """A sort key with unknown values last, as Cypher's ORDER BY puts nulls."""
    return (value is None, value if value is not None else "")


@not_implemented_for("undirected")
def find(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Ids of the entities whose name or an alias is ``name``, in any case.

    Example:
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("elon-musk", name="Elon Musk", aliases=["Musk", "the Tesla CEO"])
        >>> find(G, "the tesla ceo"), find(G, "nobody")
        (['elon-musk'], [])
    """
    wanted = name.lower()
    return sorted(n for n, d in G.nodes(data=True)
                  if str(d.get("name", "")).lower() == wanted or any(a.lower() == wanted for a in d.get("aliases") or ()))


def relationships(G: nx.MultiDiGraph, *, fresh: bool = False) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The direct relationship of every (subject, relation, object), aggregated over its claims
    as the stores keep it (``claim_count``, ``topics``, ``denied``, ``first_seen``, ...).

    Kept in ``G.graph`` with a fingerprint of the graph's edges (their ends and keys), so that
    questions asked one after another aggregate once, and a graph whose claims were added,
    removed, reversed or relabelled is aggregated afresh. After changing a claim's data in
    place, pass ``fresh=True``.
    """
    fingerprint = (G.number_of_edges(), sum(hash(e) for e in G.edges(keys=True)))
    cached = G.graph.get(_CACHE)
    if not fresh and cached is not None and cached[0] == fingerprint:
        return cached[1]
    agg = EdgeAggregator()
    for s, o, data in G.edges(data=True):
        agg.add({**data, "subject": s, "object": o, "article_id": data.get("article")}, data.get("date"))
    G.graph[_CACHE] = (fingerprint, agg.edges)
    return agg.edges


def _by_entity(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, str, str]]]:
    """Direct relationships touching each entity (a self-loop once)."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for key in relationships(G):
        s, _, o = key
        out[s].append(key)
        if o != s:
            out[o].append(key)
    return out


def relations(G: nx.MultiDiGraph, entity: str, *, relation: str | None = None, direction: str = "both",
              other_type: str | None = None, since: str | None = None, until: str | None = None,
              polarity: str | None = None) -> list[dict[str, Any]]:
    """The claims about an entity (by id, name or alias), in article-date order.

    Example:
        >>> from graphkit.graph import KnowledgeGraph
        >>> from graphkit.model import Claim, EntityRef
        >>> ana, acme = EntityRef("ana", "Ana Ruiz", "Person"), EntityRef("acme", "Acme", "Organization")
        >>> G = KnowledgeGraph.from_claims([Claim("a1", ana, "LEADS", acme, {"role": "CEO"}),
        ...                                 Claim("a2", ana, "SUES", acme, {"polarity": "negated"})]).to_networkx()
        >>> [(c["relation"], c["polarity"]) for c in relations(G, "Ana Ruiz", other_type="Organization")]
        [('LEADS', 'asserted'), ('SUES', 'negated')]

    Args:
        relation: only this relation (``"ADVISES"``).
        other_type: only claims whose other end is of this entity type (``"Organization"``).
        direction: ``"out"`` (the entity is the subject), ``"in"`` or ``"both"``.
        since, until: only articles dated in this range (ISO dates, inclusive).
        polarity: only ``"asserted"``, ``"negated"`` or ``"denied"`` claims.

    Each claim is a dict of its edge's data with ``id``, ``subject``, ``object`` and
    their names.
    """
    ids = [entity] if entity in G else find(G, entity)
    out = []
    for e in ids:
        edges = []
        if direction in ("out", "both"):
            edges += G.out_edges(e, keys=True, data=True)
        if direction in ("in", "both"):
            edges += [x for x in G.in_edges(e, keys=True, data=True) if x[0] != x[1] or direction == "in"]
        for s, o, k, d in edges:
            date = d.get("date")
            if other_type and G.nodes[o if s == e else s].get("type") != other_type:
                continue
            if relation and d.get("relation") != relation or polarity and d.get("polarity") != polarity:
                continue
            if since and (not date or date < since) or until and (not date or date > until):
                continue
            out.append({"id": k, "subject": s, "subject_name": _name(G, s), "object": o,
                        "object_name": _name(G, o), **d})
    return sorted(out, key=lambda c: (_last(c.get("date")), c.get("article") or "", c.get("start") or 0))


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """Entities joined where any direct relationship but RELATED_TO joins them."""
    links = _links()
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from((s, o) for s, rel, o in relationships(G) if rel in links and s != o)
    return H


def _hops(G: nx.MultiDiGraph, a: str, b: str) -> list[tuple[str, str, str]]:
    """Every direct relationship between two entities, either way (RELATED_TO aside)."""
    links = _links()
    found = set()
    for s, o in ((a, b), (b, a)):
        for d in (G.get_edge_data(s, o) or {}).values():
            if d.get("relation") in links:
                found.add((s, d["relation"], o))
    return sorted(found)


def _shortest(G: nx.MultiDiGraph, x: str, y: str, max_hops: int) -> Iterator[list[tuple[str, str, str]]]:
    """All shortest sequences of direct relationships from x to y, up to ``max_hops``."""
    H = _undirected(G)
    try:
        if nx.shortest_path_length(H, x, y) > max_hops:
            return
        node_paths = list(nx.all_shortest_paths(H, x, y))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return
    for nodes in node_paths:
        sequences: list[list[tuple[str, str, str]]] = [[]]
        for a, b in pairwise(nodes):
            sequences = [seq + [hop] for seq in sequences for hop in sorted(_hops(G, a, b))]
        yield from sequences


def paths(G: nx.MultiDiGraph, a: str, b: str, *, max_hops: int = 4) -> list[list[dict[str, Any]]]:
    """The shortest paths between two entities (ids, names or aliases), each a list of hops
    ``{"from", "relation", "to", "claims"}`` with the claims (evidence, article) behind the hop."""
    out = []
    for x in ([a] if a in G else find(G, a)):
        for y in ([b] if b in G else find(G, b)):
            if x == y:
                continue
            for seq in _shortest(G, x, y, max_hops):
                out.append([{"from": s, "relation": rel, "to": o,
                             "claims": [{"id": k, **d} for k, d in G[s][o].items() if d.get("relation") == rel]}
                            for s, rel, o in seq])
    return out


def ego_network(G: nx.MultiDiGraph, entity: str, radius: int = 1) -> nx.MultiDiGraph:
    """The entity, the entities within ``radius`` relationships of it (either way) and every
    claim among them."""
    ids = [entity] if entity in G else find(G, entity)
    keep: set[str] = set()
    for e in ids:
        keep |= set(nx.ego_graph(G, e, radius=radius, undirected=True))
    return G.subgraph(keep).copy()


def centrality(G: nx.MultiDiGraph, measure: str = "degree") -> dict[str, float]:
    """Centrality of each entity over its direct relationships (RELATED_TO aside), by
    networkx: ``degree``, ``betweenness``, ``closeness``, ``eigenvector`` or ``pagerank``."""
    H = _undirected(G)
    algorithms = {"degree": nx.degree_centrality, "betweenness": nx.betweenness_centrality,
                  "closeness": nx.closeness_centrality, "pagerank": nx.pagerank,
                  "eigenvector": lambda g: nx.eigenvector_centrality(g, max_iter=1000)}
    if measure not in algorithms:
        raise ValueError(f"unknown centrality {measure!r}: one of {', '.join(algorithms)}")
    return algorithms[measure](H)


def communities(G: nx.MultiDiGraph, *, seed: int = 0) -> list[set[str]]:
    """Communities of entities (Louvain, networkx's own, seeded so that runs agree), largest first."""
    H = _undirected(G)
    found = nx.community.louvain_communities(H, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


# -- the saved queries' questions ----------------------------------------------------

def entity_profile(G: nx.MultiDiGraph, name: str) -> list[dict[str, Any]]:
    """An entity with its type and aliases, and every relationship in and out with its claim count."""
    edges = relationships(G)
    rows = []
    for e in find(G, name):
        def side(keys: list[tuple[str, str, str]], other: int) -> list[dict[str, Any]]:
            return [{"relation": k[1], "other": _name(G, k[other]), "claims": edges[k]["claim_count"],
                     "denied": edges[k]["denied"]} for k in keys]
        d = G.nodes[e]
        rows.append({"id": e, "name": d.get("name"), "type": d.get("type"), "aliases": list(d.get("aliases") or []),
                     "outgoing": side([k for k in edges if k[0] == e], 2),
                     "incoming": side([k for k in edges if k[2] == e], 0)})
    return rows


def advisers_of(G: nx.MultiDiGraph, name: str) -> list[dict[str, Any]]:
    """Who advises an entity, on what topics, reported by whom, and whether it was denied."""
    edges = relationships(G)
    rows = []
    for e in find(G, name):
        for (a, rel, o), r in edges.items():
            if rel == "ADVISES" and o == e:
                rows.append({"adviser": _name(G, a), "type": G.nodes[a].get("type"), "topics": r["topics"],
                             "denied": r["denied"], "reported_by": _names(G, r["attributed_to"]),
                             "claims": r["claim_count"],
                             "first_seen": r["first_seen"], "last_seen": r["last_seen"]})
    return sorted(rows, key=lambda r: (-r["claims"], r["adviser"]))


def connections_between(G: nx.MultiDiGraph, a: str, b: str, limit: int = 25) -> list[dict[str, Any]]:
    """The shortest paths (up to 4 relationships) between two entities, with the relation on every hop."""
    rows = []
    for x in find(G, a):
        for y in find(G, b):
            if x == y:
                continue
            for seq in _shortest(G, x, y, 4):
                nodes = [x]
                for s, _, o in seq:
                    nodes.append(o if s == nodes[-1] else s)
                rows.append({"path": [_name(G, n) for n in nodes],
                             "hops": [{"from": _name(G, s), "relation": rel, "to": _name(G, o)} for s, rel, o in seq],
                             "length": len(seq)})
    return sorted(rows, key=lambda r: r["length"])[:limit]


def common_connections(G: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """Entities directly related to both of two entities, with the relations on each side."""
    links, by_entity = _links(), _by_entity(G)
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for x in find(G, a):
        for y in find(G, b):
            if x == y:
                continue
            near: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"a": set(), "b": set()})
            for side, end in (("a", x), ("b", y)):
                for s, rel, o in by_entity.get(end, []):
                    if rel in links:
                        near[o if s == end else s][side].add(rel)
            for c, sides in near.items():
                if c in (x, y) or not sides["a"] or not sides["b"]:
                    continue
                row = found.setdefault((_name(G, c), G.nodes[c].get("type")), {"a": [], "b": []})
                row["a"] += [r for r in sorted(sides["a"]) if r not in row["a"]]
                row["b"] += [r for r in sorted(sides["b"]) if r not in row["b"]]
    return [{"connection": n, "type": t, "with_a": v["a"], "with_b": v["b"]} for (n, t), v in sorted(found.items())]


def disputed_claims(G: nx.MultiDiGraph, denied: str = "denied", negated: str = "negated",
                    limit: int = 200) -> list[dict[str, Any]]:
    """Claims someone denied or the text negates, with who reported them and who denied them."""
    rows = []
    for s, o, d in G.edges(data=True):
        if d.get("polarity") not in (denied, negated):
            continue
        reporter = d.get("attributed_to")
        rows.append({"subject": _name(G, s), "relation": d.get("relation"), "object": _name(G, o),
                     "polarity": d["polarity"],
                     "reported_by": _name(G, reporter) if reporter in G else reporter,
                     "denied_by": _name(G, s) if d["polarity"] == denied else None, "topic": d.get("topic"),
                     "evidence": d.get("evidence"), "article": d.get("article"), "date": d.get("date")})
    return sorted(rows, key=lambda r: (_last(r["date"]), r["subject"]))[:limit]


def contradictions(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Subjects that both support and oppose, or both praise and criticize, the same object."""
    edges = relationships(G)
    rows = []
    for stance, counter in (("SUPPORTS", "OPPOSES"), ("PRAISES", "CRITICIZES")):
        for (s, rel, o), r in edges.items():
            other = edges.get((s, counter, o))
            if rel == stance and other is not None:
                row = {"subject": _name(G, s), "stance": stance, "counter_stance": counter, "object": _name(G, o),
                       "stance_sources": r["sources"], "counter_sources": other["sources"]}
                if row not in rows:
                    rows.append(row)
    return rows


def stance_on(G: nx.MultiDiGraph, topic: str, limit: int = 200) -> list[dict[str, Any]]:
    """Who supports, opposes, praises or criticizes a topic, policy or entity, matched by name,
    alias or claim topic."""
    q = topic.lower()
    rows = []
    for (s, rel, o), r in relationships(G).items():
        if rel not in STANCES:
            continue
        d = G.nodes[o]
        if q in str(d.get("name", "")).lower() or any(q in a.lower() for a in d.get("aliases") or ()) \
                or any(q in t.lower() for t in r["topics"]):
            rows.append({"who": _name(G, s), "stance": rel, "on": _name(G, o), "topics": r["topics"],
                         "quotes": r["quotes"], "denied": r["denied"], "claims": r["claim_count"]})
    return sorted(rows, key=lambda r: (r["on"], r["stance"], r["who"]))[:limit]


def money_flows(G: nx.MultiDiGraph, name: str) -> list[dict[str, Any]]:
    """Money and ownership to and from an entity (FUNDS, INVESTS_IN, ACQUIRED, OWNS) with amounts."""
    edges, by_entity = relationships(G), _by_entity(G)
    rows = []
    for e in find(G, name):
        for key in by_entity.get(e, []):
            s, rel, o = key
            if rel in MONEY:
                r = edges[key]
                rows.append({"from": _name(G, s), "relation": rel, "to": _name(G, o), "amounts": r["amounts"],
                             "times": r["times"], "denied": r["denied"],
                             "reported_by": _names(G, r["attributed_to"]),
                             "claims": r["claim_count"]})
    return sorted(rows, key=lambda r: (r["relation"], r["from"], r["to"]))


def conflicts_of_interest(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Someone who leads or owns an organization and advises, funds or meets an official of a body
    that regulates, investigates or partners with it."""
    edges = relationships(G)
    into: dict[str, list[tuple[str, str]]] = defaultdict(list)  # object -> (subject, relation)
    for s, rel, o in edges:
        into[o].append((s, rel))
    rows = []
    for body, act, org in edges:
        if act not in ("REGULATES", "INVESTIGATES", "PARTNERS_WITH") or body == org:
            continue
        for p, held in into[org]:
            if held not in ("LEADS", "OWNS"):
                continue
            for official, post in into[body]:
                if post not in ("LEADS", "WORKS_FOR", "MEMBER_OF") or official == p:
                    continue
                for s, o in ((p, official), (official, p)):
                    for contact in ("ADVISES", "FUNDS", "MEETS"):
                        if (s, contact, o) in edges:
                            rows.append({"person": _name(G, p), "holds": held, "organization": _name(G, org),
                                         "contact": contact, "official": _name(G, official), "post": post,
                                         "body": _name(G, body), "body_action": act})
    return sorted(rows, key=lambda r: (r["person"], r["organization"]))


def timeline(G: nx.MultiDiGraph, name: str) -> list[dict[str, Any]]:
    """Every claim about an entity in article-date order, with its sentence."""
    rows = []
    for e in find(G, name):
        claims = [*G.out_edges(e, data=True), *G.in_edges(e, data=True)]  # (a self-loop twice, as in Cypher)
        for s, o, d in claims:
            rows.append({"date": d.get("date"), "time": d.get("time"), "subject": _name(G, s),
                         "relation": d.get("relation"), "object": _name(G, o), "polarity": d.get("polarity"),
                         "evidence": d.get("evidence"), "article": d.get("article"), "_start": d.get("start")})
    rows.sort(key=lambda r: (_last(r["date"]), r["article"] or "", _last(r["_start"])))
    for r in rows:
        del r["_start"]
    return rows


def most_connected(G: nx.MultiDiGraph, limit: int = 10) -> list[dict[str, Any]]:
    """Entities with the most distinct relationships to other entities."""
    links = _links()
    rows = []
    for e, keys in _by_entity(G).items():
        keys = [k for k in keys if k[1] in links]
        if keys:
            neighbours = {k[2] if k[0] == e else k[0] for k in keys}
            rows.append({"name": _name(G, e), "type": G.nodes[e].get("type"), "relationships": len(keys),
                         "neighbours": len(neighbours)})
    return sorted(rows, key=lambda r: (-r["relationships"], r["name"]))[:limit]


def evidence(G: nx.MultiDiGraph, subject: str, relation: str, object: str) -> list[dict[str, Any]]:
    """The sentences and articles behind one relationship."""
    articles = G.graph.get("articles", {})
    rows = []
    for s in find(G, subject):
        for o in find(G, object):
            for d in (G.get_edge_data(s, o) or {}).values():
                if d.get("relation") != relation:
                    continue
                art = articles.get(d.get("article"), {})
                rows.append({"sentence": d.get("evidence"), "start": d.get("start"), "end": d.get("end"),
                             "polarity": d.get("polarity"), "modality": d.get("modality"),
                             "attributed_to": d.get("attributed_to"), "confidence": d.get("confidence"),
                             "article": d.get("article"), "title": art.get("title"), "date": d.get("date"),
                             "url": art.get("url")})
    return sorted(rows, key=lambda r: (_last(r["date"]), r["article"] or "", _last(r["start"])))
