"""Whatever a server (or something pretending to be one) answers, the reporter neither crashes
nor deletes an event the answer did not confirm."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.config import ServerLinkConfig
from kiosk.enrolment import Credentials, TokenStore
from kiosk.outbox import Outbox
from kiosk.reporter import Reporter, ReporterSettings
from kiosk.server_link import Reply

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=15)


class FakeLink:
    """Stands in for ServerLink: answers each POST with the next scripted (status, body)."""

    base_url = "http://server.invalid"
    token: str | None = None

    def __init__(self) -> None:
        self.answers: list[tuple[int, Any]] = []
        self.last_sent: Any = None

    def post(self, path: str, body: Any, *, auth: bool = True) -> Reply:
        self.last_sent = body
        status, answer = self.answers.pop(0)
        now = time.time()
        return Reply(status, answer, now, now, None, None)

    def close(self) -> None:
        pass


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 201, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503]),
       body=json_values | st.fixed_dictionaries({"accepted": st.lists(st.text(max_size=40), max_size=3),
                                                 "duplicates": json_values}),
       heartbeat=json_values | st.fixed_dictionaries({"commands": json_values, "heartbeat_interval_s": json_values,
                                                      "server_time": json_values}))
def test_any_answer_is_survived(tmp_path_factory, status: int, body: Any, heartbeat: Any) -> None:
    tmp: Path = tmp_path_factory.mktemp("r")
    TokenStore(tmp).save(Credentials("D1", "tok", FakeLink.base_url))
    link = FakeLink()
    with Outbox(tmp / "o.sqlite3", "dev", reserve_bytes=0) as box:
        events = box.enqueue_many([("usage", {"function": "x", "outcome": "success"})] * 3)
        commands: list = []
        reporter = Reporter(box, ServerLinkConfig(url=FakeLink.base_url), tmp, link=link,  # type: ignore[arg-type]
                            settings=ReporterSettings(), heartbeat=dict, on_commands=commands.append)
        link.answers = [(200, heartbeat), (status, body)]
        reporter.step()
        left = {e.id for e in box.peek_batch(10, 1 << 20)} | {e.id for e in _rejected(box)}
        confirmed = set()
        if 200 <= status < 300 and isinstance(body, dict):
            for key in ("accepted", "duplicates"):
                if isinstance(body.get(key), list):
                    confirmed |= {str(i) for i in body[key]}
        assert left == {e.id for e in events} - confirmed  # only confirmed ids are gone


def _rejected(box: Outbox) -> list:
    rows = box._db.execute("SELECT id FROM rejected").fetchall()
    return [type("R", (), {"id": r[0]}) for r in rows]
