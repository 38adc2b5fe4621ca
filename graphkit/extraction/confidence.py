"""Calibrated confidence: the chance that a claim is right, from signals the
pipeline already has.

A claim's signals are the kind of frame that fired (``verb``, ``noun``,
``role``, ``party``, ``evaluation``, ...), its relation, and how its ends were
found (``direct``: named in the clause; ``coref``: a pronoun or description;
``phrase``: a noun phrase made an entity; ``quote``: inside a quotation). The
fitted counts live in ``graphkit/data/lexicon/calibration.yaml`` (written by
``scripts/fit_calibration.py`` from annotated articles): for each cell, how
many claims it gave and how many were right. A cell's estimate is shrunk
toward its parent's (kind and relation, then kind, then all claims), so thin
cells borrow from broader ones. A log-odds ``scale`` and ``shift``, measured on
articles from other countries than the ones the cells were fitted on and on
claims judged by hand on real news, correct for rules being more often right,
and told apart more sharply, on the text they were tuned to.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from graphkit.resources import lexicon

__all__ = ["calibrated", "cell_keys"]


def cell_keys(kind: str, relation: str, ends: str) -> tuple[str, ...]:
    """The calibration cells of a claim, broadest first.

    Example:
        >>> cell_keys("verb", "ACQUIRED", "coref")
        ('*', 'verb', 'verb|ACQUIRED', 'verb|ACQUIRED|coref')
    """
    return ("*", kind, f"{kind}|{relation}", f"{kind}|{relation}|{ends}")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Any], float, float, float]:
    data = lexicon("calibration")
    return (dict(data.get("cells") or {}), float(data.get("prior_strength", 5.0)),
            float(data.get("scale", 1.0)), float(data.get("shift", 0.0)))


@lru_cache(maxsize=4096)
def calibrated(kind: str, relation: str, ends: str, fallback: float) -> float:
    """The estimated precision of claims with these signals (``fallback`` when the
    table knows nothing of them), rounded to two places."""
    cells, strength, scale, shift = _table()
    estimate: float | None = None
    for key in cell_keys(kind, relation, ends):
        counts = cells.get(key)
        if not counts:
            continue
        right, total = float(counts[0]), float(counts[1])
        prior = estimate if estimate is not None else (right + 1.0) / (total + 2.0)
        estimate = (right + strength * prior) / (total + strength)
    if estimate is None:
        return fallback
    if shift or scale != 1.0:  # rules are less often right on news they were not tuned to
        p = min(0.99, max(0.01, estimate))
        estimate = 1.0 / (1.0 + math.exp(-(scale * math.log(p / (1.0 - p)) + shift)))
    return round(min(0.99, max(0.01, estimate)), 2)
