"""One background thread that keeps server-owned data fresh: staff directory, reason list.

Each job is a ``refresh(link)`` callable. They run every ``interval_s`` and at once when a
remote command asks (``run_now``, which answers the command truthfully: changed, unchanged
or the failure reason). The worker has its own :class:`ServerLink` (a requests session is
not shared between threads) and borrows the reporter's token, so it needs no enrolment of
its own and stops being able to fetch exactly when the token is revoked.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.server_link import ServerLink

log = logging.getLogger(__name__)

Job = Callable[[ServerLink], Any]


class SyncWorker:
    def __init__(self, link: ServerLink, token: Callable[[], str | None], jobs: Mapping[str, Job], *,
                 interval_s: float = 600.0, first_delay_s: float = 5.0) -> None:
        self.link = link
        self._token = token
        self.jobs = dict(jobs)
        self.interval_s = interval_s
        self.first_delay_s = first_delay_s
        self._lock = threading.Lock()  # one fetch at a time on the one link
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: dict[str, str] = {}

    def start(self) -> "SyncWorker":
        self._thread = threading.Thread(target=self._loop, name="server-sync", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.link.close()

    def run_now(self, name: str) -> Any:
        """Run one job now (raises what the job raises); ``not_enrolled`` before the first token."""
        with self._lock:
            self.link.token = self._token()
            return self.jobs[name](self.link)

    def _loop(self) -> None:
        wait = self.first_delay_s
        while not self._stop.wait(wait):
            wait = self.interval_s
            for name in self.jobs:
                if self._stop.is_set():
                    return
                try:
                    self.run_now(name)
                    self.last_error.pop(name, None)
                except Exception as exc:  # noqa: BLE001 - the next round tries again
                    reason = getattr(exc, "reason", type(exc).__name__)
                    if self.last_error.get(name) != reason:
                        log.warning("refreshing %s failed: %s", name, exc)
                    self.last_error[name] = reason


def start_server_sync(config: Any, reporting: Any, *, staff: Any = None,
                      on_staff: Callable[[], None] = lambda: None,
                      on_reasons: Callable[[Any], None] = lambda _r: None,
                      interval_s: float = 600.0) -> SyncWorker | None:
    """Start the worker for a device and register ``update_reasons`` (and ``update_staff``).

    ``config`` is the :class:`kiosk.config.KioskConfig`, ``reporting`` the started
    :class:`kiosk.reporting.Reporting`; ``staff`` the evaluator's ``StaffDirectory`` (None on a
    terminal). ``on_staff``/``on_reasons`` run on the worker thread after an install.
    """
    from kiosk.reasons_sync import ReasonsSync
    from kiosk.remote_commands import CommandResult
    from kiosk.staff_sync import StaffSync

    reporter = reporting.reporter
    if reporter is None or config.server is None:
        return None
    jobs: dict[str, Job] = {"reasons": ReasonsSync(config.paths.data_dir, on_reasons).refresh}
    if staff is not None:
        staff_sync = StaffSync(staff)

        def refresh_staff(link: ServerLink) -> bool:
            changed = staff_sync.refresh(link)
            if changed:
                on_staff()
            return changed

        jobs["staff"] = refresh_staff
    worker = SyncWorker(ServerLink(config.server), lambda: reporter.link.token, jobs, interval_s=interval_s).start()

    def command(job: str) -> Callable[[Any], Any]:
        def handler(_command: Any) -> Any:
            try:
                result = worker.run_now(job)
            except Exception as exc:  # noqa: BLE001 - reported in the ack, the old data stays
                return CommandResult("failed", getattr(exc, "reason", "handler_error"))
            if job == "reasons":
                return CommandResult.ok(changed=result is not None, version=getattr(result, "version", None))
            return CommandResult.ok(changed=bool(result), staff=len(staff) if staff is not None else 0)
        return handler

    reporting.register_command("update_reasons", command("reasons"))
    if staff is not None:
        reporting.register_command("update_staff", command("staff"))
    return worker
