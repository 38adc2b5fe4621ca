"""Extraction: spaCy components that turn an article into claims.

Importing this package registers the component factories
``graphkit_mentions``, ``graphkit_coref`` and ``graphkit_relations``.
"""

from graphkit.extraction.coref import make_coref
from graphkit.extraction.mentions import make_mentions
from graphkit.extraction.relations import make_relations

__all__ = ["make_mentions", "make_coref", "make_relations"]
