"""The embedded default store: FalkorDB on a directory (see :mod:`loaders.embedded`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loaders import cypher
from loaders.cypher_store import CypherStore
from loaders.embedded import EmbeddedServer, StoreError

__all__ = ["FalkorDBStore", "INDEXES"]

# FalkorDB has no REQUIRE constraints in 4.16; indexes make the MERGEs fast.
INDEXES = tuple(cypher.schema_statements("falkordb-indexes.cypher"))
BATCH = 5000


def _plain(value: Any) -> Any:
    """FalkorDB client values as plain Python (nodes and edges as property dicts)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    props = getattr(value, "properties", None)
    if isinstance(props, dict):
        out = {k: _plain(v) for k, v in props.items()}
        if hasattr(value, "labels"):
            out["_labels"] = list(value.labels or [])
        if getattr(value, "relation", None):
            out["_type"] = value.relation
        return out
    if hasattr(value, "nodes") and hasattr(value, "edges"):  # a path
        return {"nodes": [_plain(n) for n in value.nodes()], "edges": [_plain(e) for e in value.edges()]}
    return value


class FalkorDBStore(CypherStore):
    """Graph rows in an embedded FalkorDB whose data lives in ``directory``."""

    batch_size = BATCH

    def __init__(self, directory: str | Path, *, graph: str = "graphkit") -> None:
        super().__init__()
        self.server = EmbeddedServer(directory)
        self.server.__enter__()
        self.graph = self.server.graph(graph)
        self._indexed = False

    def _execute(self, query: str, params: dict[str, Any]) -> None:
        try:
            self.graph.query(query, params)
        except Exception as exc:  # the client's errors carry the server's message
            raise StoreError(f"FalkorDB: {exc}") from None

    def _prepare(self) -> None:
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        if self._indexed:
            return
        for statement in INDEXES:
            try:
                self.graph.query(statement)
            except Exception as exc:  # noqa: BLE001
                if "already indexed" not in str(exc).lower():
                    raise StoreError(f"FalkorDB: {exc}") from None
        self._indexed = True

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            result = self.graph.ro_query(query, params or {})
        except Exception as exc:  # noqa: BLE001
            if "empty key" in str(exc).lower():
                return []  # nothing was ever written to this store
            raise StoreError(f"FalkorDB: {exc}") from None
        header = [h[1] if isinstance(h, (list, tuple)) else h for h in result.header]
        return [{name: _plain(v) for name, v in zip(header, row)} for row in result.result_set]

    def close(self) -> None:
        self.server.close()
