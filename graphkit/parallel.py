"""Extraction on several processes: one spaCy pipeline per worker.

Articles are sent to the workers in small batches with a bounded number of
batches in flight, so memory stays flat however long the input is, and the
claims come back in input order.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.model import Article, ArticleResult, Claim

__all__ = ["extract_parallel", "results_parallel", "default_workers"]

_NLP: Any = None


def default_workers() -> int:
    """Worker processes used by default: the CPUs this process may use, at most 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


def _init(model: str | None) -> None:
    global _NLP
    from graphkit.pipeline import load_pipeline

    _NLP = load_pipeline(model)


def _work(batch: list[Article]) -> list[ArticleResult]:
    from graphkit.extract import extract_results

    return list(extract_results(batch, _NLP, batch_size=len(batch)))


def results_parallel(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    workers: int = 2,
    batch_size: int = 16,
) -> Iterator[ArticleResult]:
    """Per article, in input order, its :class:`ArticleResult`, from ``workers`` processes.

    Raises:
        GraphkitError: a worker process died (out of memory, killed).
    """
    from concurrent.futures.process import BrokenProcessPool

    source = iter(articles)
    window = workers * 2
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(model,)) as pool:
        pending: deque[Future] = deque()
        try:
            while True:
                while len(pending) < window:
                    batch = list(islice(source, batch_size))
                    if not batch:
                        break
                    pending.append(pool.submit(_work, batch))
                if not pending:
                    return
                yield from pending.popleft().result()
        except BrokenProcessPool as exc:
            raise GraphkitError(f"an extraction worker process died ({exc})") from None


def extract_parallel(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    workers: int = 2,
    batch_size: int = 16,
    on_article: Callable[[Article, list[Claim]], None] | None = None,
) -> Iterator[Claim]:
    """Claims of each article, in input order, extracted by ``workers`` processes."""
    for result in results_parallel(articles, model=model, workers=workers, batch_size=batch_size):
        if on_article is not None:
            on_article(result.article, list(result.claims))
        yield from result.claims
