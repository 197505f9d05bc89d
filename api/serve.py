"""The process ``kg serve`` becomes: uvicorn running the app factory on the settings.

``kg serve`` reads its options, hands them over in ``KG_*`` variables and replaces itself
with ``python -m api.serve``, so the library and its CLI never import the web layer.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

import uvicorn

from kg.config import Settings


def run(log_level: str = "info") -> None:
    settings = Settings()
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again with the
    # handlers it found at start: make that a plain exit 0, since the shutdown was clean.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit(0))
    try:
        _uvicorn(settings, log_level)
    except SystemExit as exc:
        # uvicorn exits 3 when it cannot start (port taken, store that will not open): the CLI's
        # code for "any other error" is 2
        if exc.code not in (0, None):
            raise SystemExit(2) from None
        raise


def _uvicorn(settings: Settings, log_level: str) -> None:
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        # httptools, each response in one write (api/http.py)
        http="api.http:HttpToolsProtocol",
        # uvicorn builds each access-log line's fields (the whole query string, quoted) before
        # the level check: below INFO there is no access log at all
        access_log=log_level.lower() in ("trace", "debug", "info"),
        server_header=False,  # no software banner on every response
        timeout_graceful_shutdown=max(5, int(settings.query_timeout) + 5),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m api.serve",
        description="Serve the store over SPARQL 1.1; settings come from KG_* variables.",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
        type=str.lower,
    )
    args = parser.parse_args(argv)
    # as the kg command sets it: warnings from kg and api keep their level and logger's name
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run(args.log_level)


if __name__ == "__main__":
    main()
