"""Extraction on worker processes gives exactly the claims of one process, in order."""

from __future__ import annotations

from pathlib import Path

from graphkit import extract_articles, read_articles
from graphkit.parallel import default_workers, extract_parallel

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_parallel_claims_equal_sequential(nlp) -> None:
    articles = list(read_articles([SAMPLES])) * 3  # several batches per worker
    seen: list[str] = []
    parallel = [c.to_dict() for c in extract_parallel(
        articles, workers=2, batch_size=2, on_article=lambda a, claims: seen.append(a.id))]
    sequential = [c.to_dict() for c in extract_articles(articles, nlp)]
    assert parallel == sequential
    assert len(parallel) > 10
    assert seen == [a.id for a in articles]


def test_default_workers_is_bounded() -> None:
    assert 1 <= default_workers() <= 4
