from pathlib import Path

import pytest
from rdflib import Graph

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_shapes() -> Graph:
    from kg.validation import load_shapes

    return load_shapes(FIX / "shapes.ttl")
