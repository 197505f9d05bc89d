"""What an on-disk store's default graph is known to hold, recorded beside the store.

A store whose default graph is the merge of its named graphs keeps it at every commit, under
one rule: which named graphs stay out of the merge. The query workers' replica can then leave
the default graph out of its dump and rebuild it in memory, which is much faster than reading
it back from disk, but only where the merge on disk was kept under the very rule in force
now. A store opened with another rule (the union option off, another base IRI) or written by
an older version might hold something else there; its replica is then an exact copy instead.

So the rule is recorded in ``<store>.layout.json`` when the store is empty (any rule holds
for an empty store), and the record is removed when the store is opened under another rule.
The record sits beside the store, not in it, so bulk loads (which swap in a new folder) keep it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def layout_file(path: Path) -> Path:
    return path.parent / f"{path.name}.layout.json"


def layout_of(merged_default: bool, unmerged: list[str]) -> dict[str, Any]:
    return {"default_graph": "merge" if merged_default else "own", "unmerged": sorted(unmerged)}


def write_layout(path: Path, layout: dict[str, Any]) -> None:
    """Record ``layout`` for the store at ``path`` (atomically: a crash leaves the old record
    or the new one)."""
    target = layout_file(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(layout, indent=1) + "\n")
    os.replace(tmp, target)


def known_layout(path: Path, layout: dict[str, Any], empty: bool) -> bool:
    """Whether the store at ``path`` is known to have been kept under ``layout``; records it
    when the store is ``empty``, forgets a record of another layout."""
    if empty:
        write_layout(path, layout)
        return True
    target = layout_file(path)
    try:
        recorded = json.loads(target.read_text())
    except (OSError, ValueError):
        return False
    if recorded == layout:
        return True
    target.unlink(missing_ok=True)  # from now on it is kept under another rule
    return False
