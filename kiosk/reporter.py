"""The reporter: one thread that moves events from the outbox to the server, and heartbeats.

Delivery is at-least-once: an event leaves the outbox only after the server's answer lists
its id as accepted or duplicate, so a connection cut after the server stored a batch only
causes a resend, which the server recognises by id. Failures are paced by
:class:`kiosk.backoff.Backoff` (or the server's ``Retry-After``); a 422 batch is split in
halves until the one malformed event is found and set aside (kept in the outbox's
``rejected`` table), so one bad event never blocks a device's queue; a 401/403 means the
token was revoked and reporting stops with a ``token_revoked`` fault.

The reporter's status (last upload, link state, clock offset) is written to the outbox's
``meta`` table, so ``kiosk doctor`` in another process sees the same figures as the
maintenance screen.
"""
from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.background import BackgroundWorker
from drivers.health import Health
from kiosk.backoff import Backoff
from kiosk.clock_skew import SkewEstimator
from kiosk.config import ServerLinkConfig
from kiosk.enrolment import Credentials, EnrolmentError, TokenStore, enrol
from kiosk.outbox import Outbox, OutboxEvent, iso_utc
from kiosk.server_link import LinkDown, Reply, ServerLink

log = logging.getLogger(__name__)

HeartbeatSource = Callable[[], dict[str, Any]]
CommandSink = Callable[[list[dict[str, Any]]], None]


@dataclass(frozen=True)
class ReporterSettings:
    batch_max_events: int = 500
    batch_max_bytes: int = 512 * 1024  # before gzip; the server's body limit is the bound
    heartbeat_interval_s: float = 60.0
    follow_server_interval: bool = True  # the heartbeat answer's heartbeat_interval_s wins
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 300.0


@dataclass(frozen=True)
class ReporterStatus:
    """What the maintenance screen and ``kiosk doctor`` show about reporting."""

    pending: int
    last_upload_at: float | None  # device wall time of the last batch the server confirmed
    link: Health
    clock_offset_s: float | None  # server minus device
    rejected: int  # events the server refused as malformed, kept aside


# meta keys shared with kiosk.report_status (another process reads them)
META_LAST_UPLOAD = "reporter.last_upload_at"
META_LINK_STATE = "reporter.link_state"
META_LINK_REASON = "reporter.link_reason"
META_LINK_DETAIL = "reporter.link_detail"
META_CLOCK_OFFSET = "reporter.clock_offset_s"
META_REVOKED_CODE = "reporter.revoked_code"  # digest of the enrol code whose token was revoked


