"""``graphkit extract`` run as a whole process, on good and bad inputs.

Each run loads spaCy (a few seconds), so the runs are module fixtures shared
by several small tests: one run over good inputs of every format, one over a
mix of good and bad inputs, one with a missing model, one with ``-o -`` and
a forced progress bar.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from graphkit import read_articles
from tests.conftest import REPO, run_graphkit
from tests.test_readers import HTML

SUMMARY = re.compile(r"^graphkit: (\d+) articles, (\d+) claims, (\d+) errors$")
ERROR = "graphkit: error: "
# Sentences the extractor handles from its first version (see graphkit/extract.py).
MEET = "Tesla CEO Elon Musk met Donald Trump on Monday."
MEET2 = "Apple CEO Tim Cook met Joe Biden in Washington."


def summary(stderr: str) -> tuple[int, int, int]:
    last = stderr.rstrip("\n").splitlines()[-1]
    m = SUMMARY.match(last)
    assert m, f"last stderr line is not the summary: {last!r}"
    return int(m[1]), int(m[2]), int(m[3])


def claims_of(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def assert_no_progress(stderr: str) -> None:
    assert "\r" not in stderr
    assert "articles/s" not in stderr and "it/s" not in stderr


# -- a run over good inputs of every format -------------------------------

@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("good")
    (d / "dated.txt").write_text(f"date 2024-06-14\n{MEET}\n\nIt was their third meeting.\n",
                                 encoding="utf-8")
    folder = d / "folder"
    (folder / "nested").mkdir(parents=True)
    (folder / "first.txt").write_text(MEET2, encoding="utf-8")
    (folder / "nested" / "second.txt").write_text(f"Some context first. {MEET}",
                                                  encoding="utf-8")
    (folder / "README.md").write_text(f"Not an article. {MEET}", encoding="utf-8")
    (d / "batch.jsonl").write_text(
        json.dumps({"id": "j1", "text": MEET, "date": "2024-01-01", "source": "Wire",
                    "entities": [{"id": "someone-else"}],
                    "triples": [{"subject": "a", "relation": "SUES", "object": "b"}]}) + "\n"
        + json.dumps({"id": "j2", "text": MEET2, "title": "Cook meets Biden"}) + "\n",
        encoding="utf-8")
    (d / "norvale-fine.html").write_text(HTML, encoding="utf-8")
    inputs = [d / "dated.txt", folder, d / "batch.jsonl", d / "norvale-fine.html"]
    out = d / "claims.jsonl"
    proc = run_graphkit("extract", *inputs, "-o", out)
    articles = {a.id: a for a in read_articles(inputs)}
    return proc, claims_of(out) if out.exists() else [], articles


def test_good_inputs_succeed(good_run) -> None:  # type: ignore[no-untyped-def]
    proc, claims, articles = good_run
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr  # the summary line alone
    n_articles, n_claims, n_errors = summary(proc.stderr)
    assert (n_articles, n_claims, n_errors) == (6, len(claims), 0)
    assert_no_progress(proc.stderr)


def test_every_input_format_gives_claims(good_run) -> None:  # type: ignore[no-untyped-def]
    _, claims, articles = good_run
    assert set(articles) == {"dated", "first", "second", "j1", "j2", "norvale-fine"}
    assert {c["article_id"] for c in claims} == set(articles)
    triples = {(c["article_id"], c["subject"]["id"], c["relation"], c["object"]["id"])
               for c in claims}
    for article_id in ("dated", "second", "j1"):
        assert (article_id, "elon-musk", "MEETS", "donald-trump") in triples
    for article_id in ("first", "j2"):
        assert (article_id, "tim-cook", "LEADS", "apple") in triples


def test_evidence_offsets_index_the_original_text(good_run) -> None:  # type: ignore[no-untyped-def]
    _, claims, articles = good_run
    assert claims
    for c in claims:
        text = articles[c["article_id"]].text
        ev = c["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"], c


def test_evidence_leaves_out_the_date_line(good_run) -> None:  # type: ignore[no-untyped-def]
    _, claims, _ = good_run
    dated = [c["evidence"] for c in claims if c["article_id"] == "dated"]
    assert dated and all(ev["start"] >= len("date 2024-06-14\n") for ev in dated)
    assert all(not ev["text"].startswith("date") for ev in dated)


def test_output_records_are_json_lines(good_run) -> None:  # type: ignore[no-untyped-def]
    _, claims, _ = good_run
    for c in claims:
        assert set(c) >= {"article_id", "subject", "relation", "object", "qualifiers",
                          "evidence", "confidence"}
        assert {"polarity", "modality"} <= set(c["qualifiers"])


# -- a run over good and bad inputs together ------------------------------

@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("bad")
    (d / "good.txt").write_text(f"date 2024-06-14\n{MEET}", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b" \n\n \t\n")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    (d / "latin1.txt").write_bytes("Café owner met the mayor.".encode("latin-1"))
    (d / "dangling.txt").symlink_to(d / "deleted.txt")
    folder = d / "folder"
    folder.mkdir()
    (folder / "ok.txt").write_text(MEET2, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x00\x00")
    (d / "mixed.jsonl").write_text(
        json.dumps({"id": "j1", "text": MEET, "triples": []}) + "\n"
        + '{"id": "j2", "text": "unterminated\n'
        + "[1, 2]\n"
        + json.dumps({"id": "j4"}) + "\n"
        + json.dumps({"id": "j5", "text": MEET2, "extra": True}) + "\n",
        encoding="utf-8")
    unreadable = []
    if os.geteuid() != 0:
        locked = d / "locked.txt"
        locked.write_text(MEET, encoding="utf-8")
        locked.chmod(0)
        unreadable.append(locked)
    inputs = [d / "good.txt", d / "empty.txt", d / "blank.txt", d / "binary.txt",
              d / "latin1.txt", d / "dangling.txt", *unreadable, d / "missing.txt", folder,
              d / "mixed.jsonl"]
    out = d / "claims.jsonl"
    proc = run_graphkit("extract", *inputs, "-o", out)
    for path in unreadable:
        path.chmod(0o644)
    expected_errors = {
        str(d / "empty.txt"): "empty article",
        str(d / "blank.txt"): "empty article",
        str(d / "binary.txt"): "binary",
        str(d / "latin1.txt"): "UTF-8",
        str(d / "dangling.txt"): "no such file",
        str(d / "missing.txt"): "no such file",
        str(folder / "broken.txt"): "binary",
        f"{d / 'mixed.jsonl'}:2": "malformed JSON",
        f"{d / 'mixed.jsonl'}:3": "JSON object",
        f"{d / 'mixed.jsonl'}:4": "text",
        **{str(p): "cannot read" for p in unreadable},
    }
    return proc, claims_of(out) if out.exists() else None, expected_errors


def test_bad_inputs_exit_non_zero_without_traceback(bad_run) -> None:  # type: ignore[no-untyped-def]
    proc, _, _ = bad_run
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert_no_progress(proc.stderr)


def test_each_bad_input_is_one_line_naming_it(bad_run) -> None:  # type: ignore[no-untyped-def]
    proc, _, expected = bad_run
    lines = proc.stderr.rstrip("\n").splitlines()
    errors = [line for line in lines if line.startswith(ERROR)]
    assert len(lines) == len(errors) + 1  # every other line is an error line
    reported = {}
    for line in errors:
        source, _, reason = line[len(ERROR):].partition(": ")
        # bad UTF-8 also names the line: "latin1.txt:1"
        if source not in expected and source.rsplit(":", 1)[0] in expected:
            source = source.rsplit(":", 1)[0]
        reported[source] = reason
    assert sorted(reported) == sorted(expected)
    assert len(errors) == len(expected), errors
    for source, reason in expected.items():
        assert reason in reported[source], (source, reported[source])


def test_good_articles_are_still_extracted(bad_run) -> None:  # type: ignore[no-untyped-def]
    proc, claims, expected = bad_run
    assert claims is not None, "no output file written"
    assert {c["article_id"] for c in claims} == {"good", "ok", "j1", "j5"}
    assert summary(proc.stderr) == (4, len(claims), len(expected))


# -- a missing spaCy model ------------------------------------------------

def test_missing_model_is_one_line_naming_the_fix(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(MEET, encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    proc = run_graphkit("extract", tmp_path / "a.txt", "-o", out, "--model", "no_such_model")
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(ERROR) and "no_such_model" in lines[0]
    assert "pip install" in lines[0] and "--model" in lines[0]
    assert not out.exists()


# -- progress bar and standard output -------------------------------------

def test_progress_always_and_stdout_output(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(MEET, encoding="utf-8")
    proc = run_graphkit("extract", src, "-o", "-", "--progress", "always")
    assert proc.returncode == 0, proc.stderr
    assert "articles/s" in proc.stderr  # the bar was drawn although stderr is a pipe
    assert summary(proc.stderr) == (1, len(proc.stdout.splitlines()), 0)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {r["article_id"] for r in records} == {"a"}


def test_usage_error_exits_2(tmp_path: Path) -> None:
    proc = run_graphkit("extract", tmp_path / "a.txt")  # no -o
    assert proc.returncode == 2
    assert "usage:" in proc.stderr and "Traceback" not in proc.stderr


# -- the README and CI agree ----------------------------------------------

def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(python3 -m venv \.venv && .+)$", readme, re.MULTILINE)
    test_command = [c for c in commands if "pytest" in c]
    assert len(test_command) == 1, commands
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command[0] in ci.splitlines()
    assert (REPO / ".ci" / "run").stat().st_mode & 0o111
    assert subprocess.run(["bash", "-n", str(REPO / ".ci" / "run")]).returncode == 0
