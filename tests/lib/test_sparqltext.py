import pyoxigraph as ox
import pytest

from kg import sparqltext
from tests.conftest import numbered


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://e/> BASE <http://b/> ask { ?s ?p ?o }", "ASK"),
        ("# a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/a>", "DESCRIBE"),
        ("PREFIX : <http://e/> INSERT DATA { GRAPH :g { :a :b :c } }", "UPDATE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("nonsense", ""),
    ],
)
def test_form(text, form):
    assert sparqltext.inspect(text).form == form


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("SELECT * { SERVICE <http://remote/sparql> { ?s ?p ?o } }", "http://remote/sparql"),
        ("SELECT * { SERVICE SILENT <http://remote/> { ?s ?p ?o } }", "http://remote/"),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE with a variable target"),
        ("SELECT * { serVice <http://r/> {} }", "http://r/"),
        ("SELECT * { \\u0053ERVICE <http://r/> {} }", "http://r/"),
        ("LOAD <http://remote/data.ttl>", "http://remote/data.ttl"),
        ("LOAD SILENT <http://remote/x> INTO GRAPH <http://g>", "http://remote/x"),
        # mentions that are not the keyword are not outbound
        ('SELECT * { ?s ?p "SERVICE <http://r/>" }', None),
        ("SELECT * { ?s <http://e/SERVICE> ?o } # SERVICE <http://r/>", None),
        ("PREFIX ex: <http://e/> SELECT * { ?s ex:SERVICE ?o }", None),
    ],
)
def test_outbound(text, target):
    assert sparqltext.inspect(text).outbound() == target


@pytest.mark.parametrize(
    "text",
    [
        # Unicode case rules: U+017F (long s) matches 's' without case, so the body is
        # scanned token by token and the keyword counts, failing closed
        "SELECT * { \u017fERVICE <http://r/> {} }",
        "SELECT * { ?s ?p \"\u00e9\" . SERVICE <http://r/> {} }",  # a non-ASCII body
    ],
)
def test_outbound_in_non_ascii_text_is_scanned(text):
    plain = sparqltext.inspect(text.replace("\u017f", "S"))
    assert plain.outbound() == "http://r/"
    assert sparqltext.inspect(text).outbound() == "http://r/"


@pytest.mark.parametrize(
    ("head", "names"),
    [
        ("SELECT ?x WHERE {", ["x"]),
        ("select distinct ?x ?y{", ["x", "y"]),
        ("SELECT?x?y WHERE{", ["x", "y"]),
        ("SELECT REDUCED ?a $b\n\tWHERE\n{", ["a", "b"]),
        ("SELECT ?x wHeRe {", ["x"]),
        # the token-by-token reading: an expression, a comment, FROM, *, odd white space
        ("SELECT ?x (1 AS ?y) WHERE {", ["x", "y"]),
        ("SELECT ?x #c\n WHERE {", ["x"]),
        ("SELECT ?x FROM <http://g> WHERE {", ["x"]),
        ("SELECT DISTINCT?x WHERE {", ["x"]),
        ("SELECT ?x\u00a0?y WHERE {", ["x", "y"]),
        ("SELECT ?x WHEREFOO ?z {", ["x", "z"]),
        # a name ending in "where" is read whole, whatever follows
        ("SELECT ?nowhere FROM <http://g> WHERE {", ["nowhere"]),
        ("SELECT ?nowhere # all\n{", ["nowhere"]),
        ("SELECT ?s ?somewhere (1 AS ?k) {", ["s", "somewhere", "k"]),
        ("SELECT ?elsewhere WHERE {", ["elsewhere"]),
        ("SELECT * {", None),
    ],
)
def test_projection_agrees_with_the_token_reading(head, names):
    text = f"PREFIX ex: <http://e/>\n{head} ?x ex:p ?y }}"
    req = sparqltext.inspect(text)
    assert req.projection == names
    # the same answer the token-by-token reading gives
    toks = sparqltext._Tokens(text, req.prologue_end)
    assert sparqltext._projection(toks, 1) == names


