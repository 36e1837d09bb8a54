"""``kiosk-server holidays`` and ``kiosk-server push-ratings`` as an operator runs them (real processes)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from server.context import AppContext
from server.models.ratings import CalendarDay, Rating
from tests.server.conftest import make_settings
from tests.server.live import cli
from tests.server.ratings.builders import add_rating, org
from tests.server.ratings.fake_upstream import upstream


def test_holidays_add_and_check(database_url: str, tmp_path: Path) -> None:
    assert cli("holidays", "check", "2026", database_url=database_url).stdout.strip() == "2026: known"
    unknown = cli("holidays", "check", "2027", database_url=database_url, check=False)
    assert unknown.returncode == 1 and "unknown" in unknown.stdout
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-02-06 班\n2027-13-01 休\n", encoding="utf-8")
    refused = cli("holidays", "add", str(bad), database_url=database_url, check=False)
    assert refused.returncode == 2 and "第 2 行" in refused.stderr and "Traceback" not in refused.stderr
    good = tmp_path / "2027.txt"
    good.write_text("# 2027 春节（示例）\n2027-02-06 班 调休\n2027-02-08 休 春节\n", encoding="utf-8")
    assert "saved 2 day(s)" in cli("holidays", "add", str(good), database_url=database_url).stdout
    assert cli("holidays", "check", "2027", database_url=database_url).stdout.strip() == "2027: known"
    ctx = AppContext.build(make_settings(database_url))
    with ctx.reading() as session:
        assert [(d.day.isoformat(), d.workday) for d in session.scalars(select(CalendarDay).order_by(CalendarDay.day))] == [
            ("2027-02-06", True), ("2027-02-08", False)]
    ctx.engine.dispose()


def test_push_ratings_command(database_url: str, ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        org(session)
        add_rating(session, "satisfied")
    with upstream() as fake:
        env = {"KIOSK_SERVER_RATINGS_PUSH_URL": fake.url, "KIOSK_SERVER_RATINGS_PUSH_BACKOFF_S": "0"}
        fake.fail_first = 99
        failed = _run_with_env(database_url, env)
        assert failed.returncode == 1 and "failed" in failed.stdout
        fake.fail_first = 0
        ok = _run_with_env(database_url, env)
        assert ok.returncode == 0 and "ok, 1 records" in ok.stdout
        assert "nothing to push" in _run_with_env(database_url, env).stdout
    with ctx.reading() as session:
        assert session.scalar(select(Rating.pushed_version)) == 1


def _run_with_env(database_url: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from tests.server.live import REPO

    return subprocess.run([sys.executable, "-m", "server.cli", "push-ratings"], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "DATABASE_URL": database_url, **env})
