"""Invented articles for store and RDF tests: random claims among a dozen entities, with
hostile strings (quotes, braces, ``//``, newlines, accents) in names, titles and URLs."""

from __future__ import annotations

import random
from typing import Any

from graphkit.model import Article, ArticleResult, Claim, Entity, Evidence

RELATIONS = ["ADVISES", "MEETS", "FUNDS", "OWNS", "LEADS", "CRITICIZES", "SUES", "RELATED_TO"]
NAMES = ["Ana Silva", "Bo Berg", "Chen Okafor", "Dara Novak", "Eli \"E\" Haddad", "Fátima Kaur",
         "Norvik Energy", "Banco Sur", "Grupo {Moreau}", "Reyes // Holdings", "Ivanova & Co", "Tanaka Labs",
         "Zoë <Quinn> \"Z\"\nsecond line"]
ODD_ARTICLE = "art 3 <x> \"q\" é/#"  # the fourth article's id
EXTERNAL_IDS = {0: "Q42", len(NAMES) - 1: 'local:odd "id" <x>'}  # from an alias table: a QID, and any string
ODD_ID = "odd id/<>\"é\n#1"  # the last entity's id: spaces, a slash, brackets, quotes, accent, newline


def corpus(n_articles: int = 24, seed: int = 3) -> list[ArticleResult]:
    rng = random.Random(seed)
    entities = [Entity(f"e{i}-{name.split()[0].lower()}" if i < len(NAMES) - 1 else ODD_ID, name,
                       "Person" if i < 6 or i == len(NAMES) - 1 else "Organization",
                       tuple(rng.sample(["X", "Y`s", "Zé", "a > b"], k=rng.randrange(3))),
                       EXTERNAL_IDS.get(i))
                for i, name in enumerate(NAMES)]
    out = []
    for a in range(n_articles):
        art = ODD_ARTICLE if a == 3 else f"art-{a}"
        claims, seen = [], set()
        for k in range(rng.randrange(1, 5)):
            s, o = rng.sample(entities, 2)
            if rng.random() < 0.05:
                o = s  # a self-loop now and then
            rel = rng.choice(RELATIONS)
            text = f"{s.name} and {o.name}, line {k}.\nO'Brien said so."
            quals: dict[str, Any] = {"polarity": rng.choice(["asserted", "asserted", "denied", "negated"]),
                                     "modality": rng.choice(["actual", "hypothetical"])}
            if rng.random() < 0.5:
                quals["topic"] = rng.choice(["trade", "energy policy", "tariffs", "data {privacy}"])
            if rng.random() < 0.3:
                quals["attributed_to"] = entities[rng.randrange(len(entities))].id
            if rel == "FUNDS" and rng.random() < 0.7:
                quals["amount"] = f"${rng.randrange(1, 90)} million"
            extra = {"LEADS": ("role", rng.choice(["CEO", "chair"])), "MEETS": ("frequency", "every month"),
                     "CRITICIZES": ("quote", "a \"disgrace\"\n, he said"), "RELATED_TO": ("predicate", "visited")}
            if rel in extra:
                quals[extra[rel][0]] = extra[rel][1]
            if rng.random() < 0.2:
                quals["time"] = rng.choice(["2024-03-05", "last spring"])
            if rel == "LEADS" and rng.random() < 0.3:
                quals["status"] = "former"
            claim = Claim(art, s.ref(), rel, o.ref(), quals, Evidence(text, k, k + len(text)),
                          round(rng.uniform(0.5, 0.99), 3))
            if (s.id, rel, o.id, k) not in seen:
                seen.add((s.id, rel, o.id, k))
                claims.append(claim)
        mentioned = tuple({e.id: e for c in claims for e in entities if e.id in (c.subject.id, c.object.id)}
                          .values())
        date = None if a % 7 == 0 else "June 2024" if a == 5 else f"2024-{1 + a % 12:02d}-{1 + a % 27:02d}"
        out.append(ArticleResult(Article(art, "text", date, title=f"Title {a} \"q\"", source="Wire <A&B>",
                                         url=None if a % 5 == 0 else f"https://x.example/{a}?q='1'&r=<b> c"),
                                 tuple(claims), mentioned))
    return out


