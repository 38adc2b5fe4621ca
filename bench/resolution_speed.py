#!/usr/bin/env python3
"""Entity resolution speed: how its time grows from 10,000 to 100,000 claims.

Generates claims among invented entities (one per five claims: people with
first, middle and last names, organizations with legal forms and acronyms),
each article naming them by realistic variants: the full name, a bare surname,
a middle initial, a transliteration (a letter doubled or dropped), a legal form
("Inc."), an acronym. Then, for each size, resolves every article's entities
(``graphkit.resolution.resolve_results``: collect, resolve, rewrite the
claims) and reports the time, the number of entities before and after, and the
pairwise precision and recall of the merges against the generated truth.

The target: from 10,000 to 100,000 claims, time grows no worse than n log n
(a ratio of at most 12.5), so no all-pairs comparison. Exits 1 if missed.

Usage:
    .venv/bin/python bench/resolution_speed.py [--sizes 10000 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.ids import entity_id
from graphkit.model import Article, ArticleResult, Claim, Entity
from graphkit.resolution import _parts, resolve_results

SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "shi", "an", "der", "mu", "pel", "os", "ri", "ga", "zan",
             "be", "tor", "li", "ne", "has", "qu", "ell", "fa", "dro", "yu", "win", "sa", "kov", "ba", "ur"]
ORG_WORDS = ["Energy", "Holdings", "Systems", "Bank", "Mining", "Logistics", "Media", "Pharma", "Capital",
             "Motors", "Telecom", "Foods", "Airlines", "Steel", "Insurance", "Labs"]
LEGAL = ["Inc.", "Ltd", "AG", "S.A.", "plc", "GmbH", "Corp."]
RELATIONS = ["ADVISES", "MEETS", "FUNDS", "LEADS", "CRITICIZES", "PRAISES", "SUES", "OWNS"]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _respell(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i - 1] + word[i:] if rng.random() < 0.5 else word[:i] + word[i + 1:]


def entities(n: int, rng: random.Random) -> list[dict]:
    """True entities with their variants (as an article would name them)."""
    out, seen = [], set()
    while len(out) < n:
        if rng.random() < 0.6:
            first, middle, last = _word(rng, 2), rng.choice("ABCDEFGHJKLMNPRSTW"), _word(rng, rng.choice((2, 3)))
            full = f"{first} {last}"
            if full in seen:
                continue
            variants = [full, full, full, f"{first} {middle}. {last}", f"{first} {_respell(rng, last)}"]
            out.append({"name": full, "type": "Person", "variants": variants})
        else:
            words = [_word(rng, 2), rng.choice(ORG_WORDS)] + ([rng.choice(ORG_WORDS)] if rng.random() < 0.4 else [])
            full = " ".join(words)
            if full in seen:
                continue
            variants = [full, full, full, f"{full} {rng.choice(LEGAL)}"]
            if len(words) == 3:
                variants.append("".join(w[0] for w in words).upper())
            out.append({"name": full, "type": "Organization", "variants": variants})
        seen.add(out[-1]["name"])
    return out


def corpus(claims: int, seed: int = 7) -> tuple[list[ArticleResult], dict[tuple[str, str, str], int]]:
    """Articles of 20 claims; the truth maps each mention (article, type, id) to its entity."""
    rng = random.Random(seed)
    world = entities(claims // 5, rng)
    truth: dict[tuple[str, str, str], int] = {}
    results = []
    for a in range(claims // 20):
        art = f"art-{a}"
        cast = rng.sample(range(len(world)), 12)
        names = {}
        for i in cast:  # one name per entity per article, as in-article coreference leaves it
            name = rng.choice(world[i]["variants"])
            if world[i]["type"] == "Person" and rng.random() < 0.15:
                name = name.split()[-1]  # a bare surname
            names[i] = Entity(entity_id(name), name, world[i]["type"])
        if len({(e.type, e.id) for e in names.values()}) < len(names):
            continue  # two entities named alike in one article: extraction would have told them apart
        claim_rows = []
        for _ in range(20):
            s, o = rng.sample(cast, 2)
            claim_rows.append(Claim(art, names[s].ref(), rng.choice(RELATIONS), names[o].ref()))
        for i, e in names.items():
            truth[(art, e.type, e.id)] = i
        results.append(ArticleResult(Article(art, ""), tuple(claim_rows), tuple(names.values())))
    return results, truth


def pairwise(truth: dict[tuple[str, str, str], int], resolution) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Pairwise precision and recall of mentions grouped by predicted id, against the truth."""
    pred: dict[str, Counter] = defaultdict(Counter)
    gold: dict[int, Counter] = defaultdict(Counter)
    joint: Counter = Counter()
    for (art, type_, id_), i in truth.items():
        p = resolution.canonical_id(art, id_, type_)
        pred[p][i] += 1
        gold[i][p] += 1
        joint[(p, i)] += 1
    pairs = lambda n: n * (n - 1) // 2
    tp = sum(pairs(n) for n in joint.values())
    predicted = sum(pairs(sum(c.values())) for c in pred.values())
    actual = sum(pairs(sum(c.values())) for c in gold.values())
    return tp / predicted if predicted else 1.0, tp / actual if actual else 1.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    times = []
    for size in args.sizes:
        results, truth = corpus(size)
        best = math.inf
        rounds = args.repeat * max(1, args.sizes[-1] // size // 3)  # more rounds where a round is short
        for _ in range(rounds):
            _parts.cache_clear()  # each run parses its names afresh, as a new process would
            start = time.perf_counter()
            _, resolution = resolve_results(results)
            best = min(best, time.perf_counter() - start)
        before = len({(t, i) for (_, t, i) in truth})
        precision, recall = pairwise(truth, resolution)
        print(f"{sum(len(r.claims) for r in results):,} claims, {len(results):,} articles: {best:.2f} s "
              f"(best of {rounds}); {before:,} names -> {len(resolution.entities):,} entities "
              f"({len(resolution.merges):,} merges, {len(resolution.ambiguities):,} left ambiguous); "
              f"pairwise P {precision:.3f} R {recall:.3f}")
        times.append((size, best))
    (n1, t1), (n2, t2) = times
    bound = (n2 * math.log(n2)) / (n1 * math.log(n1))
    print(f"time ratio {t2 / t1:.1f} for {n2 / n1:.0f}x the claims (n log n allows {bound:.1f})")
    return 0 if t2 / t1 <= bound else 1


if __name__ == "__main__":
    sys.exit(main())
