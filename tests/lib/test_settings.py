"""The safe defaults, as documented in the README's settings table."""

from pathlib import Path

from kg.config import Settings


def test_defaults(monkeypatch):
    for key in (
        "KG_HOST",
        "KG_PORT",
        "KG_QUERY_TIMEOUT",
        "KG_ROW_CAP",
        "KG_WORKERS",
        "KG_WRITE_TOKEN",
        "KG_STORE",
        "KG_DATA_DIR",
        "KG_ALLOW_SERVICE",
        "XDG_DATA_HOME",
    ):
        monkeypatch.delenv(key, raising=False)
    s = Settings()
    assert s.host == "127.0.0.1" and s.port == 8000
    assert 10 <= s.query_timeout <= 60
    assert s.row_cap == 10_000
    assert s.workers >= 2 and s.worker_memory_mb > 0
    assert s.write_token is None
    assert s.allow_service == []
    assert s.union_default_graph is True
    assert s.store_url() == "oxigraph://" + str(
        (Path.home() / ".local/share/osec-kg/store").resolve()
    )


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("KG_ALLOW_SERVICE", '["http://ok.example/"]')
    monkeypatch.setenv("KG_STORE", "memory:")
    monkeypatch.setenv("KG_ROW_CAP", "5")
    s = Settings()
    assert (
        s.allow_service == ["http://ok.example/"] and s.store_url() == "memory:" and s.row_cap == 5
    )