def test_allow_list_covers_prefix():
    req = sparqltext.inspect("SELECT * { SERVICE <http://ok.example/sparql> {} }")
    assert req.outbound(["http://ok.example/"]) is None
    assert req.outbound(["http://other/"]) == "http://ok.example/sparql"


def _run(store, text):
    return store.query(text, use_default_graph_as_union=True)


def test_capped_select_keeps_variable_order_and_from():
    store = ox.Store()
    store.extend(numbered(20))
    q = "PREFIX ex: <http://example.org/> SELECT ?v ?s FROM <http://example.org/g1> WHERE { ?s ex:value ?v } ORDER BY ?v"
    req = sparqltext.inspect(q)
    capped = sparqltext.capped_select(req, 5)
    result = store.query(capped)
    assert [v.value for v in result.variables] == ["v", "s"]
    assert len(list(store.query(capped))) == 5
    assert bool(store.query(sparqltext.probe_beyond(req, 19)))
    assert not bool(store.query(sparqltext.probe_beyond(req, 20)))


def test_capped_select_with_values_and_group_by():
    store = ox.Store()
    store.extend(numbered(10))
    q = (
        "PREFIX ex: <http://example.org/> SELECT ?s (COUNT(*) AS ?n) { ?s ex:value ?v } "
        "GROUP BY ?s VALUES ?s { ex:s1 ex:s2 }"
    )
    rows = list(_run(store, sparqltext.capped_select(sparqltext.inspect(q), 100)))
    assert sorted(r["s"].value for r in rows) == ["http://example.org/s1", "http://example.org/s2"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("SELECT ?b ?a { ?a ?p ?b }", ["b", "a"]),
        ("SELECT DISTINCT ?b (COUNT(?a) AS ?n) { ?a ?p ?b } GROUP BY ?b", ["b", "n"]),
        ("SELECT (STR(?a) AS ?s) ?b WHERE { ?a ?p ?b }", ["s", "b"]),
        ("SELECT * { ?a ?p ?b }", None),
    ],
)
def test_projection(text, names):
    assert sparqltext.inspect(text).projection == names


def test_star_select_keeps_engine_order():
    store = ox.Store()
    store.extend(numbered(5))
    q = "PREFIX ex: <http://example.org/> SELECT * { ?s ex:value ?v } ORDER BY ?v"
    original = [v.value for v in _run(store, q).variables]
    capped = [
        v.value for v in _run(store, sparqltext.capped_select(sparqltext.inspect(q), 3)).variables
    ]
    assert capped == original


NAMED_ONLY = [
    "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    "select * where { graph <http://g> { ?s ?p ?o } }",
    "ASK WHERE { GRAPH <http://g> { ?s ?p ?o OPTIONAL { ?o ?q ?r } } . FILTER(?s != ?o) }",
    "PREFIX ex: <http://e/> SELECT ?g (COUNT(*) AS ?n) { GRAPH ex:g { ?s ?p ?o } "
    "BIND(1 AS ?x) VALUES ?g { ex:a ex:b } } GROUP BY ?g ORDER BY DESC(?n) LIMIT 5 "
    "VALUES ?x { 1 }",
    "SELECT * { GRAPH ?g { { SELECT * { ?s ?p ?o } } } FILTER regex(str(?s), 'x{') }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?o ?q ?r } }",
]

READS_THE_DEFAULT_GRAPH = [
    "SELECT * { ?s ?p ?o }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } ?s ?p ?o }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } ?s <http://p>/<http://q> ?o }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s a ?t } }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } FILTER EXISTS { ?s a ?t } }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s a ?t } }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } FILTER(EXISTS { ?s a ?t }) }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } BIND(EXISTS { ?s a ?t } AS ?b) }",
    "SELECT (EXISTS { ?a ?b ?c } AS ?e) { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g "
    "HAVING (EXISTS { ?g ?p ?o })",
    "SELECT * { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } MINUS { ?s ?p ?o } }",
    "SELECT * FROM <http://g> { GRAPH ?g { ?s ?p ?o } }",  # FROM: a dataset of its own
    "SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",  # only SELECT and ASK
    "DESCRIBE ?s WHERE { GRAPH ?g { ?s ?p ?o } }",  # a description reads the default graph
    "SELECT * { SERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * { GRAPH ?g { ?s ?p ?o }",  # unbalanced: the engine will say why
    "INSERT { GRAPH <http://g> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
]


@pytest.mark.parametrize("text", NAMED_ONLY)
def test_queries_that_read_named_graphs_alone(text):
    assert sparqltext.reads_named_graphs_only(sparqltext.inspect(text))


@pytest.mark.parametrize("text", READS_THE_DEFAULT_GRAPH)
def test_queries_that_may_read_the_default_graph(text):
    assert not sparqltext.reads_named_graphs_only(sparqltext.inspect(text))


def _stores() -> tuple[ox.Store, ox.Store]:
    """Two stores with the same named graphs; the first also has a default graph (their
    merge and one triple more), as the store keeps it."""
    both, named = ox.Store(), ox.Store()
    data = [
        ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(i), g)
        for i in range(6)
        for g in (ox.NamedNode("http://g"), ox.NamedNode("http://e/g"))
    ]
    named.extend(data)
    both.extend(data)
    both.extend(ox.Quad(q.subject, q.predicate, q.object) for q in data)
    both.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal(9)))
    return both, named


