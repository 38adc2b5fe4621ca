"""Fit graphkit's claim confidence on annotated articles.

usage: python scripts/fit_calibration.py GOLD.jsonl... [--shift-on GOLD.jsonl...]
           [--only PREFIX]... [--eval-dir DIR] [-o FILE]

Extracts every gold file's articles, labels each typed claim right or wrong as
the shared scorer (``score.py`` in the evaluation directory) matches ends, and
counts claims and right claims per calibration cell (see
``graphkit/extraction/confidence.py``). Writes the counts as YAML
(``graphkit/data/lexicon/calibration.yaml`` by default).

Rules tuned on articles are more often right on those articles than on news
they were not tuned to. ``--shift-on`` measures that: the cells are first
fitted on the GOLD files alone, then the log-odds shift that makes their
confidence match the precision on the shift articles (other countries) is
found and kept. The shift articles stay out of the counts, so the shift
is measured on text the cells were not fitted on. ``--shift-judged`` adds
claims judged right or wrong by hand on real news (JSON lines of
``{"article": PATH, "subject": ID, "relation": REL, "object": ID, "correct":
BOOL}``; the articles are read from their paths, never copied) to the shift's
measure. Fit on development articles only
(``--only`` keeps articles whose id starts with a prefix, such as ``dev2a-``);
check the result on held-out ones with ``calibration.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graphkit import read_articles  # noqa: E402
from graphkit.extract import prose  # noqa: E402
from graphkit.extraction.confidence import cell_keys  # noqa: E402
from graphkit.extraction.state import state  # noqa: E402
from graphkit.pipeline import load_pipeline  # noqa: E402


def _scorer(eval_dir: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("graphkit_eval_score", eval_dir / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {eval_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _labelled(scorer, records: dict, nlp) -> list[tuple[tuple[str, str, str], float, bool]]:  # type: ignore[no-untyped-def]
    """(signals, raw confidence, right) of every distinct typed triple of the articles."""
    from graphkit.model import Article

    out = []
    articles = [Article.from_record(r) for r in records.values()]
    pairs = ((prose(a.text, a.title), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True):
        record = records[article.id]
        index = scorer.resolver(record)
        wanted = {scorer.key(t["subject"], t["relation"], t["object"]) for t in record["triples"]}
        st = state(doc)
        best: dict = {}
        for raw in st.claims:
            if raw.relation == "RELATED_TO":
                continue
            ends = [st.entities[raw.subject], st.entities[raw.object]]
            refs = [scorer.resolve(index, {"id": e.id, "name": e.name}) or "?" + e.name for e in ends]
            k = scorer.key(refs[0], raw.relation, refs[1])
            if k not in best or raw.confidence > best[k].confidence:
                best[k] = raw  # a triple counts once, with its best claim (as calibration.py)
        out += [(raw.signals, raw.confidence, k in wanted) for k, raw in best.items()]
    return out


def _judged(path: Path, nlp) -> list[tuple[tuple[str, str, str], float, bool]]:  # type: ignore[no-untyped-def]
    """(signals, raw confidence, right) of claims judged by hand on real news: JSON lines
    ``{"article": PATH, "subject": ID, "relation": REL, "object": ID, "correct": BOOL}``.
    A judged claim the extractor no longer makes is skipped."""
    import json

    from graphkit.readers import read_path

    judged: dict[str, list[dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            judged.setdefault(record["article"], []).append(record)
    out = []
    articles = [a for p in judged for a in read_path(p)]
    pairs = ((prose(a.text, a.title), a) for a in articles)
    for (doc, article), source in zip(nlp.pipe(pairs, as_tuples=True), judged):
        st = state(doc)
        found = {}
        for raw in st.claims:
            s_id, o_id = st.entities[raw.subject].id, st.entities[raw.object].id
            found.setdefault((s_id, raw.relation, o_id), raw)
            if raw.relation == "MEETS":
                found.setdefault((o_id, raw.relation, s_id), raw)
        for record in judged[source]:
            raw = found.get((record["subject"], record["relation"], record["object"]))
            if raw is not None:
                out.append((raw.signals, raw.confidence, bool(record["correct"])))
    return out


def _cells(points) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    right: Counter = Counter()
    total: Counter = Counter()
    for signals, _, ok in points:
        for cell in cell_keys(*signals):
            total[cell] += 1
            right[cell] += ok
    return {cell: [right[cell], total[cell]] for cell in sorted(total)}


def _estimate(cells: dict, strength: float, signals) -> float:  # type: ignore[no-untyped-def]
    estimate = None
    for key in cell_keys(*signals):
        if key in cells:
            r, n = cells[key]
            prior = estimate if estimate is not None else (r + 1.0) / (n + 2.0)
            estimate = (r + strength * prior) / (n + strength)
    return 0.5 if estimate is None else estimate


def _shift(cells: dict, strength: float, points) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The log-odds scale and shift that best calibrate ``points`` (least squared
    error): a scale under 1 says the cells tell claims apart less sharply on news they
    were not fitted on, the shift that they are less often right there."""
    def logit(p: float) -> float:
        p = min(0.99, max(0.01, p))
        return math.log(p / (1 - p))

    base = [(logit(_estimate(cells, strength, s)), ok) for s, _, ok in points]
    best, best_err = (1.0, 0.0), float("inf")
    for scale_step in range(20, 121, 5):
        a = scale_step / 100.0
        for step in range(-300, 301, 2):
            d = step / 100.0
            err = sum((1 / (1 + math.exp(-(a * x + d))) - ok) ** 2 for x, ok in base)
            if err < best_err:
                best, best_err = (a, d), err
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--eval-dir", type=Path,
                        default=Path(os.environ.get("GRAPHKIT_EVAL_DIR", REPO.parent / "shared" / "eval")))
    parser.add_argument("-o", "--output", type=Path,
                        default=REPO / "graphkit" / "data" / "lexicon" / "calibration.yaml")
    parser.add_argument("--prior-strength", type=float, default=5.0)
    parser.add_argument("--shift-on", nargs="+", type=Path, default=[])
    parser.add_argument("--shift-judged", nargs="+", type=Path, default=[],
                        help="claims judged by hand on real news (JSON lines), for the shift")
    parser.add_argument("--only", action="append", default=[],
                        help="keep articles whose id starts with this prefix (repeatable)")
    args = parser.parse_args(argv)
    scorer = _scorer(args.eval_dir)

    def records(paths: list[Path]) -> dict:
        out = {str(r["id"]): r for path in paths for r in scorer.read_jsonl(path)}
        if args.only:
            out = {k: v for k, v in out.items() if k.startswith(tuple(args.only))}
        return out

    nlp = load_pipeline()
    points = _labelled(scorer, records(args.gold), nlp)
    shift, scale = 0.0, 1.0
    judged_n = 0
    if args.shift_on or args.shift_judged:
        held = _labelled(scorer, records(args.shift_on), nlp) if args.shift_on else []
        judged = [x for path in args.shift_judged for x in _judged(path, nlp)]
        judged_n = len(judged)
        scale, shift = _shift(_cells(points), args.prior_strength, held + judged)
        print(f"shift measured on {len(held)} annotated and {len(judged)} judged claims")
    cells = _cells(points)
    header = ("# Claim confidence: per cell, [right claims, claims] on the articles below.\n"
              "# Written by scripts/fit_calibration.py; see graphkit/extraction/confidence.py.\n"
              f"# Cells fitted on: {', '.join(p.name for p in args.gold)}"
              f"{' (ids ' + ', '.join(p + '*' for p in args.only) + ')' if args.only else ''}\n"
              f"# Shift measured on: {', '.join(p.name for p in args.shift_on) or 'no annotated articles'}"
              f"{' and ' + str(judged_n) + ' claims judged by hand on real news' if args.shift_judged else ''}\n"
              "# scale, shift: an estimate's log-odds become scale * log-odds + shift, measured\n"
              "# on the shift articles\n")
    body = yaml.safe_dump({"prior_strength": args.prior_strength, "scale": round(scale, 2),
                           "shift": round(shift, 2), "cells": cells},
                          sort_keys=False, default_flow_style=None, width=100)
    args.output.write_text(header + body, encoding="utf-8")
    print(f"{len(cells)} cells, {cells['*'][1]} claims, {cells['*'][0]} right, "
          f"scale {scale:.2f}, shift {shift:+.2f} -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
