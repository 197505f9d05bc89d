"""SHACL validation: the change-sized gate, typed reports, the ``kg validate`` command.

The names below are imported on first use, so that ``kg validate``'s registration with the
command line (``kg.validation.cli``) does not load the validation stack (rdflib's SPARQL
parser among it) for every ``kg`` command.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.validation.gate import ShaclGate, load_shapes, make_gate
    from kg.validation.report import ValidationReport, ValidationResult

__all__ = ["ShaclGate", "ValidationReport", "ValidationResult", "load_shapes", "make_gate"]

_HOME = {
    "ShaclGate": "kg.validation.gate",
    "load_shapes": "kg.validation.gate",
    "make_gate": "kg.validation.gate",
    "ValidationReport": "kg.validation.report",
    "ValidationResult": "kg.validation.report",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module 'kg.validation' has no attribute {name!r}")
