"""The ``kg`` command: serve, load, query, dump, stats, backup.

Exit codes: 0 ok, 1 rejected input (malformed RDF or SPARQL, violations), 2 any other error.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg import errors
from kg.config import Settings
from kg.procenv import child_env

app = typer.Typer(
    help="osec-kg: a knowledge graph of the fight against online sexual exploitation of "
    "children and human trafficking, served over SPARQL 1.1.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store URL: 'memory:' or 'oxigraph:///dir' (default: KG_STORE, "
        "else <KG_DATA_DIR>/store).",
    ),
]


def _settings(store: str | None = None, **overrides: object) -> Settings:
    settings = Settings()
    if store:
        settings.store = store
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    return settings


def _fail(exc: errors.KgError) -> None:
    report = exc.extra.get("report") if isinstance(exc, errors.ValidationFailed) else None
    if report:
        table = Table(
            "severity", "focus node", "path", "value", "what to fix", title="SHACL report"
        )
        for r in report.get("results", []):
            table.add_row(
                r.get("severity"),
                r.get("focus_node"),
                r.get("path") or "",
                r.get("value") or "",
                r.get("text") or r.get("message") or "",
            )
        err.print(table)
        err.print(
            f"[bold red]rejected:[/] {report.get('violations')} violation(s); nothing was written"
        )
    else:
        err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
    raise typer.Exit(exc.exit_code)


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOpt = None,
    timeout: Annotated[
        float | None, typer.Option(help="Query timeout in seconds (default 30).")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Query worker processes (default 2).")] = None,
    log_level: Annotated[str, typer.Option(help=f"Log level: {', '.join(LOG_LEVELS)}.")] = "info",
) -> None:
    """Start the SPARQL service on the store, loading the bundled graph into an empty store."""
    if log_level.lower() not in LOG_LEVELS:
        raise typer.BadParameter(
            f"{log_level!r} is not one of {', '.join(LOG_LEVELS)}", param_hint="--log-level"
        )
    settings = _settings(store, host=host, port=port, query_timeout=timeout, workers=workers)
    # The app factory reads its settings from the environment: hand ours over that way.
    for key, value in (
        ("STORE", settings.store_url()),
        ("HOST", settings.host),
        ("PORT", settings.port),
        ("QUERY_TIMEOUT", settings.query_timeout),
        ("WORKERS", settings.workers),
    ):
        os.environ[f"KG_{key}"] = str(value)
    # The web layer runs in this same process (same pid, same signals), but as a program of its
    # own, so the library never imports it: the ``api`` beside this ``kg`` (-P and PYTHONPATH).
    argv = [sys.executable, "-P", "-m", "api.serve", "--log-level", log_level.lower()]
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, argv, child_env())
    except OSError as exc:
        _fail(errors.KgError(f"cannot start the service ({exc})"))


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files (format from the extension).")],
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="Format of all files.")
    ] = None,
    graph: Annotated[
        str | None,
        typer.Option(
            help="Named graph for triples outside a graph (default: the file's file:// IRI)."
        ),
    ] = None,
    store: StoreOpt = None,
    no_validate: Annotated[
        bool,
        typer.Option(
            "--no-validate", help="Skip the SHACL gate (an operator's choice; it is logged)."
        ),
    ] = False,
) -> None:
    """Load files in one transaction: all of them, or (on any error) nothing."""
    from kg.loading import Source, read_quads
    from kg.store import open_store

    try:
        sources = [Source.file(f, format, graph) for f in files]
        for src in sources:
            if src.path is not None and not src.path.is_file():
                raise errors.InputError(f"{src.name}: no such file")
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} quads"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        if no_validate:
            logging.getLogger("kg").warning("loading without validation (--no-validate)")
            err.print("[yellow]warning:[/] loading without SHACL validation (--no-validate)")
            st = open_store(_settings(store), workers=0)
            try:
                with progress:
                    progress.add_task(f"bulk loading {len(sources)} file(s)", total=None)
                    change = st.bulk_load(sources)
            finally:
                st.close()
        else:
            quads = []
            with progress:
                task = progress.add_task("parsing", total=None)
                for src in sources:
                    progress.update(task, description=f"parsing {src.name}")
                    for q in read_quads(src):
                        quads.append(q)
                        if len(quads) % 50_000 == 0:
                            progress.update(task, completed=len(quads))
                progress.update(task, description="validating and committing", completed=len(quads))
                st = open_store(_settings(store), workers=0, validate=True)
                try:
                    change = st.add(quads)
                finally:
                    st.close()
        err.print(
            f"loaded {change.added:,} quads from {len(sources)} file(s); version {change.version}"
        )
    except errors.KgError as exc:
        _fail(exc)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="The query text (or use -f).")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", help="json, xml, csv, tsv; turtle, ntriples, rdfxml, jsonld."),
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Run a query on the store (in this process, without the server's timeout)."""
    from kg.execute import QueryRequest
    from kg.store import open_store

    try:
        if (sparql is None) == (file is None):
            raise errors.InputError("give the query text or --file, one of them")
        text = file.read_text() if file else str(sparql)
        settings = _settings(store)
        st = open_store(settings, workers=0)
        try:
            if settings.load_bundled_data and st.is_empty():
                err.print("[yellow]note:[/] the store is empty")
            result = st.query(QueryRequest(text, format, row_cap=settings.row_cap))
        finally:
            st.close()
        sys.stdout.buffer.write(result.body)
        if not result.body.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        if result.truncated:
            err.print(f"[yellow]truncated:[/] more than {settings.row_cap:,} results (KG_ROW_CAP)")
    except errors.KgError as exc:
        _fail(exc)


@app.command()
def dump(
    format: Annotated[str, typer.Option("--format", help="trig or nquads.")] = "trig",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Write the whole dataset as TriG or N-Quads."""
    from kg.formats import RDF_FORMATS
    from kg.store import open_store

    try:
        if format not in ("trig", "nquads"):
            raise errors.InputError("dump formats: trig, nquads")
        rdf = RDF_FORMATS[format].rdf
        assert rdf is not None
        st = open_store(_settings(store), workers=0)
        try:
            sink = output.open("wb") if output else sys.stdout.buffer
            for chunk in st.dump(rdf):
                sink.write(chunk)
            sink.flush()
            if output:
                sink.close()
        finally:
            st.close()
    except errors.KgError as exc:
        _fail(exc)


@app.command()
def stats(store: StoreOpt = None) -> None:
    """Triples, named graphs, and instances per class."""
    from kg.store import open_store

    try:
        st = open_store(_settings(store), workers=0)
        try:
            s = st.stats()
        finally:
            st.close()
    except errors.KgError as exc:
        _fail(exc)
        return
    out.print(f"triples: {s.triples:,}\nnamed graphs: {s.graphs:,}")
    table = Table("class", "instances")
    for cls, n in s.classes:
        table.add_row(cls, f"{n:,}")
    out.print(table)


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="A new, empty folder for the copy.")],
    store: StoreOpt = None,
) -> None:
    """A consistent copy of the store (a checkpoint that opens as a store of its own)."""
    from kg.store import open_store

    try:
        st = open_store(_settings(store), workers=0)
        try:
            st.backup(dest)
        finally:
            st.close()
        err.print(f"backup written to {dest}")
    except errors.KgError as exc:
        _fail(exc)


def _register_validate() -> None:
    from kg.validation.cli import validate_command

    app.command("validate")(validate_command)


_register_validate()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except errors.KgError as exc:  # pragma: no cover - commands catch their own
        err.print(f"[bold red]error:[/] {exc.message}")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
