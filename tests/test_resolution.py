"""Cross-article entity resolution on invented entities: each rule, the ambiguous cases it
must leave alone, the user's alias table, and incremental resolution with stable ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphkit.errors import ResourceError
from graphkit.model import Article, ArticleResult, Claim, Entity, EntityRef
from graphkit.resolution import AliasEntry, AliasTable, Resolver, resolve_results


def _resolve(*mentions: tuple[str, str, str], **kw):  # type: ignore[no-untyped-def]
    """Mentions as (article, name, type); ids as extraction derives them."""
    from graphkit.ids import entity_id

    r = Resolver(**kw)
    for article, name, type_ in mentions:
        r.add(article, Entity(entity_id(name), name, type_))
    return r.resolve()


def _same(res, a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:  # type: ignore[no-untyped-def]
    from graphkit.ids import entity_id

    return res.canonical_id(a[0], entity_id(a[1]), a[2]) == res.canonical_id(b[0], entity_id(b[1]), b[2])


P, O = "Person", "Organization"


@pytest.mark.parametrize("a, b, rule", [
    (("a1", "Katrin Vollmer", P), ("a2", "Vollmer", P), "surname"),
    (("a1", "Jerome H. Powell", P), ("a2", "Jerome Powell", P), "name-parts"),
    (("a1", "Volodymyr Zelenskyy", P), ("a2", "Volodymyr Zelensky", P), "fuzzy"),
    (("a1", "Federal Trade Commission", O), ("a2", "FTC", O), "acronym"),
    (("a1", "Norvale Systems Inc.", O), ("a2", "Norvale Systems", O), "legal-suffix"),
    (("a1", "U.S. Space Force", O), ("a2", "US Space Force", O), "same-name"),
    (("a1", "Banco Austral", O), ("a2", "Banco Austral", "Group"), None),
])
def test_each_rule_merges_and_says_why(a, b, rule) -> None:  # type: ignore[no-untyped-def]
    res = _resolve(a, b)
    assert _same(res, a, b)
    if rule:
        assert [m.rule for m in res.merges] == [rule]
        assert all(m.evidence for m in res.merges)


def test_a_bare_surname_never_reaches_a_suffixed_name() -> None:
    res = _resolve(("a1", "Donald Trump", P), ("a2", "Donald Trump Jr.", P), ("a3", "Trump", P))
    assert _same(res, ("a3", "Trump", P), ("a1", "Donald Trump", P))
    assert not _same(res, ("a2", "Donald Trump Jr.", P), ("a1", "Donald Trump", P))


def test_a_surname_two_people_share_is_left_alone() -> None:
    mentions = [("a1", "George H. W. Bush", P), ("a2", "George W. Bush", P), ("a3", "Bush", P),
                ("a4", "George Bush", P)]
    res = _resolve(*mentions)
    assert len({res.canonical_id(a, n.lower().replace(" ", "-").replace(".", ""), t) for a, n, t in mentions}) == 4
    assert not _same(res, mentions[0], mentions[1])
    rules = {a.name: (a.rule, a.candidates) for a in res.ambiguities}
    assert rules["Bush"][0] == "surname"
    assert {"George H. W. Bush", "George W. Bush"} <= set(rules["Bush"][1])
    assert rules["George Bush"][0] == "name-parts"


def test_a_bare_first_name_is_not_merged() -> None:
    res = _resolve(("a1", "Elon Musk", P), ("a2", "Elon", P))
    assert not _same(res, ("a1", "Elon Musk", P), ("a2", "Elon", P))
    assert [(a.name, a.rule) for a in res.ambiguities] == [("Elon", "first-name")]


def test_a_person_never_merges_with_a_company_and_ids_stay_apart() -> None:
    res = _resolve(("a1", "Jordan", P), ("a2", "Jordan", O), ("a3", "Jordan Lee", P))
    ids = {res.canonical_id("a1", "jordan", P), res.canonical_id("a2", "jordan", O)}
    assert len(ids) == 2
    assert {res.entities[i].type for i in ids} == {P, O}


def test_conflicting_people_never_merge_even_when_similar() -> None:
    res = _resolve(("a1", "Maria Santos", P), ("a2", "Mario Santos", P), ("a3", "Ana Ruiz Jr.", P),
                   ("a4", "Ana Ruiz", P))
    assert not _same(res, ("a1", "Maria Santos", P), ("a2", "Mario Santos", P))
    assert not _same(res, ("a3", "Ana Ruiz Jr.", P), ("a4", "Ana Ruiz", P))


def test_descriptions_are_not_names_across_articles() -> None:
    r = Resolver()
    r.add("a1", Entity("ana-ruiz", "Ana Ruiz", P, ("the finance minister",)))
    r.add("a2", Entity("luis-mora", "Luis Mora", P, ("the finance minister",)))
    res = r.resolve()
    assert res.canonical_id("a1", "ana-ruiz", P) != res.canonical_id("a2", "luis-mora", P)


# -- the alias table -------------------------------------------------------------

def test_the_alias_table_overrides_and_carries_external_ids() -> None:
    table = AliasTable([AliasEntry("George W. Bush", P, ("Bush", "W."), "Q207"),
                        AliasEntry("Maria Santos (Lisbon)", P, ("Maria Santos",), None, ("a9",))])
    r = Resolver(table)
    for article, name in (("a1", "George H. W. Bush"), ("a2", "George W. Bush"), ("a3", "Bush"),
                          ("a8", "Maria Santos"), ("a9", "Maria Santos")):
        r.add(article, Entity(name.lower().replace(" ", "-"), name, P))
    res = r.resolve()
    bush = res.canonical_id("a3", "bush", P)
    assert bush == res.canonical_id("a2", "george-w.-bush", P) == "george-w-bush"
    assert res.external_ids[bush] == "Q207"
    assert res.canonical_id("a1", "george-h.-w.-bush", P) != bush
    assert res.canonical_id("a9", "maria-santos", P) == "maria-santos-lisbon"  # split by article
    assert res.canonical_id("a8", "maria-santos", P) == "maria-santos"
    assert any(m.rule == "alias-table" for m in res.merges)


@pytest.mark.parametrize("suffix, text", [
    (".yaml", ("- name: Federal Reserve\n  type: Organization\n  aliases: [the Fed, Fed]\n"
               "  external_id: Q53536\n")),
    (".csv", "name,type,aliases,external_id\nFederal Reserve,Organization,the Fed|Fed,Q53536\n"),
])
def test_alias_tables_read_and_write(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"aliases{suffix}"
    path.write_text(text, encoding="utf-8")
    table = AliasTable.read(path)
    assert table.lookup(O, "fed", None).external_id == "Q53536"  # type: ignore[union-attr]
    table.write(tmp_path / "out.yaml")
    assert AliasTable.read(tmp_path / "out.yaml").entries == table.entries


@pytest.mark.parametrize("text, message", [
    ("- name: X\n", "entry 1 needs a name and a type"),
    ("- name: X\n  type: Planet\n", "not one of"),
    ("name: X\n", "a list of entries"),
])
def test_a_bad_alias_table_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResourceError, match=message):
        AliasTable.read(path)


# -- incremental -------------------------------------------------------------------

def test_stored_entities_keep_their_ids() -> None:
    known = [{"id": "vollmer", "name": "Vollmer", "type": P, "aliases": []}]
    res = _resolve(("a7", "Katrin Vollmer", P), known=known)
    assert res.canonical_id("a7", "katrin-vollmer", P) == "vollmer"
    assert res.entities["vollmer"].name == "Katrin Vollmer"


def test_results_get_canonical_claim_ends() -> None:
    musk, ref = EntityRef("musk", "Musk", P), EntityRef("norvale", "Norvale", O)
    first = ArticleResult(Article("a1", "t"), (), (Entity("elon-musk", "Elon Musk", P),))
    second = ArticleResult(Article("a2", "t"), (Claim("a2", musk, "LEADS", ref),),
                           (Entity("musk", "Musk", P), Entity("norvale", "Norvale", O)))
    out, _ = resolve_results([first, second])
    claim = out[1].claims[0]
    assert claim.subject == EntityRef("elon-musk", "Elon Musk", P) and claim.object == ref
    assert {e.id for e in out[1].entities} == {"elon-musk", "norvale"}
    assert "Musk" in next(e for e in out[1].entities if e.id == "elon-musk").aliases


# -- graphkit build ------------------------------------------------------------------

def test_build_resolves_across_articles_and_builds(tmp_path: Path) -> None:
    import json

    from tests.conftest import run_graphkit

    first, second = tmp_path / "a1.txt", tmp_path / "a2.txt"
    second.write_text("date 2024-05-09\nVollmer criticized Norvale Systems on Thursday.\n", encoding="utf-8")
    first.write_text("date 2024-05-01\nEU Commissioner Katrin Vollmer met Norvale Systems CEO Pieter Aalst "
                     "in Brussels on Monday.\n", encoding="utf-8")
    store = tmp_path / "store"
    for article in (second, first):  # the surname first, the full name in a later build
        done = run_graphkit("build", article, "--store", store, "--progress", "never")
        assert done.returncode == 0, done.stderr
    done = run_graphkit("query", "timeline", "--param", "name=Vollmer", "--store", store, "--json")
    rows = json.loads(done.stdout)
    assert {r["article"] for r in rows} == {"a1", "a2"} and {r["subject"] for r in rows} == {"Katrin Vollmer"}

    table = tmp_path / "aliases.yaml"
    table.write_text("- name: Katrin Vollmer\n  type: Person\n  external_id: Q1\n", encoding="utf-8")
    other = tmp_path / "other"
    done = run_graphkit("build", second, "--store", other, "--aliases", table, "--progress", "never")
    assert done.returncode == 0, done.stderr
    done = run_graphkit("query", "entity_profile", "--param", "name=Vollmer", "--store", other, "--json")
    assert [r["id"] for r in json.loads(done.stdout)] == ["katrin-vollmer"]  # the table's name, from a surname
    turtle = tmp_path / "g.ttl"
    assert run_graphkit("export", "--format", "turtle", "-o", turtle, "--store", other).returncode == 0
    assert "<http://www.wikidata.org/entity/Q1>" in turtle.read_text(encoding="utf-8")  # the table's external id

    table.write_text("- name: Katrin Vollmer\n  type: Commissioner\n", encoding="utf-8")
    done = run_graphkit("build", second, "--store", other, "--aliases", table, "--progress", "never")
    assert done.returncode == 3 and "aliases.yaml" in done.stderr and "Traceback" not in done.stderr


def test_entities_shows_merges_and_forces_or_splits_them(tmp_path: Path) -> None:
    import json

    from tests.conftest import run_graphkit

    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a1.txt").write_text("date 2024-05-01\nEU Commissioner Katrin Vollmer met Norvale Systems CEO "
                                     "Pieter Aalst in Brussels on Monday.\n", encoding="utf-8")
    (articles / "a2.txt").write_text("date 2024-05-09\nVollmer criticized Norvale Systems on Thursday.\n",
                                     encoding="utf-8")
    store = tmp_path / "store"
    for _ in range(2):  # building again leaves the same log
        assert run_graphkit("build", articles, "--store", store, "--progress", "never").returncode == 0
    done = run_graphkit("entities", "--store", store, "--json")
    assert done.returncode == 0, done.stderr
    merges = json.loads(done.stdout)
    assert [(m["source"], m["target"], m["rule"]) for m in merges] == [("vollmer", "katrin-vollmer", "surname")]
    assert "Vollmer" in merges[0]["evidence"]
    shown = run_graphkit("entities", "Katrin Vollmer", "--store", store)
    assert "surname" in shown.stdout and "katrin-vollmer" in shown.stdout

    table = tmp_path / "aliases.yaml"
    done = run_graphkit("entities", "--split", "Vollmer", "--articles", "a2", "--as", "Hans Vollmer",
                        "--store", store, "--aliases", table)
    assert done.returncode == 0, done.stderr
    assert AliasTable.read(table).entries == [AliasEntry("Hans Vollmer", P, ("Vollmer",), None, ("a2",))]
    fresh = tmp_path / "fresh"
    assert run_graphkit("build", articles, "--store", fresh, "--aliases", table, "--progress", "never").returncode == 0
    done = run_graphkit("query", "timeline", "--param", "name=Hans Vollmer", "--store", fresh, "--json")
    assert [r["article"] for r in json.loads(done.stdout)] == ["a2"]
    assert (fresh / "aliases.yaml").exists()  # the table is kept with the graph

    done = run_graphkit("entities", "--force", "Aalst", "Pieter Aalst", "--store", store, "--aliases", table)
    assert done.returncode == 0, done.stderr
    assert AliasTable.read(table).lookup(P, "aalst", "a9").name == "Pieter Aalst"  # type: ignore[union-attr]
    bad = run_graphkit("entities", "--force", "X", "Nobody Known", "--store", store, "--aliases", table)
    assert bad.returncode == 3 and "give --type" in bad.stderr


def test_an_article_built_again_resolves_as_before_whatever_arrived_since(tmp_path: Path) -> None:
    from tests.conftest import run_graphkit

    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    (first / "w.txt").write_text("date 2024-01-01\nSenator Karl Brenner met Katrin Vollmer in Berlin.\n")
    (first / "b.txt").write_text("date 2024-01-02\nBrenner criticized Norvale Systems on Monday.\n")
    (later / "a.txt").write_text("date 2024-01-03\nSenator Anna Brenner met Pieter Aalst in Houston.\n")
    store = tmp_path / "store"
    counts = []
    for inputs in (first, later, first):  # "Brenner" is ambiguous once Anna Brenner has arrived
        done = run_graphkit("build", inputs, "--store", store, "--progress", "never")
        assert done.returncode == 0, done.stderr
        counts.append(re.search(r"(\d+) entities, (\d+) claims", done.stderr).groups())  # type: ignore[union-attr]
    assert counts[2] == counts[1] == ("5", "3")  # building again added nothing


def test_the_stored_rule_follows_the_article_s_earlier_resolution() -> None:
    known = [{"id": "karl-brenner", "name": "Karl Brenner", "type": P, "aliases": ["Brenner"]},
             {"id": "anna-brenner", "name": "Anna Brenner", "type": P, "aliases": []}]
    r = Resolver(known=known, stored_mentions={"b": ["karl-brenner", "norvale"]})
    r.add("b", Entity("brenner", "Brenner", P))
    r.add("z", Entity("brenner", "Brenner", P))
    res = r.resolve()
    assert res.canonical_id("b", "brenner", P) == "karl-brenner"
    assert [m.rule for m in res.merges] == ["stored"]


# -- cases a review found ----------------------------------------------------------------

def test_two_stored_entities_are_never_merged() -> None:
    known = [{"id": "zelensky", "name": "Zelensky", "type": P, "aliases": []},
             {"id": "volodymyr-zelenskyy", "name": "Volodymyr Zelenskyy", "type": P, "aliases": []}]
    res = _resolve(("a3", "Volodymyr Zelensky", P), known=known)
    assert res.canonical_id("a1", "zelensky", P) == "zelensky"
    assert res.canonical_id("a1", "volodymyr-zelenskyy", P) == "volodymyr-zelenskyy"


def test_an_in_article_alias_does_not_carry_a_conflicting_name_into_the_table() -> None:
    table = AliasTable([AliasEntry("George W. Bush", P, ("Bush",), "Q207")])
    r = Resolver(table)
    r.add("a1", Entity("george-h-w-bush", "George H. W. Bush", P, ("Bush",)))
    res = r.resolve()
    assert res.canonical_id("a1", "george-h-w-bush", P) == "george-h-w-bush"
    assert "george-h-w-bush" not in res.external_ids


def test_forcing_a_listed_name_moves_it() -> None:
    t = AliasTable([AliasEntry("George W. Bush", P, ("Bush",))]).force("Bush", "George H. W. Bush", P)
    assert t.lookup(P, "bush", None).name == "George H. W. Bush"  # type: ignore[union-attr]


def test_compatible_full_names_merge_beside_a_conflicting_one() -> None:
    res = _resolve(("a1", "George H. W. Bush", P), ("a2", "George W. Bush", P), ("a3", "George Walker Bush", P))
    assert _same(res, ("a2", "George W. Bush", P), ("a3", "George Walker Bush", P))
    assert not _same(res, ("a1", "George H. W. Bush", P), ("a2", "George W. Bush", P))


def test_the_stored_rule_holds_for_its_article_only() -> None:
    known = [{"id": "karl-brenner", "name": "Karl Brenner", "type": P, "aliases": ["Brenner"]},
             {"id": "anna-brenner", "name": "Anna Brenner", "type": P, "aliases": []}]
    r = Resolver(known=known, stored_mentions={"b": ["karl-brenner"]})
    for article in ("b", "z"):
        r.add(article, Entity("brenner", "Brenner", P))
    res = r.resolve()
    assert res.canonical_id("b", "brenner", P) == "karl-brenner"
    assert res.canonical_id("z", "brenner", P) == "brenner"  # a new article: ambiguous, left alone
    assert [a.name for a in res.ambiguities] == ["Brenner"]


def test_degrees_are_not_generations_and_a_suffixed_namesake_is_recorded() -> None:
    res = _resolve(("a1", "Jane Doe PhD", P), ("a2", "Jane Doe", P))
    assert _same(res, ("a1", "Jane Doe PhD", P), ("a2", "Jane Doe", P))
    res = _resolve(("a1", "Donald Trump Jr.", P), ("a2", "Trump", P))
    assert not _same(res, ("a1", "Donald Trump Jr.", P), ("a2", "Trump", P))
    assert [(a.name, a.candidates) for a in res.ambiguities] == [("Trump", ("Donald Trump Jr.",))]


def test_the_result_does_not_depend_on_the_input_order() -> None:
    mentions = [("a1", "ELON MUSK", P), ("a2", "Elon Musk", P), ("a3", "Elon Musk", P), ("a4", "Musk", P),
                ("a5", "Federal Trade Commission", O), ("a6", "FTC", O), ("a7", "Norvale Systems Inc.", O)]
    first, second = _resolve(*mentions), _resolve(*reversed(mentions))
    assert first.entities == second.entities and first.merges == second.merges


@pytest.mark.parametrize("suffix, text", [
    (".yaml", "- name: Hans Vollmer\n  type: Person\n  aliases: Vollmer\n  articles: a2\n"),
    (".csv", "\ufeffname,type,aliases,articles\nHans Vollmer,Person,Vollmer,a2\n"),
])
def test_alias_tables_as_people_write_them(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"aliases{suffix}"
    path.write_text(text, encoding="utf-8")
    assert AliasTable.read(path).entries == [AliasEntry("Hans Vollmer", P, ("Vollmer",), None, ("a2",))]


def test_an_external_id_stays_with_its_entity_when_the_id_is_renamed() -> None:
    table = AliasTable([AliasEntry("Jordan", P, (), "Q41421")])
    r = Resolver(table)
    r.add("a1", Entity("jordan", "Jordan", "Place"))
    r.add("a2", Entity("jordan", "Jordan", P))
    res = r.resolve()
    person = res.canonical_id("a2", "jordan", P)
    assert res.entities[person].type == P and res.external_ids == {person: "Q41421"}


def test_articles_resolve_against_rdf_built_in_the_same_command(tmp_path: Path) -> None:
    import json

    from tests.conftest import run_graphkit

    first, second = tmp_path / "a1.txt", tmp_path / "a2.txt"
    first.write_text("date 2024-05-01\nEU Commissioner Katrin Vollmer met Norvale Systems CEO Pieter Aalst "
                     "in Brussels on Monday.\n", encoding="utf-8")
    second.write_text("date 2024-05-09\nVollmer criticized Norvale Systems on Thursday.\n", encoding="utf-8")
    assert run_graphkit("build", first, "--store", tmp_path / "s1", "--progress", "never").returncode == 0
    turtle = tmp_path / "g.ttl"
    assert run_graphkit("export", "--format", "turtle", "-o", turtle, "--store", tmp_path / "s1").returncode == 0
    done = run_graphkit("build", turtle, second, "--store", tmp_path / "s2", "--progress", "never")
    assert done.returncode == 0, done.stderr
    done = run_graphkit("query", "timeline", "--param", "name=Katrin Vollmer", "--store", tmp_path / "s2", "--json")
    assert {r["article"] for r in json.loads(done.stdout)} == {"a1", "a2"}
