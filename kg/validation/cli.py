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
) -> None:
    """Validate RDF files or the store against the SHACL shapes."""
    from rdflib import Dataset, Graph

    from kg.validation.gate import ShaclGate, load_shapes, to_graph

    try:
        if format not in _FORMATS:
            raise errors.InputError(f"unknown format {format!r}: use {', '.join(_FORMATS)}")
        gate = ShaclGate(load_shapes(shapes))
        data = Graph()
        if files:
            for f in files:
                if not f.is_file():
                    raise errors.InputError(f"{f}: no such file")
                ds = Dataset()
                try:
                    ds.parse(str(f))
                except Exception as exc:
                    raise errors.RdfSyntaxError(f"{f}: {exc}") from None
                for s, p, o, _ in ds.quads():
                    data.add((s, p, o))
        else:
            from kg.config import Settings
            from kg.store import open_store

            st = open_store(Settings(store=store) if store else Settings(), workers=0)
            try:
                data = to_graph((q.subject, q.predicate, q.object) for q in st.primary)
            finally:
                st.close()
        report = gate.validate_graph(data)
    except errors.KgError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None
    if format == "table":
        from rich.console import Console

        Console().print(report.to_rich_table())
    else:
        typer.echo(report.serialize(format))
    raise typer.Exit(0 if report.conforms else 1)
