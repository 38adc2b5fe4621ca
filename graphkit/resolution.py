"""Entity resolution across articles: the same person or company named differently in
different articles becomes one entity, and two people who share a surname do not.

Extraction already resolves names within an article and maps well-known names to
the gazetteer's canonical ones. :class:`Resolver` takes the entities of many
articles (and, for an incremental build, the entities a store already holds) and
merges them, always within one entity type, by these rules, strongest first:

1. ``alias-table``: the user's alias table (:class:`AliasTable`) overrides
   everything: a name it lists resolves to its entry and to nothing else;
   ``stored``: an article the store holds already, built again, resolves as it
   did the first time;
2. ``same-name``: the same name, folded (case, accents, punctuation, spacing
   of initials: "U.S. Space Force" and "US Space Force"); an organization and
   a group of one name are one (extraction tells them apart less surely than
   it tells people from organizations);
3. ``alias``: a name of two or more words that one article gives as an alias
   ("Donald J. Trump") is another entity's name, and only one entity's;
4. ``legal-suffix``: organizations equal without their legal form (cleanco:
   "Tesla, Inc." and "Tesla");
5. ``acronym``: an organization named by an acronym whose expansion is the
   initials of exactly one other ("FTC" and "Federal Trade Commission"); the
   gazetteer declares the well-known ones, which extraction maps already;
6. ``name-parts``: people with the same first and last name and compatible
   middle names ("Jerome Powell", "Jerome H. Powell") and the same suffix;
7. ``surname``: a person named by a bare surname in one article ("Musk") and by
   a full name in another, when exactly one person of the corpus has that
   surname and no generational suffix;
8. ``fuzzy``: names of one type whose rapidfuzz similarity reaches the
   threshold (``graphkit/data/lexicon/resolution.yaml``), compared only within
   blocks of names sharing a word prefix (never all pairs).

Ambiguity is recorded, not guessed: a bare surname that two people share
("Bush" beside George H. W. and George W. Bush), a first and last name that two
people with different middle names share, and a bare first name are left as
they are, each with an :class:`Ambiguity` saying why. People whose first names,
middle names or suffixes conflict are never merged, whatever the rule. Every
merge is a :class:`Merge` naming its rule and evidence.

Ids are stable: an entity the store holds keeps its id, and a new cluster takes
the id of its fullest name. Entities of different types never share an id.

Example:
    >>> from graphkit.model import Entity
    >>> r = Resolver()
    >>> r.add("a1", Entity("elon-musk", "Elon Musk", "Person", ("Musk",)))
    >>> r.add("a2", Entity("musk", "Musk", "Person"))
    >>> r.add("a3", Entity("bush", "Bush", "Person"))
    >>> r.add("a3", Entity("george-w-bush", "George W. Bush", "Person"))
    >>> r.add("a4", Entity("george-h-w-bush", "George H. W. Bush", "Person"))
    >>> res = r.resolve()
    >>> res.canonical_id("a2", "musk", "Person"), res.canonical_id("a3", "bush", "Person")
    ('elon-musk', 'bush')
    >>> [(m.source, m.target, m.rule) for m in res.merges]
    [('musk', 'elon-musk', 'surname')]
    >>> res.ambiguities[0].candidates
    ('George H. W. Bush', 'George W. Bush')
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphkit.errors import ResourceError
from graphkit.ids import entity_id, fold
from graphkit.model import ArticleResult, Entity, EntityRef
from graphkit.resources import lexicon, ontology

__all__ = [
    "AliasEntry",
    "AliasTable",
    "Ambiguity",
    "Merge",
    "Resolution",
    "ResolutionLog",
    "Resolver",
    "ResultSpool",
    "resolve_results",
]

Key = tuple[str, str]  # (entity type, id as extraction or the store gave it)
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$|^(?:[A-Z]\.){2,6}$")
_PEOPLE = ("Person",)
_ORGS = ("Organization", "Group")


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    data = lexicon("resolution")
    return {"suffixes": frozenset(data.get("name_suffixes", [])),
            "skip": frozenset(data.get("initials_skip", [])),
            "descriptive": frozenset(data.get("descriptive_starts", [])),
            "threshold": float(data.get("fuzzy_threshold", 92)),
            "block_limit": int(data.get("fuzzy_block_limit", 200)),
            "respell_min_length": int(data.get("respell_min_length", 6))}


def _compact(name: str) -> str:
    """A folded name with runs of single letters joined ("u s space force" -> "us space force"),
    so spelled-out initials match.

    Example:
        >>> _compact("U.S. Space Force"), _compact("US Space Force"), _compact("George H. W. Bush")
        ('us space force', 'us space force', 'george hw bush')
    """
    out: list[str] = []
    single = False
    for token in fold(name).split():
        if len(token) == 1 and single:
            out[-1] += token
        else:
            out.append(token)
        single = len(token) == 1
    return " ".join(out)


def _namelike(alias: str) -> bool:
    """An alias that names the entity (capitalized words), not a description ("the billionaire")."""
    tokens = alias.split()
    if not tokens or fold(tokens[0]) in _words()["descriptive"]:
        return False
    return all(t[:1].isupper() or not t[:1].isalpha() or t.lower() in _words()["skip"] for t in tokens)


@dataclass(frozen=True)
class _Parts:
    first: str
    middle: tuple[str, ...]
    last: str
    suffix: str


@lru_cache(maxsize=65536)
def _parts(name: str) -> _Parts | None:
    """First, middle, last and suffix of a person's name (nameparser), folded; None for one word."""
    from nameparser import HumanName

    if len(name.split()) < 2:
        return None
    h = HumanName(name)
    suffixes = _words()["suffixes"]  # generational only: "PhD" or "MD" is no other person
    suffix = " ".join(t for t in fold(h.suffix).split() if t in suffixes)
    if not h.last or not h.first:
        return None
    middle = tuple(m[:1] for m in fold(h.middle).split())
    return _Parts(fold(h.first), middle, fold(h.last), suffix)


