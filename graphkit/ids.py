"""Entity ids: the canonical name lower-cased, ASCII-folded, non-alphanumerics to ``-``."""

from __future__ import annotations

import re

from anyascii import anyascii

__all__ = ["entity_id", "fold"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def entity_id(name: str) -> str:
    """Return the id of an entity from its canonical name.

    Example:
        >>> entity_id("Elon Musk")
        'elon-musk'
        >>> entity_id("U.S. Space Force")
        'u-s-space-force'
        >>> entity_id("Emily O’Reilly")
        'emily-o-reilly'
        >>> entity_id("Zoë Łukasik")
        'zoe-lukasik'
    """
    return _NON_ALNUM.sub("-", anyascii(name).lower()).strip("-")


def fold(text: str) -> str:
    """Fold a surface form for matching: ASCII, lower case, single spaces, no punctuation.

    Example:
        >>> fold("  The  Tesla CEO’s ")
        'the tesla ceo s'
    """
    return _NON_ALNUM.sub(" ", anyascii(text).lower()).strip()
