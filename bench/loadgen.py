"""Concurrent load on a loopback endpoint, bounded in time: wrk when installed, else httpx.

wrk (Debian ``wrk``) is the default: it is C, so on a 2-core machine it leaves more CPU to the
server than a Python client would, and its Lua hook varies the query text per request (each
request takes the next GET path of a prepared list, so no two neighbouring requests repeat,
and by default ends the text with a comment line of its own, so no two requests of a run send
the same text: a result cache answers none of them).
Without wrk, an asyncio + httpx client runs the same paths on the same number of connections;
the JSON names the tool used, since their figures are not interchangeable.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.timing import summary_ms

_LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
local n = 0
local sep = string.char(1)
local unique = %(unique)s
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
request = function()
  i = i + 1
  n = n + 1
  if i > #paths then i = 1 end
  local path = paths[i]
  -- a comment line of its own (a line break, then #thread-n) makes every text unique
  if unique then path = path .. "%%0A%%23" .. tid .. "-" .. n end
  return wrk.format("GET", path, {["Accept"] = "application/sparql-results+json"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(sep .. string.format(
    '{"requests":%%d,"duration_us":%%d,"non2xx":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"timeout":%%d,"p50_us":%%d,"p99_us":%%d,"mean_us":%%f,"max_us":%%d}',
    summary.requests, summary.duration, summary.errors.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.mean, latency.max) .. "\n")
end
"""


def paths_for(path: str, texts: list[str], seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = [f"{path}?query={quote(t, safe='')}" for t in texts]
    rng.shuffle(out)
    return out


def run_wrk(
    base: str,
    paths: list[str],
    connections: int,
    duration_s: float,
    threads: int = 2,
    unique: bool = True,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        pfile = Path(tmp) / "paths.txt"
        pfile.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "vary.lua"
        script.write_text(_LUA % {"paths": str(pfile), "unique": "true" if unique else "false"})
        cmd = [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(duration_s))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60)
    raw = proc.stdout.rsplit("\x01", 1)[-1].strip()
    data = json.loads(raw)
    seconds = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("non2xx", "connect", "read", "write", "timeout"))
    return {
        "tool": "wrk",
        "connections": connections,
        "duration_s": round(seconds, 2),
        "requests": data["requests"],
        "errors": errors,
        "error_kinds": {k: data[k] for k in ("non2xx", "connect", "read", "write", "timeout")},
        "rps": round(data["requests"] / seconds, 1),
        "p50_ms": round(data["p50_us"] / 1000, 3),
        "p99_ms": round(data["p99_us"] / 1000, 3),
        "max_ms": round(data["max_us"] / 1000, 3),
    }


def run_httpx(
    base: str, paths: list[str], connections: int, duration_s: float, unique: bool = True
) -> dict[str, object]:
    import httpx

    async def main() -> tuple[list[float], int, float]:
        times: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
            start = time.perf_counter()
            stop = start + duration_s

            async def conn(k: int) -> None:
                nonlocal errors
                i = k
                while time.perf_counter() < stop:
                    path = paths[i % len(paths)]
                    if unique:
                        path += f"%0A%23{i}"  # a comment line of its own: every text unique
                    t0 = time.perf_counter()
                    try:
                        r = await client.get(
                            path,
                            headers={"Accept": "application/sparql-results+json"},
                        )
                        if r.status_code != 200:
                            errors += 1
                    except httpx.HTTPError:
                        errors += 1
                    times.append(time.perf_counter() - t0)
                    i += connections

            await asyncio.gather(*(conn(k) for k in range(connections)))
            return times, errors, time.perf_counter() - start

    times, errors, seconds = asyncio.run(main())
    s = sorted(times)
    return {
        "tool": "httpx-async",
        "connections": connections,
        "duration_s": round(seconds, 2),
        "requests": len(times),
        "errors": errors,
        "rps": round(len(times) / seconds, 1),
        "p50_ms": summary_ms(times)["median_ms"],
        "p99_ms": round(s[int(len(s) * 0.99) - 1] * 1000, 3) if s else None,
        "max_ms": round(s[-1] * 1000, 3) if s else None,
    }


def run_load(
    base: str,
    paths: list[str],
    connections: int,
    duration_s: float,
    tool: str = "auto",
    unique: bool = True,
) -> dict[str, object]:
    """Requests per second and latency percentiles of GET ``base + path`` for ``duration_s``.

    ``unique``: each request's query text ends in a comment line of its own, so no two
    requests of the run send the same text and no result cache answers any of them."""
    if tool == "wrk" or (tool == "auto" and shutil.which("wrk")):
        return run_wrk(base, paths, connections, duration_s, unique=unique)
    return run_httpx(base, paths, connections, duration_s, unique=unique)
