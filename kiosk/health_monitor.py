"""One place that turns peripheral health into fault events, and builds the heartbeat.

Each configured peripheral contributes a callable returning its current
:class:`drivers.health.Health` (the drivers own how they find out). The monitor polls them
all, and only a state seen on ``debounce`` consecutive polls counts: a printer that reports
``paper_out`` for one poll while the roll is being changed must not open and close a fault
on the server. Each confirmed transition becomes exactly one event (``fault_raised`` or
``fault_cleared``); the confirmed states are kept in the outbox's ``meta`` table so a restart
neither raises an open fault again nor forgets to clear one that went away meanwhile.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.background import BackgroundWorker
from drivers.health import Health, HealthState
from kiosk import __version__
from kiosk.outbox import Outbox, OutboxError, OutboxEvent
from kiosk.privacy import mask_text

log = logging.getLogger(__name__)

HealthProbe = Callable[[], Health]
META_PREFIX = "health."


@dataclass(frozen=True)
class Confirmed:
    """The state the server has been told about for one peripheral."""

    state: HealthState
    reason: str = ""

    @classmethod
    def of(cls, health: Health) -> "Confirmed":
        return cls(health.state, health.reason if not health.is_ok else "")

    def to_json(self) -> str:
        return json.dumps({"state": self.state.value, "reason": self.reason})

    @classmethod
    def from_json(cls, text: str | None) -> "Confirmed":
        try:
            data = json.loads(text or "")
            return cls(HealthState(data["state"]), str(data.get("reason", "")))
        except (ValueError, KeyError, TypeError):
            return cls(HealthState.OK)


class HealthMonitor(BackgroundWorker):
    thread_name = "health-monitor"

    """Polls peripherals, emits fault events on debounced transitions, reports system state."""

    def __init__(
        self,
        outbox: Outbox,
        probes: Mapping[str, HealthProbe],
        *,
        debounce: int = 2,
        interval_s: float = 5.0,
        config_version: str = "1",
        disk_path: str | Path = ".",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if debounce < 1:
            raise ValueError("debounce must be at least 1")
        self.outbox = outbox
        self.probes = dict(probes)
        self.debounce = debounce
        self.interval_s = interval_s
        self.config_version = config_version
        self.disk_path = Path(disk_path)
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._latest: dict[str, Health] = {}
        self._confirmed = {name: Confirmed.from_json(outbox.get_meta(META_PREFIX + name)) for name in self.probes}
        self._candidate: dict[str, tuple[Confirmed, int]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- polling --------------------------------------------------------------------------
    def poll_once(self) -> list[OutboxEvent]:
        """Ask every peripheral once; returns the events this poll emitted."""
        emitted: list[OutboxEvent] = []
        for name, probe in self.probes.items():
            health = _safe_probe(probe)
            with self._lock:
                self._latest[name] = health
            emitted += self._observe(name, health)
        return emitted

    def _observe(self, name: str, health: Health) -> list[OutboxEvent]:
        seen = Confirmed.of(health)
        confirmed = self._confirmed.get(name, Confirmed(HealthState.OK))
        if seen == confirmed:
            self._candidate.pop(name, None)
            return []
        previous, count = self._candidate.get(name, (seen, 0))
        count = count + 1 if previous == seen else 1
        if count < self.debounce:
            self._candidate[name] = (seen, count)
            return []
        events = self._transition(name, confirmed, seen, health)
        if events is None:  # could not record it: keep the candidate and try on the next poll
            self._candidate[name] = (seen, count)
            return []
        self._candidate.pop(name, None)
        self._confirmed[name] = seen
        self.outbox.set_meta({META_PREFIX + name: seen.to_json()})
        return events

    def _transition(self, name: str, old: Confirmed, new: Confirmed, health: Health) -> list[OutboxEvent] | None:
        items: list[tuple[str, dict[str, Any]]] = []
        if old.state is not HealthState.OK:
            items.append(("fault_cleared", {"peripheral": name, "reason": reason_key(old.reason)}))
        if new.state is not HealthState.OK:
            items.append(("fault_raised", {"peripheral": name, "reason": reason_key(new.reason),
                                           "severity": new.state.value, "detail": mask_text(health.detail)[:500]}))
        try:
            return self.outbox.enqueue_many(items)
        except OutboxError as exc:
            log.error("could not record %s health change: %s", name, exc)
            return None

    # ---- thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("health poll failed")
            self._stop.wait(self.interval_s)

    # ---- heartbeat --------------------------------------------------------------------------
    def peripheral_states(self) -> dict[str, dict[str, str]]:
        with self._lock:
            latest = dict(self._latest)
        return {name: {"state": h.state.value, "reason": reason_key(h.reason) if not h.is_ok else ""}
                for name, h in sorted(latest.items())}

    def heartbeat_payload(self) -> dict[str, Any]:
        """What the server shows on the device page; cheap enough to build every minute."""
        return {
            "app_version": __version__,
            "config_version": self.config_version,
            "uptime_s": round(self._clock() - self._started, 1),
            "outbox_depth": self.outbox.pending_count(),
            "peripherals": self.peripheral_states(),
            **system_metrics(self.disk_path),
        }


def system_metrics(disk_path: Path) -> dict[str, Any]:
    """Memory, disk and (where the board exposes it) temperature, via psutil."""
    import psutil

    mem = psutil.virtual_memory()
    metrics: dict[str, Any] = {
        "memory_pct": round(float(mem.percent), 1),
        "process_rss_mb": psutil.Process(os.getpid()).memory_info().rss // 2**20,
    }
    try:
        metrics["disk_free_mb"] = psutil.disk_usage(str(disk_path)).free // 2**20
    except OSError:
        pass
    temperature = _max_temperature(psutil)
    if temperature is not None:
        metrics["temperature_c"] = temperature
    return metrics


def _max_temperature(psutil: Any) -> float | None:
    reader = getattr(psutil, "sensors_temperatures", None)
    if reader is None:
        return None
    try:
        readings = [t.current for sensors in reader().values() for t in sensors if t.current]
    except (OSError, AttributeError, RuntimeError):
        return None
    return round(max(readings), 1) if readings else None


_KEY_BAD = re.compile(r"[^a-z0-9_]+")


def reason_key(reason: str) -> str:
    """A Health reason as the wire's ``^[a-z][a-z0-9_]{0,59}$`` key (drivers should already comply)."""
    key = _KEY_BAD.sub("_", reason.strip().lower()).strip("_")
    if not key or not key[0].isalpha():
        key = "r_" + key if key else "unknown"
    return key[:60].rstrip("_") or "unknown"


def _safe_probe(probe: HealthProbe) -> Health:
    try:
        health = probe()
    except Exception as exc:  # a broken driver must not stop the others being watched
        return Health.fault("probe_failed", type(exc).__name__)
    return health if isinstance(health, Health) else Health.fault("probe_failed", "not a Health")
