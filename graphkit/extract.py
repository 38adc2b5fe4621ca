"""The extraction entry point: articles in, claims out.

Example:
    >>> import graphkit
    >>> claims = list(graphkit.extract(["Tesla CEO Elon Musk met Donald Trump on Monday."]))
    >>> sorted({(c.subject.id, c.relation, c.object.id) for c in claims})
    [('elon-musk', 'LEADS', 'tesla'), ('elon-musk', 'MEETS', 'donald-trump')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from graphkit.extraction.state import state
from graphkit.extraction.syntax import phrase
from graphkit.ids import entity_id
from graphkit.model import Article, ArticleResult, Claim, Entity, EntityRef, Evidence
from graphkit.pipeline import load_pipeline
from graphkit.readers import split_date_line, split_headline

__all__ = ["extract", "extract_articles", "extract_results", "doc_claims", "doc_entities", "prose"]


# Typographic apostrophes read as straight ones: spaCy's tokenizer and model split
# "Prosecutor General\u2019s Office" wrongly. One character for one, so offsets hold.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def prose(text: str, title: str | None = None) -> str:
    """The text the parser reads, offsets kept: a leading ``date`` line and the
    article's headline line (when the text starts with it) blanked out, and
    typographic apostrophes made straight."""
    _, start = split_date_line(text)
    headline, after = split_headline(text, start)
    if headline is not None and title is not None and headline == title.strip():
        start = after
    text = text.translate(_APOSTROPHES)
    return " " * start + text[start:] if start else text


def doc_claims(doc: Doc, article: Article) -> list[Claim]:
    """The claims of a processed doc, in reading order."""
    st = state(doc)
    text = article.text
    parsed = doc.text  # the article text with its date line blanked
    claims = []
    for raw in sorted(st.claims, key=lambda c: (c.sent_start, c.trigger)):
        subj, obj = st.entities[raw.subject], st.entities[raw.object]
        sent = doc[raw.sent_start:raw.sent_end]
        start = sent.start_char
        end = sent.end_char
        while start < end and parsed[start].isspace():
            start += 1
        while end > start and parsed[end - 1].isspace():
            end -= 1
        claims.append(Claim(
            article_id=article.id,
            subject=EntityRef(entity_id(subj.name), subj.name, subj.type),
            relation=raw.relation,
            object=EntityRef(entity_id(obj.name), obj.name, obj.type),
            qualifiers={k: v for k, v in raw.qualifiers.items() if v},
            evidence=Evidence(text[start:end], start, end),
            confidence=raw.confidence,
        ))
    return claims


def doc_entities(doc: Doc, claims: list[Claim]) -> list[Entity]:
    """The entities the claims of a doc name, with their aliases (pronouns excluded)."""
    st = state(doc)
    wanted = {c.subject.id for c in claims} | {c.object.id for c in claims} | {
        c.qualifiers["attributed_to"] for c in claims if c.qualifiers.get("attributed_to")}
    out: dict[str, Entity] = {}
    for ent in st.entities:
        eid = entity_id(ent.name)
        if eid not in wanted:
            continue
        aliases = set(ent.aliases)
        named = {i for start, end in ent.mentions for i in range(start, end)}
        for i, idx in st.token_entity.items():  # descriptions resolved to it ("the Tesla CEO")
            if idx == ent.idx and i not in named and doc[i].pos_ in ("NOUN", "PROPN"):
                aliases.add(phrase(doc[i]).text)
        aliases = {a.strip() for a in aliases if a.strip() and a != ent.name}
        previous = out.get(eid)
        if previous is not None:
            aliases |= set(previous.aliases)
        out[eid] = Entity(eid, ent.name, ent.type, tuple(sorted(aliases)))
    return list(out.values())


def _as_article(item: Article | str, n: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        date, _ = split_date_line(item)
        return Article(id=f"text-{n}", text=item, date=date)
    if isinstance(item, dict):
        return Article.from_record(item)
    raise TypeError(f"cannot extract from {type(item).__name__}; give Article, dict or str")


def extract_results(
    articles: Iterable[Article], nlp: Language | None = None, *, batch_size: int = 32
) -> Iterator[ArticleResult]:
    """Per article, in input order: its claims and the entities they name."""
    nlp = nlp or load_pipeline()
    pairs = ((prose(a.text, a.title), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        claims = doc_claims(doc, article)
        yield ArticleResult(article, tuple(claims), tuple(doc_entities(doc, claims)))


def extract_articles(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    batch_size: int = 32,
    on_article: Callable[[Article, list[Claim]], None] | None = None,
) -> Iterator[Claim]:
    """Claims of each article, streamed in input order."""
    for result in extract_results(articles, nlp, batch_size=batch_size):
        if on_article is not None:
            on_article(result.article, list(result.claims))
        yield from result.claims


def extract(
    items: Iterable[Article | dict | str] | str,
    *,
    model: str | None = None,
) -> Iterator[Claim]:
    """Extract claims from texts, article dicts or :class:`Article` objects.

    Args:
        items: an iterable of articles (a single string is one article).
        model: a spaCy pipeline name; the default is ``en_core_web_sm``.

    Yields:
        :class:`~graphkit.model.Claim` records; ``claim.to_dict()`` is the
        JSON record of the contract.
    """
    if isinstance(items, str):
        items = [items]
    nlp = load_pipeline(model)
    return extract_articles((_as_article(x, n) for n, x in enumerate(items, 1)), nlp)
