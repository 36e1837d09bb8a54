"""The server database's durability settings."""
from __future__ import annotations


def test_sqlite_syncs_every_commit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An acknowledged event must survive a power cut: WAL with synchronous=FULL (2), not NORMAL (1)."""
    from sqlalchemy import text

    from server.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
    engine.dispose()