def _compatible(a: _Parts, b: _Parts, *, spelling: bool = False) -> bool:
    """Could both names be one person? The same suffix; first names equal (or one an initial of
    the other); middle initials equal where both have them; the same last name, or, with
    ``spelling``, one spelled alike (a transliteration: "Zelensky", "Zelenskyy").

    Example:
        >>> _compatible(_parts("Jerome H. Powell"), _parts("Jerome Powell"))
        True
        >>> _compatible(_parts("George H. W. Bush"), _parts("George W. Bush"))
        False
    """
    if a.suffix != b.suffix:
        return False
    if a.last != b.last and not (spelling and _similar(a.last, b.last) >= _words()["threshold"] - 10):
        return False
    if a.first != b.first and not (min(len(a.first), len(b.first)) == 1 and a.first[0] == b.first[0]):
        return False
    return not (a.middle and b.middle and a.middle != b.middle)


def _similar(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.ratio(a, b))


def _fits(name: str, other: str) -> bool:
    """Could a person named ``name`` be the person named ``other``? (A bare word always may.)"""
    a, b = _parts(name), _parts(other)
    return a is None or b is None or _compatible(a, b)


def _initials(name: str) -> str:
    skip = _words()["skip"]
    return "".join(t[0] for t in fold(name).split() if t not in skip)


@dataclass(frozen=True)
class Merge:
    """One entity merged into a canonical one, by a rule, with its evidence."""

    source: str
    target: str
    type: str
    rule: str
    evidence: str


@dataclass(frozen=True)
class Ambiguity:
    """An entity left unmerged because several entities could be meant."""

    id: str
    name: str
    type: str
    rule: str
    candidates: tuple[str, ...]


def _listed(value: Any) -> list[Any]:
    """A YAML value as a list: one plain value is a list of one."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass(frozen=True)
class AliasEntry:
    """An entry of the user's alias table."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    external_id: str | None = None
    articles: tuple[str, ...] = ()  # only mentions in these articles (empty: everywhere)

    @property
    def id(self) -> str:
        return entity_id(self.name)


