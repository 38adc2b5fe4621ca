"""The graphkit exception tree.

::

    GraphkitError                 root of everything graphkit raises on purpose
     +-- InputError               an article or input file cannot be read
     +-- ModelNotFoundError       the spaCy pipeline is not installed
     +-- ResourceError            a data file (ontology, lexicon, gazetteer) is invalid

The CLI turns each of these into one line on stderr and a non-zero exit
status; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = ["GraphkitError", "InputError", "ModelNotFoundError", "ResourceError"]


class GraphkitError(Exception):
    """Root of the errors graphkit raises on purpose."""


class InputError(GraphkitError):
    """An input cannot be read as an article.

    Args:
        source: the file (and line, for JSON Lines) the problem is in.
        reason: what is wrong, in a few words.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ModelNotFoundError(GraphkitError):
    """The requested spaCy pipeline is not installed."""


class ResourceError(GraphkitError):
    """A bundled or user-supplied data file is malformed."""
