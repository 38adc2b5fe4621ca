"""Neo4j through the official ``neo4j`` driver.

The URI comes from ``--store`` (or ``NEO4J_URI``); credentials only from the
environment (``NEO4J_USERNAME``, ``NEO4J_PASSWORD``; ``NEO4J_DATABASE`` picks a
database), never from the command line, and never printed. The constraints
of ``schemas/neo4j-constraints.cypher`` are created first; rows are written
as batched ``UNWIND $rows ... MERGE`` in managed transactions, which the
driver retries on transient errors; loads are idempotent.

``transactions="auto"`` runs every statement as an auto-commit query instead:
that is what FalkorDB's experimental Bolt port serves reliably, and how the
tests exercise this loader without a Neo4j server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphkit.errors import GraphkitError
from loaders import cypher
from loaders.cypher_store import CypherStore

__all__ = ["Neo4jStore", "Neo4jError"]


class Neo4jError(GraphkitError):
    """Neo4j cannot be reached, refuses the credentials, or rejects a statement."""


class Neo4jStore(CypherStore):
    """Graph rows in a Neo4j database (or any Bolt server that runs the same Cypher)."""

    def __init__(self, uri: str | None = None, *, driver: Any = None, database: str | None = None,
                 transactions: str = "managed", schema: bool = True) -> None:
        import neo4j

        super().__init__()
        self._neo4j = neo4j
        self.uri = uri or os.environ.get("NEO4J_URI") or ""
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        if transactions not in ("managed", "auto"):
            raise ValueError("transactions must be 'managed' or 'auto'")
        self.transactions = transactions
        self._own_driver = driver is None
        if driver is None:
            if not self.uri:
                raise Neo4jError("no Neo4j URI: give --store neo4j://... or set NEO4J_URI")
            user, password = os.environ.get("NEO4J_USERNAME"), os.environ.get("NEO4J_PASSWORD")
            auth = (user, password or "") if user else None
            try:
                driver = neo4j.GraphDatabase.driver(self.uri, auth=auth)
            except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
                raise Neo4jError(f"bad Neo4j URI: {exc}") from None
        self.driver = driver
        self._schema_done = not schema

    # -- running ------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """The driver's errors as one :class:`Neo4jError` line each (no traceback)."""
        exceptions = self._neo4j.exceptions
        try:
            yield
        except exceptions.AuthError:
            raise Neo4jError("Neo4j refused the credentials in NEO4J_USERNAME/NEO4J_PASSWORD") from None
        except exceptions.ServiceUnavailable as exc:
            raise Neo4jError(f"Neo4j is not reachable ({exc})") from None
        except exceptions.Neo4jError as exc:
            raise Neo4jError(f"Neo4j: {exc.message or exc}") from None
        except exceptions.DriverError as exc:
            raise Neo4jError(f"Neo4j driver: {exc}") from None

    def _write(self, query: str, params: dict[str, Any]) -> None:
        with self._errors(), self.driver.session(database=self.database) as session:
            if self.transactions == "auto":
                session.run(query, params).consume()
            else:
                session.execute_write(lambda tx: tx.run(query, params).consume())

    def _execute(self, query: str, params: dict[str, Any]) -> None:
        self._write(query, params)

    def _prepare(self) -> None:
        if self._schema_done:
            return
        for statement in cypher.schema_statements("neo4j-constraints.cypher"):
            self._write(statement, {})
        self._schema_done = True

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._errors():
            if self.transactions == "auto":
                # FalkorDB's Bolt endpoint reads a read-access session's "mode" as a graph name
                # (seen 2026-11-25), so auto-commit reads use a default session
                with self.driver.session(database=self.database) as session:
                    return [r.data() for r in session.run(query, params or {})]
            with self.driver.session(database=self.database,
                                     default_access_mode=self._neo4j.READ_ACCESS) as session:
                return session.execute_read(lambda tx: [r.data() for r in tx.run(query, params or {})])

    def close(self) -> None:
        if self._own_driver and self.driver is not None:
            self.driver.close()
        self.driver = None
