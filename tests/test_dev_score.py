"""Extraction quality on the shared evaluation set, scored by its own scorer.

The evaluation files live outside the repository, in ``../shared/eval``
beside the checkout (or wherever ``GRAPHKIT_EVAL_DIR`` points). Without them
these tests are skipped, saying so.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from graphkit import read_articles

# Typed-triple F1 that extraction must reach on seed + dev (US articles) and on
# dev2 (articles from other countries). Raise them as extraction improves; never
# lower them to make a change pass. Measured 2026-12-03 (third session): 0.725 and 0.566.
FLOOR = 0.71
FLOOR_DEV2 = 0.55

REPO = Path(__file__).resolve().parents[1]
SEED_ID = "seed-musk-trump"


def eval_dir() -> Path | None:
    candidates = [os.environ.get("GRAPHKIT_EVAL_DIR"), REPO.parent / "shared" / "eval",
                  Path("/work/shared/eval")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "score.py").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def scorer() -> ModuleType:
    where = eval_dir()
    if where is None:
        pytest.skip("evaluation set not found: expected ../shared/eval/score.py beside the "
                    "repository (or set GRAPHKIT_EVAL_DIR)")
    spec = importlib.util.spec_from_file_location("graphkit_eval_score", where / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.EVAL_DIR = where  # type: ignore[attr-defined]
    return module


@pytest.fixture(scope="session")
def eval_results(scorer: ModuleType, nlp):  # type: ignore[no-untyped-def]
    """Gold records and extraction results of seed + dev (extracted once per session)."""
    from graphkit.extract import extract_results

    files = [scorer.EVAL_DIR / "seed.jsonl", scorer.EVAL_DIR / "dev.jsonl"]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        pytest.skip(f"evaluation files missing: {', '.join(missing)}")
    gold = [record for f in files for record in scorer.read_jsonl(f)]
    errors: list[Exception] = []
    results = list(extract_results(read_articles(files, errors.append), nlp))
    assert errors == [], errors
    return gold, results


@pytest.fixture(scope="module")
def run(eval_results):  # type: ignore[no-untyped-def]
    gold, results = eval_results
    return gold, [c.to_dict() for r in results for c in r.claims]


def test_typed_f1_reaches_the_floor(scorer: ModuleType, run) -> None:  # type: ignore[no-untyped-def]
    gold, claims = run
    result = scorer.score(gold, claims)
    p, r, f1 = result["typed"]
    tp, n_pred, n_gold = result["typed_counts"]
    print(f"typed: P={p:.3f} R={r:.3f} F1={f1:.3f} (tp={tp} pred={n_pred} gold={n_gold})")
    assert f1 >= FLOOR, (f"typed F1 {f1:.3f} is below the floor {FLOOR} "
                         f"(P={p:.3f} R={r:.3f}, tp={tp} pred={n_pred} gold={n_gold})")


def test_dev2_typed_f1_reaches_the_floor(scorer: ModuleType, nlp) -> None:  # type: ignore[no-untyped-def]
    """Articles from Europe, Africa, the Middle East, Asia and Latin America."""
    from graphkit.extract import extract_articles

    path = scorer.EVAL_DIR / "dev2.jsonl"
    if not path.is_file():
        pytest.skip(f"evaluation file missing: {path}")
    gold = list(scorer.read_jsonl(path))
    claims = [c.to_dict() for c in extract_articles(read_articles([path]), nlp)]
    result = scorer.score(gold, claims)
    p, r, f1 = result["typed"]
    print(f"dev2 typed: P={p:.3f} R={r:.3f} F1={f1:.3f}")
    assert f1 >= FLOOR_DEV2, f"dev2 typed F1 {f1:.3f} is below the floor {FLOOR_DEV2} (P={p:.3f} R={r:.3f})"


def test_seed_musk_advises_trump_denied_per_bloomberg(run) -> None:  # type: ignore[no-untyped-def]
    _, claims = run
    advises = [c for c in claims
               if c["article_id"] == SEED_ID and c["relation"] == "ADVISES"
               and c["subject"]["id"] == "elon-musk" and c["object"]["id"] == "donald-trump"]
    assert advises, "no elon-musk ADVISES donald-trump claim in the seed article"
    found = [(c["qualifiers"].get("polarity"), c["qualifiers"].get("attributed_to"))
             for c in advises]
    assert ("denied", "bloomberg-news") in found, found


# Cross-article entity resolution on seed + dev: pairwise precision and recall of the
# merges against the gold entity ids, mentions matched to gold by the scorer's alias rule.
RESOLUTION_FLOOR = {"precision": 0.95, "recall": 0.85}


def pairwise_resolution(scorer: ModuleType, gold: list[dict], results: list) -> dict[str, float]:  # type: ignore[type-arg]
    """Pairwise precision and recall over mentions of different articles: a pair is predicted
    one entity when resolution gives both the same id, and is one when gold does."""
    from itertools import combinations

    from graphkit.resolution import Resolver

    resolver = Resolver()
    for r in results:
        resolver.add_result(r)
    resolution = resolver.resolve()
    by_id = {str(g["id"]): g for g in gold}
    mentions: dict[tuple[str, str, str], tuple[str, str]] = {}  # -> (gold id, predicted id)
    for r in results:
        article = by_id.get(str(r.article.id))
        if article is None:
            continue
        index = scorer.resolver(article)
        ends = {(e.id, e.name, e.type) for e in r.entities}
        ends |= {(x.id, x.name, x.type) for c in r.claims for x in (c.subject, c.object)}
        for id_, name, type_ in ends:
            gold_id = scorer.resolve(index, {"id": id_, "name": name})
            if gold_id is not None:
                mentions[(r.article.id, type_, id_)] = (gold_id, resolution.canonical_id(r.article.id, id_, type_))
    tp = fp = fn = 0
    for (a, m), (b, n) in combinations(mentions.items(), 2):
        if a[0] == b[0]:
            continue
        same_gold, same_pred = m[0] == n[0], m[1] == n[1]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "mentions": len(mentions), "tp": tp, "fp": fp, "fn": fn}


def test_cross_article_resolution_reaches_the_floor(scorer: ModuleType, eval_results) -> None:  # type: ignore[no-untyped-def]
    gold, results = eval_results
    got = pairwise_resolution(scorer, gold, results)
    print(f"resolution: P={got['precision']:.3f} R={got['recall']:.3f} ({got['mentions']} mentions, "
          f"tp={got['tp']} fp={got['fp']} fn={got['fn']})")
    for measure, floor in RESOLUTION_FLOOR.items():
        assert got[measure] >= floor, (measure, got)
