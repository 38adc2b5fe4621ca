"""Readers: files and directories to a stream of :class:`~graphkit.model.Article`.

Inputs are read lazily, one article at a time, so memory does not grow with
the number of articles. A bad input (unreadable, binary, bad UTF-8, empty, a
malformed JSON line) is reported through ``on_error`` as an
:class:`~graphkit.errors.InputError` naming the file and line, and reading
goes on with the next article; without ``on_error`` the error is raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from graphkit.errors import InputError
from graphkit.model import Article

__all__ = ["read_articles", "read_path", "split_date_line", "split_headline", "SUFFIXES"]

SUFFIXES = {".txt": "text", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
_DATE_LINE = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)

ErrorHandler = Callable[[InputError], None]


def split_date_line(text: str) -> tuple[str | None, int]:
    """Find a leading ``date YYYY-MM-DD`` line.

    Returns the date (or None) and the offset where the prose starts.

    Example:
        >>> split_date_line("date 2024-06-14\\nMusk said ...")
        ('2024-06-14', 16)
        >>> split_date_line("Musk said ...")
        (None, 0)
    """
    m = _DATE_LINE.match(text)
    return (m.group(1), m.end()) if m else (None, 0)


_HEADLINE = re.compile(r"[ \t]*(\S[^\n]{0,199}?)[ \t]*\r?\n[ \t]*\r?\n")
_HEADLINE_END = ".!?:;,\"'\u201d\u2019)"


def split_headline(text: str, start: int = 0) -> tuple[str | None, int]:
    r"""Find a headline at ``start``: a short first line without final punctuation
    followed by a blank line (the usual shape of a saved news article).

    Returns the headline (or None) and the offset where the prose starts.

    Example:
        >>> split_headline("Minister accused of misleading MPs\n\nThe minister said ...")
        ('Minister accused of misleading MPs', 36)
        >>> split_headline("The minister said so.\n\nShe left.")
        (None, 0)
    """
    m = _HEADLINE.match(text, start)
    if not m:
        return None, start
    line = m.group(1)
    if line.endswith(tuple(_HEADLINE_END)) or len(line.split()) > 25:
        return None, start
    return line, m.end()


def _decode(data: bytes, source: str, *, count_lines: bool = True) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = f"{source}:{line}" if count_lines else source
        raise InputError(where, f"invalid UTF-8 at byte {exc.start}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None


def _checked(article: Article, source: str) -> Article:
    if not article.text[split_date_line(article.text)[1]:].strip():
        raise InputError(source, "empty article")
    if article.date is None:
        date, _ = split_date_line(article.text)
        if date:
            article = Article(article.id, article.text, date, article.title,
                              article.source, article.url)
    return article


def _read_text(path: Path) -> Iterator[Article]:
    text = _decode(_read_bytes(path), str(path))
    title, _ = split_headline(text, split_date_line(text)[1])
    yield _checked(Article(id=path.stem, text=text, title=title), str(path))


def _read_html(path: Path) -> Iterator[Article]:
    import trafilatura

    html = _decode(_read_bytes(path), str(path))
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        raise InputError(str(path), "no article text found in the HTML page")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    article = Article(
        id=path.stem,
        text=data.get("text") or "",
        date=data.get("date"),
        title=data.get("title"),
        source=data.get("sitename") or data.get("hostname"),
        url=data.get("url"),
    )
    yield _checked(article, str(path))


def _read_jsonl(path: Path, on_error: ErrorHandler | None) -> Iterator[Article]:
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    with f:
        for n, raw in enumerate(f, 1):
            source = f"{path}:{n}"
            try:
                line = _decode(raw, source, count_lines=False).strip()
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(source, f"malformed JSON ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise InputError(source, "expected a JSON object")
                if "id" not in record or not isinstance(record.get("text"), str):
                    raise InputError(source, "an article needs \"id\" and a string \"text\"")
                yield _checked(Article.from_record(record), source)
            except InputError as exc:
                if on_error is None:
                    raise
                on_error(exc)


def read_path(path: str | Path, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Articles from one file or directory (its ``.txt``, ``.jsonl``, ``.html`` files)."""
    path = Path(path)
    try:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES):
                yield from read_path(child, on_error)
            return
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
        kind = SUFFIXES.get(path.suffix.lower(), "text")
        if kind == "jsonl":
            yield from _read_jsonl(path, on_error)
        elif kind == "html":
            yield from _read_html(path)
        else:
            yield from _read_text(path)
    except InputError as exc:
        if on_error is None:
            raise
        on_error(exc)


def read_articles(
    inputs: Iterable[str | Path], on_error: ErrorHandler | None = None
) -> Iterator[Article]:
    """Articles from several inputs, in order, streamed."""
    for item in inputs:
        yield from read_path(item, on_error)
