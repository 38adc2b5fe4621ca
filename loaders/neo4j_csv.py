"""Bulk export for first loads of millions of claims: CSV files for ``neo4j-admin``.

Writes one CSV file per node kind and per relationship kind in the header
format of ``neo4j-admin database import full``, and ``import.sh`` with the
command line that reads them. Direct relationships are aggregated here from
the claims, as the stores do. Lists are joined with the ASCII unit separator
(U+001F), passed as ``--array-delimiter``, so no text value can split them.
"""

from __future__ import annotations

import csv
import shlex
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.rows import EDGE_LISTS, QUALIFIER_FIELDS, EdgeAggregator, GraphBatch
from loaders.base import Loader, LoadStats
from loaders.cypher import labels, relation_types

__all__ = ["Neo4jCsvExport", "ARRAY_DELIMITER"]

ARRAY_DELIMITER = "\x1f"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, " ") for v in value)
    return str(value)


class Neo4jCsvExport(Loader):
    """Graph rows as CSV files in ``directory`` plus the ``neo4j-admin`` command line."""

    def __init__(self, directory: str | Path, *, database: str = "neo4j") -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GraphkitError(f"{directory}: cannot create the export directory ({exc.strerror})") from None
        self.database = database
        self._entities: dict[str, dict[str, Any]] = {}
        self._articles: dict[str, dict[str, Any]] = {}
        self._mentions: set[tuple[str, str]] = set()
        self._claim_ids: set[str] = set()
        self._edges = EdgeAggregator()
        self._files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        self._claim_header = ["id:ID(Claim)", "relation", "article_id", "subject", "object",
                              *QUALIFIER_FIELDS, "evidence", "start:int", "end:int",
                              "confidence:float", ":LABEL"]
        self._writer("claims.csv", self._claim_header)
        self._writer("claim_subject.csv", [":START_ID(Claim)", ":END_ID(Entity)", ":TYPE"])
        self._writer("claim_object.csv", [":START_ID(Claim)", ":END_ID(Entity)", ":TYPE"])
        self._writer("claim_from.csv", [":START_ID(Claim)", ":END_ID(Article)", ":TYPE"])

    def _writer(self, name: str, header: list[str]) -> Any:
        if name not in self._writers:
            try:
                f = open(self.directory / name, "w", encoding="utf-8", newline="")
            except OSError as exc:
                raise GraphkitError(f"{self.directory / name}: cannot write ({exc.strerror})") from None
            self._files[name] = f
            self._writers[name] = csv.writer(f)
            self._writers[name].writerow(header)
        return self._writers[name]

    def write(self, batch: GraphBatch) -> None:
        for a in batch.articles:
            self._articles[a["id"]] = a
        for e in batch.entities:
            known = self._entities.setdefault(e["id"], {**e, "aliases": []})
            if e.get("external_id"):
                known["external_id"] = e["external_id"]
            for alias in e["aliases"]:
                if alias not in known["aliases"]:
                    known["aliases"].append(alias)
        self._mentions.update((m["article"], m["entity"]) for m in batch.mentions)
        claims = self._writers["claims.csv"]
        for c in batch.claims:
            if c["id"] in self._claim_ids:
                continue
            self._claim_ids.add(c["id"])
            claims.writerow([_text(c.get(k)) for k in (
                "id", "relation", "article_id", "subject", "object", *QUALIFIER_FIELDS, "evidence",
                "start", "end", "confidence")] + ["Claim"])
            self._writers["claim_subject.csv"].writerow([c["id"], c["subject"], "SUBJECT"])
            self._writers["claim_object.csv"].writerow([c["id"], c["object"], "OBJECT"])
            self._writers["claim_from.csv"].writerow([c["id"], c["article_id"], "FROM"])
            self._edges.add(c, (self._articles.get(c["article_id"]) or {}).get("date"))

    def finalize(self) -> LoadStats:
        known_labels = labels()
        w = self._writer("entities.csv", ["id:ID(Entity)", "name", "aliases:string[]", "type", "external_id",
                                          ":LABEL"])
        for e in self._entities.values():
            label = e["type"] if e["type"] in known_labels else ""
            w.writerow([e["id"], e["name"], _text(e["aliases"]), e["type"], _text(e.get("external_id")),
                        ";".join(filter(None, ["Entity", label]))])
        w = self._writer("articles.csv", ["id:ID(Article)", "title", "date", "source", "url", ":LABEL"])
        for a in self._articles.values():
            w.writerow([_text(a.get(k)) for k in ("id", "title", "date", "source", "url")] + ["Article"])
        w = self._writer("mentions.csv", [":START_ID(Article)", ":END_ID(Entity)", ":TYPE"])
        for article, entity in sorted(self._mentions):
            w.writerow([article, entity, "MENTIONS"])
        types = set(relation_types())
        w = self._writer("relationships.csv", [
            ":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "claim_count:int",
            *(f"{k}:string[]" for k in EDGE_LISTS), "first_seen", "last_seen", "denied:boolean",
            "negated:boolean", "hypothetical:boolean", "confidence:float"])
        for (s, rel, o), e in sorted(self._edges.edges.items()):
            if rel not in types:
                continue
            w.writerow([s, o, rel, e["claim_count"], *(_text(e[k]) for k in EDGE_LISTS),
                        _text(e["first_seen"]), _text(e["last_seen"]), _text(e["denied"]),
                        _text(e["negated"]), _text(e["hypothetical"]), e["confidence"]])
        for f in self._files.values():
            f.close()
        self._files.clear()
        (self.directory / "import.sh").write_text(self.command() + "\n", encoding="utf-8")
        return LoadStats(edges=len(self._edges.edges), claims=len(self._claim_ids),
                         entities=len(self._entities), articles=len(self._articles))

    def command(self) -> str:
        """The ``neo4j-admin`` command line that imports the files (run from this directory)."""
        nodes = ["entities.csv", "articles.csv", "claims.csv"]
        rels = ["relationships.csv", "mentions.csv", "claim_subject.csv", "claim_object.csv",
                "claim_from.csv"]
        args = ["neo4j-admin", "database", "import", "full", self.database,
                *(f"--nodes={n}" for n in nodes), *(f"--relationships={r}" for r in rels),
                "--array-delimiter=U+001F", "--multiline-fields=true", "--overwrite-destination"]
        return "#!/bin/sh\n# Import graphkit's export into a stopped Neo4j 5 (run from this directory).\n" + \
            " ".join(shlex.quote(a) for a in args)

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()
