"""Push new and changed ratings to the provincial 好差评 system over HTTP, with retries and a log.

A record is due while ``pushed_version < version``; after the upstream accepted a batch the
versions that were sent are marked pushed, so each state of a record is sent once (a record
that changed while the batch was in flight stays due). A batch is one ``POST`` of
``{"profile", "records"}`` (JSON); 2xx is success. Connection errors, 5xx and 429 are retried
with exponential backoff (``ratings_push_backoff_s`` × 2^n, or ``Retry-After`` up to 60 s) up
to ``ratings_push_attempts`` times; any other 4xx is final. Every batch, sent or not, leaves a
:class:`~server.models.ratings.PushLog` row with the body sent, the answer and the attempts.
Reading, sending and marking are separate transactions: no database lock is held while waiting
on the network. Run it from cron or a timer (``kiosk-server push-ratings``) or the dashboard.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import select, update

from server.context import AppContext
from server.models import utcnow
from server.models.ratings import PushLog, Rating
from server.ratings import export
from server.services import audit

MAX_ANSWER = 2000
MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class Outcome:
    ok: bool
    attempts: int
    http_status: int | None
    answer: str


def send(client: httpx.Client, url: str, body: dict, token: str, attempts: int, backoff_s: float,
         sleep: Callable[[float], None] = time.sleep) -> Outcome:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    status: int | None = None
    answer = ""
    for attempt in range(1, attempts + 1):
        wait = backoff_s * 2 ** (attempt - 1)
        try:
            response = client.post(url, content=data, headers=headers)
        except httpx.HTTPError as exc:
            status, answer = None, f"{type(exc).__name__}: {exc}"[:MAX_ANSWER]
        else:
            status, answer = response.status_code, response.text[:MAX_ANSWER]
            if 200 <= status < 300:
                return Outcome(True, attempt, status, answer)
            if status != 429 and status < 500:
                return Outcome(False, attempt, status, answer)
            wait = _retry_after(response, wait)
        if attempt < attempts:
            sleep(wait)
    return Outcome(False, attempts, status, answer)


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return min(MAX_RETRY_AFTER_S, max(0.0, float(response.headers.get("retry-after", ""))))
    except ValueError:
        return default


def run(ctx: AppContext, actor: str = "system", client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep) -> list[PushLog]:
    """Push every due record in batches; stops at the first failed batch (the rest wait for next time)."""
    settings = ctx.settings
    if not settings.ratings_push_url:
        raise ValueError("ratings_push_url is not set (KIOSK_SERVER_RATINGS_PUSH_URL)")
    prof = export.profile(settings.ratings_push_profile)
    own_client = client is None
    client = client or httpx.Client(timeout=30)
    logs: list[PushLog] = []
    try:
        while True:
            with ctx.reading() as session:
                due = list(session.scalars(select(Rating).where(Rating.outcome == "rated",
                                                                Rating.pushed_version < Rating.version)
                                           .order_by(Rating.received_at, Rating.id).limit(settings.ratings_push_batch)))
                if not due:
                    return logs
                sent_versions = {r.id: r.version for r in due}
                body = {"profile": prof.name, "records": export.records(session, due, prof)}
            started = utcnow()
            outcome = send(client, settings.ratings_push_url, body, settings.ratings_push_token,
                           settings.ratings_push_attempts, settings.ratings_push_backoff_s, sleep)
            logs.append(_finish(ctx, started, body, outcome, sent_versions, actor))
            if not outcome.ok:
                return logs
    finally:
        if own_client:
            client.close()


def _finish(ctx: AppContext, started, body: dict, outcome: Outcome, sent_versions: dict[str, int],  # type: ignore[no-untyped-def]
            actor: str) -> PushLog:
    with ctx.transaction() as session:
        if outcome.ok:
            for rating_id, version in sent_versions.items():
                session.execute(update(Rating).where(Rating.id == rating_id, Rating.version == version)
                                .values(pushed_version=version))
        log = PushLog(started_at=started, finished_at=utcnow(), endpoint=ctx.settings.ratings_push_url[:300],
                      profile=body["profile"], records=len(body["records"]), attempts=outcome.attempts,
                      status="ok" if outcome.ok else "failed", http_status=outcome.http_status,
                      answer=outcome.answer, sent=body)
        session.add(log)
        session.flush()
        audit.record(session, actor, "ratings.push", f"push:{log.id}", records=log.records, status=log.status,
                     attempts=log.attempts)
        return log