class AliasTable:
    """The user's alias table (YAML or CSV): canonical name, aliases, type, optional external
    id (a Wikidata QID, say) and optional articles. It overrides every other rule.

    YAML: a list of ``{name, type, aliases, external_id, articles}``; CSV: columns ``name``,
    ``type``, ``aliases`` and ``articles`` (``|``-separated), ``external_id``.

    Example:
        >>> t = AliasTable([AliasEntry("Donald Trump Jr.", "Person", ("Don Jr.", "Trump Jr."), "Q3713655")])
        >>> t.lookup("Person", "trump jr", "any-article").external_id
        'Q3713655'
    """

    def __init__(self, entries: Iterable[AliasEntry] = ()) -> None:
        self.entries = list(entries)
        types = ontology()["entity_types"]
        self._index: dict[tuple[str, str], list[AliasEntry]] = defaultdict(list)
        for e in self.entries:
            if e.type not in types:
                raise ResourceError(f"alias table: {e.name!r} has type {e.type!r}, not one of "
                                    f"{', '.join(types)}")
            for form in {fold(e.name), *(fold(a) for a in e.aliases)}:
                self._index[(e.type, form)].append(e)

    @classmethod
    def read(cls, path: str | Path) -> AliasTable:
        """An alias table from a ``.yaml``/``.yml`` or ``.csv`` file."""
        path = Path(path)
        try:
            if path.suffix.lower() == ".csv":
                with open(path, encoding="utf-8-sig", newline="") as f:
                    rows: list[dict[str, Any]] = [
                        {**r, "aliases": [a for a in (r.get("aliases") or "").split("|") if a.strip()],
                         "articles": [a for a in (r.get("articles") or "").split("|") if a.strip()]}
                        for r in csv.DictReader(f)]
            else:
                import yaml

                rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, csv.Error, ValueError) as exc:
            raise ResourceError(f"{path}: cannot read the alias table ({exc})") from None
        if not isinstance(rows, list):
            raise ResourceError(f"{path}: an alias table is a list of entries")
        entries = []
        for n, row in enumerate(rows, 1):
            if not isinstance(row, dict) or not str(row.get("name") or "").strip() or not row.get("type"):
                raise ResourceError(f"{path}: entry {n} needs a name and a type")
            entries.append(AliasEntry(str(row["name"]).strip(), str(row["type"]).strip(),
                                      tuple(str(a).strip() for a in _listed(row.get("aliases"))),
                                      str(row["external_id"]).strip() if row.get("external_id") else None,
                                      tuple(str(a) for a in _listed(row.get("articles")))))
        try:
            return cls(entries)
        except ResourceError as exc:
            raise ResourceError(f"{path}: {exc}") from None

    def write(self, path: str | Path) -> None:
        """Write the table as YAML (written out with the graph)."""
        import yaml

        rows = []
        for e in self.entries:
            row: dict[str, Any] = {"name": e.name, "type": e.type}
            if e.aliases:
                row["aliases"] = list(e.aliases)
            if e.external_id:
                row["external_id"] = e.external_id
            if e.articles:
                row["articles"] = list(e.articles)
            rows.append(row)
        Path(path).write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def force(self, name: str, into: str, type_: str) -> AliasTable:
        """A table where ``name`` always means ``into`` (an entry made or extended).

        Example:
            >>> t = AliasTable().force("Musk", "Elon Musk", "Person").force("E. Musk", "Elon Musk", "Person")
            >>> [(e.name, e.aliases) for e in t.entries]
            [('Elon Musk', ('Musk', 'E. Musk'))]
        """
        entries, done = [], False
        for e in self.entries:
            if not done and not e.articles and e.type == type_ and fold(e.name) == fold(into):
                e = replace(e, aliases=tuple(dict.fromkeys((*e.aliases, name))))
                done = True
            elif not e.articles and e.type == type_:  # it means ``into`` now, and nothing else
                e = replace(e, aliases=tuple(a for a in e.aliases if fold(a) != fold(name)))
            entries.append(e)
        if not done:
            entries.append(AliasEntry(into, type_, (name,)))
        return AliasTable(entries)

    def split(self, name: str, articles: Iterable[str], as_name: str, type_: str) -> AliasTable:
        """A table where ``name`` in these articles is an entity of its own, ``as_name``."""
        return AliasTable([*self.entries, AliasEntry(as_name, type_, (name,), None, tuple(articles))])

    def lookup(self, type_: str, form: str, article: str | None) -> AliasEntry | None:
        """The entry a folded name of this type resolves to in an article, or None."""
        entries = self._index.get((type_, form), ())
        scoped = [e for e in entries if e.articles and article in e.articles]  # a split wins
        return (scoped or [e for e in entries if not e.articles] or [None])[0]


@dataclass
class _Node:
    key: Key
    name: str
    forms: set[str] = field(default_factory=set)  # namelike aliases
    articles: set[str] = field(default_factory=set)
    known: bool = False  # held by the store already: its id stays
    names: Counter[str] = field(default_factory=Counter)  # the names articles gave it
    entry: AliasEntry | None = None


