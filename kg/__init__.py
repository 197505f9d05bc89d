"""osec-kg: a knowledge graph of the fight against online sexual exploitation of children
and human trafficking, in RDF, checked against SHACL shapes, served over SPARQL 1.1."""

__version__ = "0.1.0"
