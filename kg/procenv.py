"""The environment of a Python child process that must run this very copy of the code."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import kg

#: the folder that holds the ``kg`` package (and ``api`` beside it)
ROOT = str(Path(kg.__file__).resolve().parent.parent)


def child_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with ``PYTHONPATH`` leading to our
    packages. Run the child with ``python -P`` so the working directory stays off
    ``sys.path``; empty ``PYTHONPATH`` entries, which would put it back, are dropped."""
    env = dict(os.environ if base is None else base)
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != ROOT]
    env["PYTHONPATH"] = os.pathsep.join([ROOT, *rest])
    return env
