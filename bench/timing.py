"""Timing a series of requests: bounded in count and in time, summarised the same way."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def summary_ms(seconds: list[float]) -> dict[str, float | int | None]:
    if not seconds:
        return {"n": 0, "median_ms": None, "p90_ms": None, "min_ms": None}
    xs = sorted(seconds)
    return {
        "n": len(xs),
        "median_ms": round(statistics.median(xs) * 1000, 4),
        "p90_ms": round(xs[min(len(xs) - 1, int(len(xs) * 0.9))] * 1000, 4),
        "min_ms": round(xs[0] * 1000, 4),
    }


def run_series(
    call: Callable[[str], int], texts: list[str], reps: int, budget_s: float
) -> dict[str, object]:
    """One warm-up, then up to ``reps`` timed calls (cycling ``texts``) within ``budget_s``.

    A warm-up longer than the whole budget is itself the figure (``cold_only``).

    ``call`` returns the size of the answer in bytes; an exception ends the series and is
    reported (a timeout of the engine is a figure too).
    """
    error = None
    size = None
    times: list[float] = []
    try:
        t0 = time.perf_counter()
        size = call(texts[0])
        warm = time.perf_counter() - t0
        if warm > budget_s:  # too slow to repeat within the budget: the one run is the figure
            return {**summary_ms([warm]), "bytes": size, "error": None, "cold_only": True}
        deadline = time.perf_counter() + budget_s
        for i in range(reps):
            t0 = time.perf_counter()
            size = call(texts[(i + 1) % len(texts)])
            t1 = time.perf_counter()
            times.append(t1 - t0)
            if t1 > deadline:
                break
    except Exception as exc:  # reported, not raised: one failing query must not end the run
        error = f"{type(exc).__name__}: {exc}"[:300]
    return {**summary_ms(times), "bytes": size, "error": error}


def cpu_per_call(cpu_s: float, series: dict[str, object]) -> float | None:
    """CPU milliseconds per call of a series (its warm-up counted): a figure that a busy
    machine distorts less than wall time, since time spent waiting for a core is not in it.
    The kernel counts CPU time in ticks (10 ms): meaningful over many calls or long ones."""
    n = int(series.get("n") or 0) + (0 if series.get("cold_only") else 1)
    return round(cpu_s * 1000 / n, 4) if n and series.get("error") is None else None