@dataclass
class Resolution:
    """What :meth:`Resolver.resolve` found: canonical entities, merges and ambiguities."""

    entities: dict[str, Entity]
    external_ids: dict[str, str]
    merges: list[Merge]
    ambiguities: list[Ambiguity]
    _map: dict[Key, str]
    _scoped: dict[tuple[str, str, str], str]  # (article, type, id) -> canonical (article-scoped table entries)

    def records(self) -> list[dict[str, Any]]:
        """The merges and ambiguities as JSON-ready records (``kind``: ``merge`` or ``ambiguous``)."""
        out: list[dict[str, Any]] = [{"kind": "merge", **asdict(m)} for m in self.merges]
        out += [{"kind": "ambiguous", **asdict(a), "candidates": list(a.candidates)} for a in self.ambiguities]
        return out

    def canonical_id(self, article: str, id_: str, type_: str) -> str:
        """The canonical id of an entity as extraction named it in an article."""
        return self._scoped.get((article, type_, id_)) or self._map.get((type_, id_), id_)

    def ref(self, article: str, ref: EntityRef) -> EntityRef:
        cid = self.canonical_id(article, ref.id, ref.type)
        entity = self.entities.get(cid)
        return EntityRef(cid, entity.name, entity.type) if entity else ref

    def apply(self, result: ArticleResult) -> ArticleResult:
        """The result with every entity and claim end replaced by its canonical entity."""
        art = result.article.id
        claims = tuple(replace(c, subject=self.ref(art, c.subject), object=self.ref(art, c.object))
                       for c in result.claims)
        entities: dict[str, Entity] = {}
        for e in result.entities:  # the canonical entity, with the names this article gave it
            cid = self.canonical_id(art, e.id, e.type)
            canon = self.entities.get(cid, e)
            before = entities.get(cid, Entity(cid, canon.name, canon.type, canon.aliases if cid in self.entities
                                               else (), self.external_ids.get(cid)))
            aliases = dict.fromkeys((*before.aliases, e.name, *e.aliases))
            aliases.pop(canon.name, None)
            entities[cid] = replace(before, aliases=tuple(aliases))
        return ArticleResult(result.article, claims, tuple(entities.values()))


