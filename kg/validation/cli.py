"""``kg validate [FILE…]``: validate files, or the whole store; exit 0 conforms, 1 violations,
2 error. Registered by ``kg/cli.py`` as ``app.command("validate")(validate_command)``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg import errors


def validate_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="RDF files; none: the whole store.")
    ] = None,
    shapes: Annotated[
        Path | None, typer.Option("--shapes", help="Shapes file (default: ontology/shapes.ttl).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="table, turtle or json.")] = "table",
    store: Annotated[str | None, typer.Option("--store", help="Store URL.")] = None,
) -> None:
    """Validate RDF files or the store against the SHACL shapes."""
    from rdflib import Dataset, Graph

    from kg.validation.gate import ShaclGate, load_shapes, to_graph

    try:
        if format not in ("table", "turtle", "json"):
            raise errors.InputError(f"unknown format {format!r}: use table, turtle or json")
        gate = ShaclGate(load_shapes(shapes))
        data = Graph()
        if files:
            for f in files:
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
        raise typer.Exit(2) from None
    if format == "table":
        from rich.console import Console

        Console().print(report.to_rich_table())
    else:
        typer.echo(report.serialize(format))
    raise typer.Exit(0 if report.conforms else 1)
