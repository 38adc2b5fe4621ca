"""Readers: files, directories, JSON Lines and HTML pages to articles, and every bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import graphkit
from graphkit import Article, InputError, read_articles
from graphkit.readers import read_path, split_date_line

PROSE = "Tesla CEO Elon Musk met Donald Trump on Monday.\n\nThey talked about rockets.\n"


def collect(*inputs: str | Path) -> tuple[list[Article], list[InputError]]:
    errors: list[InputError] = []
    articles = list(read_articles(inputs, on_error=errors.append))
    return articles, errors


# -- .txt -----------------------------------------------------------------

def test_txt_with_date_line(tmp_path: Path) -> None:
    raw = "date 2024-06-14\n" + PROSE
    path = tmp_path / "musk-meets-trump.txt"
    path.write_text(raw, encoding="utf-8")
    [article] = read_articles([path])
    assert article.id == "musk-meets-trump"
    assert article.date == "2024-06-14"
    # the text is the file exactly as written: evidence offsets index it
    assert article.text == raw
    assert article.text[16:16 + 9] == "Tesla CEO"


def test_txt_without_date_line(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(PROSE, encoding="utf-8")
    [article] = read_articles([path])
    assert (article.id, article.date, article.text) == ("plain", None, PROSE)


def test_txt_keeps_non_ascii_and_strips_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffdate 2024-01-02\nEmily O’Reilly met Zoë.\n".encode())
    [article] = read_articles([path])
    assert article.date == "2024-01-02"
    assert article.text == "date 2024-01-02\nEmily O’Reilly met Zoë.\n"


def test_split_date_line() -> None:
    assert split_date_line("date 2024-06-14\nText") == ("2024-06-14", 16)
    assert split_date_line("Date 2024-06-14   \nText") == ("2024-06-14", 19)
    assert split_date_line("The date 2024-06-14 was a Friday.") == (None, 0)
    assert split_date_line("") == (None, 0)


# -- directories ----------------------------------------------------------

def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("date 2024-02-02\nSecond article.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article.", encoding="utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "c.txt").write_text("Third article.", encoding="utf-8")
    (sub / "d.jsonl").write_text(json.dumps({"id": "d1", "text": "Fourth."}) + "\n",
                                 encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    articles, errors = collect(tmp_path)
    assert errors == []
    assert [a.id for a in articles] == ["a", "b", "c", "d1"]
    assert articles[1].date == "2024-02-02"


def test_empty_directory_gives_no_articles(tmp_path: Path) -> None:
    assert collect(tmp_path) == ([], [])


# -- .jsonl ---------------------------------------------------------------

def test_jsonl_fields_and_extra_fields_ignored(tmp_path: Path) -> None:
    records = [
        {"id": "one", "text": "Apple CEO Tim Cook met Joe Biden.", "date": "2024-05-01",
         "title": "Cook meets Biden", "source": "Example Wire", "url": "https://example.com/1",
         "entities": [{"id": "tim-cook"}], "triples": [], "anything": {"else": 1}},
        {"id": 2, "text": "date 2023-03-03\nNo date field, but a date line."},
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    articles, errors = collect(path)
    assert errors == []
    assert articles == [
        Article("one", records[0]["text"], "2024-05-01", "Cook meets Biden", "Example Wire",
                "https://example.com/1"),
        Article("2", records[1]["text"], "2023-03-03"),
    ]


# -- .html ----------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Regulator fines Norvale over cloud contracts</title>
<meta property="article:published_time" content="2025-03-11T09:30:00Z">
</head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World news</a></nav>
<article>
<h1>Regulator fines Norvale over cloud contracts</h1>
<time datetime="2025-03-11">March 11, 2025</time>
<p>The European Commission on Tuesday fined Norvale Systems, the Dutch cloud computing
company, 410 million euros for tying its storage service to its business software.</p>
<p>Competition Commissioner Katrin Vollmer said Norvale had locked thousands of
<b>small businesses</b> into contracts that made switching to rival providers slow.</p>
<p>Norvale chief executive Pieter Hallstrom criticized the decision and said the company
would appeal to the General Court in Luxembourg.</p>
<p>Vollmer met the heads of several European providers in Brussels last month and said
more cases could follow if the industry does not change.</p>
</article>
<footer>Copyright 2025 Example News. All rights reserved.</footer>
</body>
</html>
"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "norvale-fine.html"
    path.write_text(HTML, encoding="utf-8")
    [article] = read_articles([path])
    assert article.id == "norvale-fine"
    assert article.date == "2025-03-11"
    assert article.title == "Regulator fines Norvale over cloud contracts"
    text = " ".join(article.text.split())
    assert "fined Norvale Systems, the Dutch cloud computing company" in text
    assert "thousands of small businesses into contracts" in text
    assert "appeal to the General Court in Luxembourg" in text
    assert "<" not in article.text and ">" not in article.text
    assert "Copyright" not in article.text


# -- bad inputs -----------------------------------------------------------

def _bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty article"),
    ("blank.txt", b"  \n\n\t\n", "empty article"),
    ("binary.txt", b"GIF89a\x00\x01\x02\x00\xff", "binary"),
    ("latin1.txt", "date 2024-01-01\nCafé owner met Trump.".encode("latin-1"), "UTF-8"),
])
def test_bad_file_is_reported_and_reading_goes_on(tmp_path: Path, name: str, content: bytes,
                                                  reason: str) -> None:
    bad = _bad(tmp_path, name, content)
    good = _bad(tmp_path, "good.txt", b"Fine article.")
    articles, errors = collect(bad, good)
    assert [a.id for a in articles] == ["good"]
    [error] = errors
    assert error.source.startswith(str(bad))
    assert reason in error.reason
    assert "\n" not in str(error)


def test_bad_utf8_names_the_line(tmp_path: Path) -> None:
    bad = _bad(tmp_path, "latin1.txt", "date 2024-01-01\nFine line.\nCafé.".encode("latin-1"))
    [error] = collect(bad)[1]
    assert error.source == f"{bad}:3"


def test_date_line_alone_is_an_empty_article(tmp_path: Path) -> None:
    bad = _bad(tmp_path, "dateonly.txt", b"date 2024-01-01\n")
    articles, errors = collect(bad)
    assert articles == []
    assert [(e.source, e.reason) for e in errors] == [(str(bad), "empty article")]


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    articles, errors = collect(missing, tmp_path / "no-such-dir")
    assert articles == []
    assert [e.source for e in errors] == [str(missing), str(tmp_path / "no-such-dir")]
    assert all("no such file" in e.reason for e in errors)


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted-target.txt")
    (tmp_path / "ok.txt").write_text("Still read.", encoding="utf-8")
    articles, errors = collect(tmp_path)
    assert [a.id for a in articles] == ["ok"]
    assert [e.source for e in errors] == [str(link)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file(tmp_path: Path) -> None:
    bad = _bad(tmp_path, "secret.txt", b"Unreadable.")
    bad.chmod(0)
    try:
        articles, errors = collect(bad)
    finally:
        bad.chmod(0o644)
    assert articles == []
    [error] = errors
    assert error.source == str(bad) and "cannot read" in error.reason


def test_malformed_jsonl_lines_name_file_and_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "First."}),
        '{"id": "broken", "text": ',
        "",
        "[1, 2, 3]",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "blank", "text": "  "}),
        json.dumps({"id": "a7", "text": "Seventh."}),
    ]
    path = tmp_path / "mixed.jsonl"
    data = "\n".join(lines).encode() + b"\n" + '{"id": "x", "text": "Caf\xe9"}'.encode("latin-1")
    path.write_bytes(data + b"\n" + json.dumps({"id": "a9", "text": "Ninth."}).encode())
    articles, errors = collect(path)
    assert [a.id for a in articles] == ["a1", "a7", "a9"]
    assert [e.source for e in errors] == [f"{path}:{n}" for n in (2, 4, 5, 6, 8)]
    assert "malformed JSON" in errors[0].reason
    assert "empty article" in errors[3].reason
    assert "UTF-8" in errors[4].reason


def test_without_handler_the_error_is_raised(tmp_path: Path) -> None:
    bad = _bad(tmp_path, "empty.txt", b"")
    with pytest.raises(InputError, match="empty.txt: empty article"):
        list(read_path(bad))


def test_reading_is_lazy(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    stream = read_articles([tmp_path / "a.txt", tmp_path / "missing.txt"])
    assert next(stream).id == "a"  # the missing second input is not touched yet
    with pytest.raises(InputError):
        next(stream)


# -- headlines ---------------------------------------------------------------

def test_txt_headline_is_the_title_not_prose(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    """A short first line without final punctuation, then a blank line, is the title:
    it is kept in the text (offsets hold) but never read as a claim."""
    from graphkit.extract import extract_articles

    raw = ("Marlow Docks sued by Keel Freight over unpaid fees\n\n"
           "Shares in Marlow Docks fell on Tuesday after a court hearing in Leeds.\n")
    path = tmp_path / "headline.txt"
    path.write_text(raw, encoding="utf-8")
    [article] = read_articles([path])
    assert article.title == "Marlow Docks sued by Keel Freight over unpaid fees"
    assert article.text == raw
    claims = list(extract_articles([article], nlp))
    assert all("sued" not in c.evidence.text for c in claims)
    # read as prose, the same line is a claim
    assert any(c.relation == "SUES" for c in graphkit.extract([raw.replace("\n\n", ".\n\n", 1)]))


@pytest.mark.parametrize("text", [
    "The minister resigned on Tuesday.\n\nHer deputy takes over.",  # a sentence, not a headline
    "Harbour boss quits\nShares fell.",  # no blank line after it
])
def test_txt_without_headline(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    [article] = read_articles([path])
    assert article.title is None


def test_headline_after_date_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2024-03-01\nMinister quits over loans row\n\nThe minister quit.", encoding="utf-8")
    [article] = read_articles([path])
    assert (article.date, article.title) == ("2024-03-01", "Minister quits over loans row")
