"""graphkit: news articles to a knowledge graph of political and business relationships."""

from graphkit.errors import GraphkitError, InputError, ModelNotFoundError, ResourceError
from graphkit.extract import extract, extract_articles, extract_results
from graphkit.model import Article, Claim, EntityRef, Evidence
from graphkit.readers import read_articles

__version__ = "0.1.0"

__all__ = [
    "extract", "extract_articles", "extract_results", "read_articles", "KnowledgeGraph",
    "Article", "Claim", "EntityRef", "Evidence",
    "GraphkitError", "InputError", "ModelNotFoundError", "ResourceError",
]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    """``KnowledgeGraph`` loads networkx, which extraction alone never needs: imported
    on first use."""
    if name == "KnowledgeGraph":
        from graphkit.graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
