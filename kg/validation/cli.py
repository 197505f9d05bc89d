"""``kg validate [FILE…]``: validate files, or the whole store.

Exit codes follow :mod:`kg.errors`: 0 no Violation (Warnings are shown but pass), 1 rejected
input (Violations, a file that cannot be read or parsed, an unknown format), 2 any other
error (a store that cannot be opened). Registered by ``kg/cli.py`` as
``app.command("validate")(validate_command)``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg import errors

_FORMATS = ("table", "json", "turtle", "nt", "json-ld")


def validate_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="RDF files; none: the whole store.")
    ] = None,
    shapes: Annotated[
        Path | None, typer.Option("--shapes", help="Shapes file (default: ontology/shapes.ttl).")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="table, json, turtle, nt or json-ld.")
    ] = "table",
    store: Annotated[str | None, typer.Option("--store", help="Store URL.")] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="sparql (shapes compiled to SPARQL, run by Oxigraph), pyshacl, or auto: "
            "sparql when the shapes compile, else pyshacl.",
        ),
    ] = "auto",
) -> None:
    """Validate RDF files or the store against the SHACL shapes."""
    import pyoxigraph as ox

    from kg.validation.gate import ShaclGate, load_shapes

    try:
        if format not in _FORMATS:
            raise errors.InputError(f"unknown format {format!r}: use {', '.join(_FORMATS)}")
        gate = ShaclGate(load_shapes(shapes), engine=engine)
        if files:
            from kg.loading import Source, rdf_syntax_error

            data = ox.Store()  # every file's triples in one default graph, blank nodes apart
            for f in files:
                if not f.is_file():
                    raise errors.InputError(f"{f}: no such file")
                src = Source.file(f)
                try:
                    data.bulk_extend(
                        ox.Quad(q.subject, q.predicate, q.object)
                        for q in ox.parse(
                            path=str(f), format=src.format.rdf, rename_blank_nodes=True
                        )
                    )
                except SyntaxError as exc:
                    raise rdf_syntax_error(exc, src.name) from None
            report = gate.validate_store(data, threads=_threads())
        else:
            from kg.config import Settings
            from kg.store import open_store

            st = open_store(Settings(store=store) if store else Settings(), workers=0)
            try:  # every named graph, as the store holds them
                report = gate.validate_store(st.primary, union=True, threads=_threads())
            finally:
                st.close()
    except errors.KgError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None
    if format == "table":
        from rich.console import Console

        Console().print(report.to_rich_table())
    else:
        typer.echo(report.serialize(format))
    raise typer.Exit(0 if report.conforms else 1)


def _threads() -> int:
    """The cores this process may run on: a command has no memory cap of its own."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
