"""Problems found in ``kg/`` while building the protocol layer, kept as regression tests."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import errors
from kg.store.changes import delta_for_update


def test_update_syntax_error_names_the_line_of_the_error() -> None:
    bad = "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 }\n ; "
    with pytest.raises(errors.QuerySyntaxError) as info:
        delta_for_update(ox.Store(), bad, union_default_graph=True)
    assert info.value.extra.get("line") == 2