class Resolver:
    """Collects the entities of many articles, then resolves them (:meth:`resolve`).

    Args:
        aliases: the user's alias table, which overrides every rule.
        known: entities a store holds already (``id``, ``name``, ``type``, ``aliases``): they
            keep their ids, and new mentions merge into them.
        stored_mentions: for articles the store holds already, the ids of the entities they
            mention: an article built again resolves as it did (``stored`` rule), whatever
            has arrived since.
        threshold: the fuzzy similarity (0 to 100) at which names merge (default from
            ``resolution.yaml``); 101 turns fuzzy matching off.
    """

    def __init__(self, aliases: AliasTable | None = None, known: Iterable[dict[str, Any]] = (),
                 threshold: float | None = None, stored_mentions: dict[str, list[str]] | None = None) -> None:
        self.aliases = aliases or AliasTable()
        self.stored_mentions = stored_mentions or {}
        self.threshold = _words()["threshold"] if threshold is None else threshold
        self._nodes: dict[Key, _Node] = {}
        self._scoped: dict[tuple[str, str, str], AliasEntry] = {}
        for entry in self.aliases.entries:  # entities of their own, which other rules can reach
            if not entry.articles:
                node = self._node((entry.type, entry.id), entry.name)
                node.entry = entry
                node.forms.update(entry.aliases)
        self.add_known(known)

    def add_known(self, rows: Iterable[dict[str, Any]]) -> None:
        """Entities a store holds already: they keep their ids (before or after the articles)."""
        for row in rows:
            node = self._node((row["type"], row["id"]), row["name"])
            node.known = True
            node.forms.update(a for a in row.get("aliases") or () if _namelike(a))
            node.entry = node.entry or self.aliases.lookup(row["type"], fold(row["name"]), None)

    def _node(self, key: Key, name: str) -> _Node:
        node = self._nodes.get(key)
        if node is None:
            node = self._nodes[key] = _Node(key, name)
        return node

    def add(self, article: str, entity: Entity) -> None:
        """An entity as extraction found it in an article."""
        entry = self.aliases.lookup(entity.type, fold(entity.name), article)
        for alias in entity.aliases if entry is None else ():  # an alias reaches an entry only
            found = self.aliases.lookup(entity.type, fold(alias), article)  # for a name that fits it
            if found is not None and (entity.type not in _PEOPLE or _fits(entity.name, found.name)):
                entry = found
                break
        if entry is not None and entry.articles:  # a table entry for some articles only
            self._scoped[(article, entity.type, entity.id)] = entry
            return
        node = self._node((entity.type, entity.id), entity.name)
        node.articles.add(article)
        node.names[entity.name] += 1
        node.forms.update(a for a in entity.aliases if _namelike(a) and a != entity.name)
        if entry is not None:
            node.entry = entry

    def add_result(self, result: ArticleResult) -> None:
        for e in result.entities:
            self.add(result.article.id, e)
        for c in result.claims:  # ends the entity list may not hold
            for end in (c.subject, c.object):
                if (end.type, end.id) not in self._nodes:
                    self.add(result.article.id, Entity(end.id, end.name, end.type))

    # -- resolving -------------------------------------------------------------

    def resolve(self) -> Resolution:
        """Merge the entities collected so far."""
        self._parent: dict[Key, Key] = {k: k for k in self._nodes}
        self._why: dict[Key, tuple[str, str]] = {}  # node -> (rule, evidence) of the merge that took it
        self._stored_map: dict[tuple[str, str, str], tuple[Key, str]] = {}  # (article, type, id) -> stored
        for node in self._nodes.values():  # the name most often given, whatever the input order
            if node.names:
                node.name = max(node.names, key=lambda name: (node.names[name], name))
        self._members: dict[Key, list[Key]] = {k: [k] for k in self._nodes}
        ambiguities: list[Ambiguity] = []
        by_type: dict[str, list[_Node]] = defaultdict(list)
        for node in sorted(self._nodes.values(), key=lambda n: n.key):
            by_type[node.key[0]].append(node)
        self._exact([n for t in _ORGS for n in by_type.get(t, [])], "same-name", lambda n: [_compact(n.name)])
        for type_, nodes in by_type.items():
            self._table(nodes)
            self._stored(nodes)
            self._exact(nodes, "same-name", lambda n: [_compact(n.name)])
            self._by_alias(nodes)
            if type_ in _ORGS:
                self._exact(nodes, "legal-suffix", _legal_base)
                self._acronyms(nodes, ambiguities)
            if type_ in _PEOPLE:
                self._name_parts(nodes, ambiguities)
                self._surnames(nodes, ambiguities)
            self._fuzzy(nodes)
        return self._resolution(ambiguities)

    def _find(self, k: Key) -> Key:
        while self._parent[k] != k:
            self._parent[k] = self._parent[self._parent[k]]
            k = self._parent[k]
        return k

    def _people(self, root: Key) -> list[_Parts]:
        return [p for m in self._members[root] if (p := _parts(self._nodes[m].name)) is not None]

    def _union(self, a: Key, b: Key, rule: str, evidence: str) -> bool:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return False
        if ra[0] != rb[0] and not (ra[0] in _ORGS and rb[0] in _ORGS):
            return False  # a person never merges with a company
        if ra[0] in _PEOPLE and any(not _compatible(x, y, spelling=True)
                                    for x in self._people(ra) for y in self._people(rb)):
            return False  # two people whose names conflict are never one
        entries = {self._nodes[m].entry for m in self._members[ra] + self._members[rb]} - {None}
        if len(entries) > 1:
            return False  # two alias-table entries are two entities
        if any(self._nodes[m].known for m in self._members[ra]) and any(self._nodes[m].known for m in self._members[rb]):
            return False  # two entities the store holds stay two: their ids are in use
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        for k in self._members[rb]:  # the absorbed cluster joined by this rule
            self._why.setdefault(k, (rule, evidence))
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))
        return True

    def _table(self, nodes: list[_Node]) -> None:
        by_entry: dict[AliasEntry, list[_Node]] = defaultdict(list)
        for n in nodes:
            if n.entry is not None:
                by_entry[n.entry].append(n)
        for entry, group in by_entry.items():
            for n in group[1:]:
                self._union(group[0].key, n.key, "alias-table", f"the alias table lists {n.name!r} "
                                                                f"under {entry.name!r}")

    def _stored(self, nodes: list[_Node]) -> None:
        """A mention in an article the store holds goes where that article's mention went."""
        if not self.stored_mentions:
            return
        for n in nodes:
            if n.known or n.entry is not None:
                continue
            form = fold(n.name)
            for article in sorted(n.articles):
                candidates = [self._nodes[k] for k in ((n.key[0], e) for e in self.stored_mentions.get(article, ()))
                              if k in self._nodes and self._nodes[k].known]
                found = [m for m in candidates if form in {fold(m.name), *(fold(f) for f in m.forms)}]
                if len(found) == 1:  # (in that article only: elsewhere the name may mean another)
                    self._stored_map[(article, n.key[0], n.key[1])] = (
                        found[0].key, f"in article {article!r}, built before, {n.name!r} was {found[0].name!r}")

    def _exact(self, nodes: list[_Node], rule: str, keys: Any) -> None:
        index: dict[str, list[_Node]] = defaultdict(list)
        for n in nodes:
            if n.entry is None:
                for k in keys(n):
                    if k:
                        index[k].append(n)
        for k, group in index.items():
            for n in group[1:]:
                self._union(group[0].key, n.key, rule, f"{n.name!r} and {group[0].name!r} are the same name"
                            if rule == "same-name" else f"{n.name!r} and {group[0].name!r} are one name "
                                                        f"without the legal form ({k!r})")

    def _by_alias(self, nodes: list[_Node]) -> None:
        names: dict[str, set[Key]] = defaultdict(set)
        for n in nodes:
            names[_compact(n.name)].add(n.key)
        for n in nodes:
            if n.entry is not None:
                continue
            for form in sorted(n.forms):
                if len(form.split()) < 2:
                    continue  # one word ("Musk", "Apple", "FTC"): the surname and acronym rules decide
                targets = {self._find(k) for k in names.get(_compact(form), ())} - {self._find(n.key)}
                if len(targets) == 1:
                    target = next(iter(targets))
                    self._union(target, n.key, "alias", f"{n.name!r} is also called {form!r}, the name "
                                                        f"of {self._nodes[target].name!r}")

    def _acronyms(self, nodes: list[_Node], ambiguities: list[Ambiguity]) -> None:
        by_initials: dict[str, list[_Node]] = defaultdict(list)
        for n in nodes:
            if len(n.name.split()) >= 2:
                by_initials[_initials(n.name)].append(n)
        for n in nodes:
            if n.entry is not None or not _ACRONYM.match(n.name):
                continue
            self._unique(n, by_initials.get(n.name.replace(".", "").lower(), ()), "acronym",
                         "{n!r} is the initials of {m!r}", ambiguities)

    def _unique(self, n: _Node, candidates: Iterable[_Node], rule: str, evidence: str,
                ambiguities: list[Ambiguity]) -> bool:
        """Merge ``n`` into the one entity among the candidates; with several, record the ambiguity.
        True unless there is no candidate."""
        found = {self._find(m.key): m for m in candidates}
        found.pop(self._find(n.key), None)
        if len(found) == 1:
            m = next(iter(found.values()))
            self._union(m.key, n.key, rule, evidence.format(n=n.name, m=m.name))
        elif found:
            ambiguities.append(Ambiguity(n.key[1], n.name, n.key[0], rule,
                                         tuple(sorted({m.name for m in found.values()}))))
        return bool(found)

    def _name_parts(self, nodes: list[_Node], ambiguities: list[Ambiguity]) -> None:
        by_name: dict[tuple[str, str], list[_Node]] = defaultdict(list)
        for n in nodes:
            p = _parts(n.name)
            if p is not None:
                by_name[(p.first, p.last)].append(n)
        for group in by_name.values():
            if len(group) < 2:
                continue
            full = [n for n in group if _parts(n.name).middle]  # type: ignore[union-attr]
            plain = [n for n in group if not _parts(n.name).middle]  # type: ignore[union-attr]
            # "Jane Doe" and "Jane Doe PhD" (never "Jane Doe Jr."); "George W. Bush" and
            # "George Walker Bush" (never "George H. W. Bush")
            for members, agreeing in ((plain, ""), (full, ", and middle names that agree")):
                for i, n in enumerate(members):
                    for m in members[:i]:
                        if _compatible(_parts(n.name), _parts(m.name)):  # type: ignore[arg-type]
                            self._union(m.key, n.key, "name-parts", f"{n.name!r} and {m.name!r}: the same "
                                                                    f"first and last names{agreeing}")
            for n in plain:
                self._unique(n, [m for m in full if _compatible(_parts(n.name), _parts(m.name))],  # type: ignore[arg-type]
                             "name-parts", "{n!r} is {m!r} without the middle name", ambiguities)

    def _surnames(self, nodes: list[_Node], ambiguities: list[Ambiguity]) -> None:
        by_last: dict[str, dict[Key, _Node]] = defaultdict(dict)
        suffixed: dict[str, set[str]] = defaultdict(set)
        by_first: dict[str, set[Key]] = defaultdict(set)
        for n in nodes:
            p = _parts(n.name)
            if p is not None:
                by_first[p.first].add(n.key)
                if p.suffix:  # "Trump" never means Donald Trump Jr.
                    suffixed[p.last].add(n.name)
                else:
                    by_last[p.last][self._find(n.key)] = n
        for n in nodes:
            if n.entry is not None or _parts(n.name) is not None:
                continue
            form = fold(n.name)
            if self._unique(n, by_last.get(form, {}).values(), "surname",
                            "{n!r} is the surname of {m!r}, the only " + n.key[0] + " of that surname",
                            ambiguities):
                continue
            if form in suffixed:
                ambiguities.append(Ambiguity(n.key[1], n.name, n.key[0], "surname", tuple(sorted(suffixed[form]))))
            elif form in by_first:
                ambiguities.append(Ambiguity(n.key[1], n.name, n.key[0], "first-name", tuple(sorted(
                    {self._nodes[k].name for k in by_first[form]}))))

    def _fuzzy(self, nodes: list[_Node]) -> None:
        if self.threshold > 100:
            return
        from rapidfuzz import fuzz

        limit = _words()["block_limit"]
        folded = {n.key: _compact(n.name) for n in nodes if n.entry is None}
        blocks: dict[str, list[Key]] = defaultdict(list)
        for key, name in folded.items():
            tokens = name.split()
            if len(tokens) >= 2 or len(name) >= 8:
                for token in tokens:
                    if len(token) >= 3:
                        blocks[token[:3]].append(key)
        done: set[tuple[Key, Key]] = set()
        for block in blocks.values():
            if len(block) > limit:
                continue
            for i, a in enumerate(block):
                for b in block[i + 1:]:
                    pair = (a, b) if a < b else (b, a)
                    if pair in done:
                        continue
                    done.add(pair)
                    score = fuzz.ratio(folded[a], folded[b])
                    if score >= self.threshold and _respelled(folded[a], folded[b]):
                        self._union(a, b, "fuzzy", f"{self._nodes[b].name!r} and {self._nodes[a].name!r} are "
                                                   f"{score:.0f}% similar")

    def _resolution(self, ambiguities: list[Ambiguity]) -> Resolution:
        entities: dict[str, Entity] = {}
        external: dict[str, str] = {}
        mapping: dict[Key, str] = {}
        merges: list[Merge] = []
        taken: dict[str, str] = {}  # id -> type
        clusters = sorted(self._members.items(), key=lambda kv: (not any(self._nodes[m].known for m in kv[1]),
                                                                 kv[0]))
        for root, members in clusters:
            nodes = [self._nodes[m] for m in members]
            entry = next((n.entry for n in nodes if n.entry is not None), None)
            type_ = Counter(n.key[0] for n in nodes).most_common(1)[0][0]  # (Organization or Group)
            if type_ in _PEOPLE:  # a full name rather than a surname
                fullest = max(nodes, key=lambda n: (len(n.name.split()) > 1, len(n.articles),
                                                    len(n.name.split()), n.name))
            else:  # the name most articles use, an expansion rather than an acronym
                fullest = max(nodes, key=lambda n: (not _ACRONYM.match(n.name), len(n.articles),
                                                    len(n.name.split()), n.name))
            known = sorted(n.key[1] for n in nodes if n.known)
            if entry is not None:
                cid, name = entry.id, entry.name
            else:  # a stored entity keeps its id; the name is the fullest one
                cid, name = (known[0] if known else fullest.key[1]), fullest.name
            base, other = cid, taken.get(cid, type_)
            if other != type_:  # another type holds the id: a person is never a company
                cid = f"{cid}-{type_.lower()}"
            anchor = next((n.key for n in nodes if n.key[1] == base), None)
            if entry is not None and entry.external_id:
                external[cid] = entry.external_id  # (after a rename: the id this entity ends with)
            taken[cid] = type_
            aliases = {n.name for n in nodes} | {f for n in nodes for f in n.forms}
            if entry is not None:
                aliases |= set(entry.aliases)
            old = entities.get(cid)
            if old is not None:
                aliases |= set(old.aliases)
            entities[cid] = Entity(cid, name, type_, tuple(sorted(aliases - {name})))
            for n in nodes:
                mapping[n.key] = cid
                if n.key[1] == cid:
                    continue
                if n.entry is not None:
                    rule, evidence = "alias-table", f"the alias table names it {name!r}"
                elif n.key[1] == base:
                    rule, evidence = "distinct-type", f"{base!r} is a {other} elsewhere; the {type_} gets an id of its own"
                else:  # the rule that joined its cluster (for the root: the one that joined the anchor)
                    rule, evidence = self._why.get(n.key) or self._why.get(anchor or n.key) or (
                        "same-cluster", f"one entity with {name!r}")
                merges.append(Merge(n.key[1], cid, type_, rule, evidence))
        scoped: dict[tuple[str, str, str], str] = {}
        for (article, type_, id_), entry in self._scoped.items():
            cid = entry.id
            if taken.get(cid, type_) != type_:
                cid = f"{cid}-{type_.lower()}"
            taken[cid] = type_
            scoped[(article, type_, id_)] = cid
            if cid not in entities:
                entities[cid] = Entity(cid, entry.name, type_, tuple(sorted(set(entry.aliases))))
            if entry.external_id:
                external[cid] = entry.external_id
            merges.append(Merge(id_, cid, type_, "alias-table",
                                f"the alias table names it {entry.name!r} in article {article!r}"))
        for (article, type_, id_), (key, evidence) in sorted(self._stored_map.items()):
            cid = mapping[key]
            scoped[(article, type_, id_)] = cid
            if mapping.get((type_, id_)) != cid:
                merges.append(Merge(id_, cid, type_, "stored", evidence))
        merges = sorted({(m.target, m.source, m.type): m for m in reversed(merges)}.values(),
                        key=lambda m: (m.target, m.source))
        return Resolution(entities, external, merges, ambiguities, mapping, scoped)


