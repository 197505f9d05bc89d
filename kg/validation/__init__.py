"""SHACL validation: the change-sized gate, typed reports, the ``kg validate`` command."""

from kg.validation.gate import ShaclGate, load_shapes, make_gate
from kg.validation.report import ValidationReport, ValidationResult

__all__ = ["ShaclGate", "ValidationReport", "ValidationResult", "load_shapes", "make_gate"]