# -- the fixture graph of the saved queries --------------------------------------

SEP_NAME = "Sep\x1eCo\x1fLtd"
E = {
    "musk": Entity("elon-musk", "Elon Musk", "Person", ("Musk", "the Tesla CEO")),
    "trump": Entity("donald-trump", "Donald Trump", "Person", ("Trump",)),
    "biden": Entity("joe-biden", "Joe Biden", "Person", ("Biden",)),
    "tesla": Entity("tesla", "Tesla", "Organization", ("Tesla Inc.",)),
    "spacex": Entity("spacex", "SpaceX", "Organization"),
    "force": Entity("u-s-space-force", "U.S. Space Force", "Organization", ("Space Force",)),
    "bloomberg": Entity("bloomberg-news", "Bloomberg News", "Organization", ("Bloomberg",)),
    "pac": Entity("america-pac", "America PAC", "Organization"),
    "evs": Entity("electric-vehicles", "electric vehicles", "Topic", ("EVs",)),
    "official": Entity("ann-roe", "Ann Roe", "Person"),
    "nhtsa": Entity("nhtsa", "NHTSA", "Organization"),
    "sep": Entity("sep-co", SEP_NAME, "Organization", ("S\x1fC",)),  # the SPARQL runner's separators
}

# (article, date, subject, relation, object, qualifiers)
CLAIMS = [
    ("a1", "2024-06-14", "musk", "ADVISES", "trump",
     {"topic": "cryptocurrency policy", "attributed_to": "bloomberg-news", "polarity": "denied"}),
    ("a1", "2024-06-14", "musk", "LEADS", "tesla", {"role": "CEO"}),
    ("a1", "2024-06-14", "musk", "FOUNDED", "spacex", {"role": "founder"}),
    ("a1", "2024-06-14", "trump", "FOUNDED", "force", {}),
    ("a1", "2024-06-14", "trump", "SUPPORTS", "evs", {}),
    ("a1", "2024-06-14", "trump", "OPPOSES", "evs", {}),
    ("a1", "2024-06-14", "trump", "PRAISES", "musk", {"quote": "spectacular guy"}),
    ("a2", "2024-07-17", "musk", "FUNDS", "pac", {"amount": "$45 million a month"}),
    ("a2", "2024-07-17", "trump", "CRITICIZES", "musk", {"quote": "bullshit artist"}),
    ("a2", "2024-07-17", "biden", "CRITICIZES", "trump", {}),
    ("a2", "2024-07-17", "musk", "MEETS", "official", {}),
    ("a2", "2024-07-17", "official", "LEADS", "nhtsa", {}),
    ("a2", "2024-07-17", "nhtsa", "INVESTIGATES", "tesla", {"polarity": "negated"}),
    ("a2", "2024-07-17", "biden", "FUNDS", "sep", {"amount": "1\x1f2\x1e3", "topic": "a\x1fb"}),
]


def query_fixture() -> list[ArticleResult]:
    """The graph the saved-query tests (and the SPARQL twins) run on: every query finds rows."""
    by_article: dict[str, list[Claim]] = {}
    dates = {}
    for art, date, s, rel, o, quals in CLAIMS:
        text = f"{E[s].name} {rel} {E[o].name}."
        claim = Claim(art, E[s].ref(), rel, E[o].ref(),
                      {"polarity": "asserted", "modality": "actual", **quals},
                      Evidence(text, 0, len(text)), 0.8)
        by_article.setdefault(art, []).append(claim)
        dates[art] = date
    out = []
    for art, claims in by_article.items():
        names = {c.subject.id for c in claims} | {c.object.id for c in claims} | {"bloomberg-news"}
        ents = tuple(e for e in E.values() if e.id in names)
        text = " ".join(c.evidence.text for c in claims)
        out.append(ArticleResult(Article(art, text, dates[art], title=f"Title {art}"), tuple(claims), ents))
    return out