def _respelled(a: str, b: str) -> bool:
    """Do two similar names differ only where a long word is spelled otherwise ("zelensky",
    "zelenskyy")? A short word spelled otherwise is another name ("Anba", "Anbe").

    Example:
        >>> _respelled("volodymyr zelensky", "volodymyr zelenskyy"), _respelled("anba logistics", "anbe logistics")
        (True, False)
    """
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    minimum = _words()["respell_min_length"]
    return all(x == y or min(len(x), len(y)) >= minimum for x, y in zip(ta, tb))


def _legal_base(node: _Node) -> list[str]:
    """An organization's name without its legal form (cleanco): "Tesla, Inc." -> "tesla"."""
    from cleanco import basename

    base = _compact(basename(node.name))
    return [base] if base else []


def resolve_results(results: Iterable[ArticleResult], *, aliases: AliasTable | None = None,
                    known: Iterable[dict[str, Any]] = ()) -> tuple[list[ArticleResult], Resolution]:
    """Resolve the entities of many articles at once; the results with canonical entities.

    Example:
        >>> from graphkit.model import Article
        >>> a = ArticleResult(Article("a1", "..."), (), (Entity("ftc", "FTC", "Organization"),))
        >>> b = ArticleResult(Article("a2", "..."), (), (Entity("federal-trade-commission",
        ...                   "Federal Trade Commission", "Organization"),))
        >>> out, res = resolve_results([a, b])
        >>> [e.id for r in out for e in r.entities]
        ['federal-trade-commission', 'federal-trade-commission']
    """
    results = list(results)
    resolver = Resolver(aliases, known)
    for r in results:
        resolver.add_result(r)
    resolution = resolver.resolve()
    return [resolution.apply(r) for r in results], resolution




