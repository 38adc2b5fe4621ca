"""Graph store loaders: one module per target behind one small contract (:mod:`loaders.base`).

Targets register by the form of the store spec and are imported lazily:

- a directory: the embedded FalkorDB store (:mod:`loaders.falkordb`), the default;
- ``neo4j://``, ``neo4j+s://``, ``bolt://`` (and ``+s``/``+ssc`` forms) URIs: Neo4j
  through the official driver (:mod:`loaders.neo4j`).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from loaders.base import GraphStore, Loader

__all__ = ["open_store", "default_store", "register", "GraphStore", "Loader"]

DEFAULT_STORE = "graphkit-store"
_SCHEMES: dict[str, tuple[str, str]] = {}


def register(scheme: str, module: str, cls: str) -> None:
    """Register a store class for URIs of ``scheme`` (``""`` is a directory)."""
    _SCHEMES[scheme] = (module, cls)


register("", "loaders.falkordb", "FalkorDBStore")
for _scheme in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"):
    register(_scheme, "loaders.neo4j", "Neo4jStore")


def default_store() -> str:
    """The store used without ``--store``: ``$GRAPHKIT_STORE``, else ``./graphkit-store``."""
    return os.environ.get("GRAPHKIT_STORE") or DEFAULT_STORE


def open_store(spec: str | Path | None = None) -> GraphStore:
    """Open the store a spec names (a directory or a Neo4j URI)."""
    spec = str(spec or default_store())
    scheme = spec.split("://", 1)[0].lower() if "://" in spec else ""
    if scheme not in _SCHEMES:
        from graphkit.errors import GraphkitError

        raise GraphkitError(f"unknown store {spec!r}: give a directory or a neo4j:// or bolt:// URI")
    module, cls = _SCHEMES[scheme]
    return getattr(importlib.import_module(module), cls)(spec)