class Reporter(BackgroundWorker):
    thread_name = "reporter"

    """Owns the :class:`ServerLink`; start it once per app, stop it on shutdown."""

    def __init__(
        self,
        outbox: Outbox,
        config: ServerLinkConfig,
        data_dir: str | Path,
        *,
        settings: ReporterSettings = ReporterSettings(),
        heartbeat: HeartbeatSource | None = None,
        on_commands: CommandSink | None = None,
        link: ServerLink | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.outbox = outbox
        self.config = config
        self.settings = settings
        self.link = link or ServerLink(config)
        self.tokens = TokenStore(data_dir)
        self.skew = SkewEstimator()
        self._heartbeat = heartbeat
        self._on_commands = on_commands
        self._backoff = Backoff(settings.backoff_base_s, settings.backoff_cap_s, rng)
        self._max_count = settings.batch_max_events
        self._wake_event = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._not_before = 0.0
        self._next_heartbeat = 0.0
        self._heartbeat_interval = settings.heartbeat_interval_s
        self._revoked = False
        self.delivered = 0  # events the server confirmed (accepted or duplicate) since start
        self.duplicates = 0  # of those, how many it already had: resends after a lost answer
        self._link_health = Health.degraded("not_connected", "no answer from the server yet")
        self._last_upload: float | None = _float_or_none(outbox.get_meta(META_LAST_UPLOAD))
        self.credentials: Credentials | None = self.tokens.load(self.link.base_url)
        if self.credentials:
            self.link.token = self.credentials.token
        elif outbox.get_meta(META_REVOKED_CODE) == _code_digest(config.enrol_code):
            # Revoked before a restart and the config still holds the old, used code: say so
            # rather than "enrolment refused", and do not knock on the server's door again.
            self._revoked = True
            self._link_health = Health.fault("token_revoked", "enrol the device again with a new code")
        outbox.add_listener(self.wake)

    # ---- life cycle -----------------------------------------------------------------------
    def _wake(self) -> None:
        self._wake_event.set()

    def _after_stop(self) -> None:
        self.link.close()

    def wake(self) -> None:
        """New events are waiting: end an idle wait (never a backoff wait)."""
        self._wake_event.set()

    def heartbeat_now(self) -> None:
        self._next_heartbeat = 0.0
        self._wake_event.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            if now < self._not_before:
                self._wake_event.wait(self._not_before - now)
                self._wake_event.clear()
                continue
            self._wake_event.clear()
            try:
                delay = self.step()
            except Exception:  # a bug here must not end reporting for good
                log.exception("reporter step failed")
                delay = self._fail(Health.fault("reporter_error", "see the log"))
            if delay > 0:
                self._wake_event.wait(delay)

    # ---- one step (the thread calls it in a loop; tests may call it directly) -----------
    def step(self) -> float:
        """Do the next piece of work; returns how long to sleep unless woken."""
        if self._revoked:
            return 3600.0
        jump = self.skew.check_jump()
        if jump is not None:
            log.warning("device wall clock jumped by %+.0f s; clock offset will be re-measured", jump)
            self._next_heartbeat = 0.0
        if self.credentials is None and not self._enrol():
            return self._not_before - time.monotonic()
        if time.monotonic() >= self._next_heartbeat and self._heartbeat is not None:
            if not self._send_heartbeat():
                return max(self._not_before - time.monotonic(), 0.0)
        batch = self.outbox.peek_batch(self._max_count, self.settings.batch_max_bytes)
        if not batch:
            return max(self._next_heartbeat - time.monotonic(), 0.05) if self._heartbeat else 3600.0
        self._upload(batch)
        return 0.0 if self._not_before <= time.monotonic() else self._not_before - time.monotonic()

    def _enrol(self) -> bool:
        try:
            creds = enrol(self.link, self.config.enrol_code)
        except EnrolmentError as exc:
            log.warning("enrolment failed: %s", exc.reason)
            self._fail(Health.fault(exc.reason, exc.detail))
            return False
        self.tokens.save(creds)
        self.credentials = creds
        self.link.token = creds.token
        log.info("enrolled as device %s", creds.device_id)
        return True

    def _send_heartbeat(self) -> bool:
        assert self._heartbeat is not None
        body = dict(self._heartbeat())
        body["sent_at"] = iso_utc(time.time())
        if (offset := self.skew.offset_s) is not None:
            body["clock_offset_s"] = round(offset, 3)
        reply = self._post("/heartbeat", body)
        if reply is None:
            return False
        body = reply.body if isinstance(reply.body, dict) else {}
        interval = body.get("heartbeat_interval_s")
        if (self.settings.follow_server_interval and isinstance(interval, (int, float))
                and not isinstance(interval, bool) and 1 <= interval <= 3600):
            self._heartbeat_interval = float(interval)  # the server paces its fleet
        self._next_heartbeat = time.monotonic() + self._heartbeat_interval
        commands = body.get("commands")
        if isinstance(commands, list) and commands and self._on_commands is not None:
            self._on_commands([c for c in commands if isinstance(c, dict)])
        return True

    def _upload(self, batch: list[OutboxEvent]) -> None:
        reply = self._post("/events", {"events": [e.wire() for e in batch]}, passthrough=(413, 422))
        if reply is None:
            return
        if reply.status in (413, 422):
            self._split_refused(batch, reply)
            return
        body = reply.body if isinstance(reply.body, dict) else {}
        confirmed = _id_list(body.get("accepted")) + _id_list(body.get("duplicates"))
        sent_ids = {e.id for e in batch}
        done = [i for i in confirmed if i in sent_ids]
        if not done:  # a 2xx that confirms nothing: do not spin on it
            self._fail(Health.fault("bad_response", f"HTTP {reply.status} confirmed none of {len(batch)} events"))
            return
        self.outbox.ack(done)
        self.delivered += len(done)
        self.duplicates += len([i for i in _id_list(body.get("duplicates")) if i in sent_ids])
        if len(done) < len(batch):  # the server did not mention some: they stay and go again
            log.warning("server confirmed %d of %d events; the rest stay queued", len(done), len(batch))
        self._last_upload = time.time()
        self._max_count = min(self.settings.batch_max_events, self._max_count * 2)
        self.outbox.set_meta({META_LAST_UPLOAD: repr(self._last_upload)})

    def _split_refused(self, batch: list[OutboxEvent], reply: Reply) -> None:
        """422 (one malformed event) or 413 (too big) refuses the whole batch: halve it until
        the batch goes through or the culprit is alone, then set that one event aside."""
        if len(batch) == 1:
            reason = f"HTTP {reply.status}: {reply.error_text()}"
            log.error("server refused event %s (%s): %s", batch[0].id, batch[0].type, reason)
            self.outbox.reject(batch[0], reason)
            self._set_link(Health.degraded("event_rejected", f"{batch[0].type}: {reason[:200]}"))
            return
        self._max_count = max(1, len(batch) // 2)
        if reply.status == 413:
            self._set_link(Health.degraded("batch_too_large", f"batch limit now {self._max_count}"))

    def _post(self, path: str, body: dict[str, Any], *, passthrough: tuple[int, ...] = ()) -> Reply | None:
        """Send and classify; ``None`` means "not now" (backoff or revocation already applied).

        Statuses in ``passthrough`` are returned for the caller to handle (they say something
        about this request's content, not about the link).
        """
        try:
            reply = self.link.post(path, body)
        except LinkDown as exc:
            self._fail(Health.fault(exc.reason, exc.detail))
            return None
        if reply.server_epoch is not None:
            self.skew.observe(reply.server_epoch, reply.sent_wall, reply.received_wall)
        if reply.ok or reply.status in passthrough:
            self._backoff.reset()
            self._set_link(Health.ok(f"HTTP {reply.status}"))
            return reply
        if reply.status in (401, 403):
            self._revoke(reply)
        elif reply.status == 429:
            self._fail(Health.degraded("rate_limited", "HTTP 429"), reply.retry_after_s)
        else:
            self._fail(Health.fault("server_error", f"HTTP {reply.status}: {reply.error_text()[:200]}"),
                       reply.retry_after_s if reply.status == 503 else None)
        return None

    def _revoke(self, reply: Reply) -> None:
        log.error("server refused the device token (HTTP %d): reporting stopped; enrol again", reply.status)
        self._revoked = True
        self.tokens.mark_revoked()
        self.outbox.set_meta({META_REVOKED_CODE: _code_digest(self.config.enrol_code)})
        self._set_link(Health.fault("token_revoked", f"HTTP {reply.status}: enrol the device again"))

    def _fail(self, health: Health, retry_after_s: float | None = None) -> float:
        delay = retry_after_s if retry_after_s is not None else self._backoff.next_delay()
        if retry_after_s is not None:
            self._backoff.next_delay()  # still count the failure, so repeated 429s back off too
        self._not_before = time.monotonic() + delay
        self._set_link(health)
        return delay

    def _set_link(self, health: Health) -> None:
        changed = (health.state, health.reason) != (self._link_health.state, self._link_health.reason)
        self._link_health = health
        if changed:
            offset = self.skew.offset_s
            self.outbox.set_meta({
                META_LINK_STATE: health.state.value, META_LINK_REASON: health.reason,
                META_LINK_DETAIL: health.detail, META_CLOCK_OFFSET: "" if offset is None else repr(offset),
            })

    # ---- what others look at ------------------------------------------------------------
    @property
    def revoked(self) -> bool:
        return self._revoked

    def status(self) -> ReporterStatus:
        return ReporterStatus(self.outbox.pending_count(), self._last_upload, self._link_health,
                              self.skew.offset_s, self.outbox.rejected_count())

    def wait_until_empty(self, timeout: float) -> bool:
        """Block until the outbox is empty (shutdown, tests); ``False`` on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.outbox.pending_count() == 0:
                return True
            self._wake_event.set()
            time.sleep(0.05)
        return self.outbox.pending_count() == 0


def _code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _id_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