class ResultSpool:
    """Extraction results kept in a temporary file while every article's entities are
    collected, then read back in order: resolution needs them all before any claim is
    written, and memory stays flat however many articles there are.

    Example:
        >>> from graphkit.model import Article
        >>> with ResultSpool() as spool:
        ...     spool.add(ArticleResult(Article("a1", "..."), (), (Entity("ftc", "FTC", "Organization"),)))
        ...     [r.article.id for r in spool], spool.articles
        (['a1'], ['a1'])
    """

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile(prefix="graphkit-results-")
        self.articles: list[str] = []

    def add(self, result: ArticleResult) -> None:
        import pickle

        pickle.dump(result, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.articles.append(result.article.id)

    def __iter__(self) -> Iterator[ArticleResult]:
        import pickle

        self._file.seek(0)
        for _ in self.articles:
            yield pickle.load(self._file)  # (our own file, just written)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ResultSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ResolutionLog:
    """The merges and ambiguities of the builds into one store, kept in a JSON Lines file
    (``resolution.jsonl`` in the embedded store's directory). A record is replaced by a later
    build's record of the same entity, so building again adds nothing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @staticmethod
    def _key(record: dict[str, Any]) -> tuple[str, str, str]:
        return record["kind"], record["type"], record.get("source") or record.get("id") or ""

    def read(self) -> list[dict[str, Any]]:
        """Every record, or none when there is no log yet."""
        try:
            with open(self.path, encoding="utf-8") as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise ResourceError(f"{self.path}: cannot read the resolution log ({exc})") from None

    def update(self, resolution: Resolution) -> None:
        """Add a build's merges and ambiguities (written beside, then moved into place, one
        build at a time)."""
        try:
            lock = os.open(self.path.with_name(f".{self.path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise ResourceError(f"{self.path}: cannot write the resolution log ({exc.strerror})") from None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once: one update after the other
            self._update(resolution)
        finally:
            os.close(lock)

    def _update(self, resolution: Resolution) -> None:
        records = {self._key(r): r for r in self.read()}
        for r in resolution.records():
            before = records.get(self._key(r))
            if r.get("rule") == "stored" and before and before.get("target") == r["target"]:
                continue  # built again: the first reason stands
            records[self._key(r)] = r
        for r in resolution.merges:  # merged now: no longer ambiguous
            records.pop(("ambiguous", r.type, r.source), None)
        for a in resolution.ambiguities:  # ambiguous now: an earlier merge of it is history
            if ("merge", a.type, a.id) in records and not any(m.source == a.id and m.type == a.type
                                                             for m in resolution.merges):
                records.pop(("merge", a.type, a.id))
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.writelines(json.dumps(records[key], ensure_ascii=False) + "\n" for key in sorted(records))
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ResourceError(f"{self.path}: cannot write the resolution log ({exc.strerror})") from None