def _rows(store: ox.Store, text: str) -> object:
    r = store.query(text)
    return bool(r) if isinstance(r, ox.QueryBoolean) else sorted(str(list(s)) for s in r)


@pytest.mark.parametrize("text", NAMED_ONLY)
def test_named_only_queries_answer_alike_without_the_default_graph(text):
    """The claim behind the test, checked on the engine: dropping the default graph from the
    store changes none of these answers."""
    both, named = _stores()
    assert _rows(both, text) == _rows(named, text)


@pytest.mark.parametrize("text", [READS_THE_DEFAULT_GRAPH[i] for i in (0, 1, 8, 10, 11)])
def test_the_two_stores_tell_default_graph_readers_apart(text):
    both, named = _stores()
    assert _rows(both, text) != _rows(named, text)


def test_a_cached_prologue_gives_the_run_a_full_match_gives():
    """Texts that share, extend or nearly share the cached prologue: the run of declarations
    found after it is the one a full match finds."""
    import random

    pieces = [
        "PREFIX ex: <http://example.org/ns#>\n",
        "PREFIX schema: <https://schema.org/>\n",
        "prefix  a.b-c:<http://e/x>\r\n",
        "BASE <http://example.org/base/>\n",
        "# a comment line that is long enough to matter here\n",
        "# a comment without its line break",
        "   \t",
        "\n",
        "PREFIX broken: http://not-an-iri\n",
        "PREFIX : <http://e/>",
    ]
    bodies = ["SELECT ?s { ?s ?p ?o }", " more comment text\nASK {}", "", ":x <y> <z>"]
    rng = random.Random(7)
    heads = ["".join(rng.choice(pieces) for _ in range(rng.randint(2, 6))) for _ in range(12)]
    texts = []
    for _ in range(1500):  # runs of one head, as a client sends them, and heads extended
        head = rng.choice(heads) if rng.random() < 0.9 else texts[-1] if texts else ""
        extra = rng.choice(pieces) if rng.random() < 0.3 else ""
        texts += [head + extra + rng.choice(bodies) for _ in range(rng.randint(1, 4))]
    for _ in range(3):  # prefixes of earlier texts, cut anywhere
        texts += [t[: rng.randint(0, len(t))] for t in rng.sample(texts, 300)]
    cached_hits = 0
    for text in texts:
        cached = sparqltext._last_prologue
        cached_hits += bool(cached) and text.startswith(cached)
        full = sparqltext._PROLOGUE.match(text)
        assert full is not None
        assert sparqltext._prologue_run(text) == full.end(), repr(text)
    assert cached_hits > 100  # the cache was used, not only refilled
