"""What ``kiosk doctor`` checks: every configured device and the server link, once.

Kept apart from the command module so the maintenance screen can run the same checks and
show the same table.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from drivers.health import Health, HealthState
from kiosk.config import KioskConfig
from kiosk.probes import run_probe


@dataclass(frozen=True)
class CheckRow:
    device: str
    link: str
    required: bool
    health: Health


def _link_of(device_config) -> str:
    for attr in ("port", "reader", "queue", "source", "voice"):
        value = getattr(device_config, attr, None)
        if value:
            return str(value)
    return "-"


def probe_server(config: KioskConfig) -> CheckRow | None:
    if config.server is None:
        return None
    import requests  # imported on use: the UI start-up path does not need it

    url = config.server.url.rstrip("/") + "/healthz"
    verify: bool | str = str(config.server.ca_file) if config.server.ca_file else config.server.verify_tls
    try:
        # B113: timeout given
        response = requests.get(url, timeout=min(config.server.timeout_s, 5), verify=verify)  # nosec B113
        health = Health.ok(f"HTTP {response.status_code}") if response.ok else Health.fault(
            "server_unreachable", f"HTTP {response.status_code}")
    except requests.RequestException as exc:
        health = Health.fault("server_unreachable", type(exc).__name__)
    return CheckRow("server", config.server.url, config.server.required, health)


def reporting_row(config: KioskConfig) -> CheckRow:
    """Events waiting in the outbox and the last confirmed upload, as the running app recorded them."""
    import datetime as dt

    from kiosk.report_status import report_status

    status = report_status(config)
    last = dt.datetime.fromtimestamp(status.last_upload_at).strftime("%Y-%m-%d %H:%M:%S") if status.last_upload_at else "-"
    link = f"{status.pending} pending, last upload {last}"
    return CheckRow("reporting", link, False, status.link)


def run_checks(config: KioskConfig) -> list[CheckRow]:
    """Probe all devices in parallel (each probe has its own timeout) and the server link."""
    devices = config.devices.configured()
    with ThreadPoolExecutor(max_workers=max(1, len(devices) + 1)) as pool:
        futures = {name: pool.submit(run_probe, name, dev) for name, dev in devices.items()}
        server_future = pool.submit(probe_server, config)
        rows = [CheckRow(name, _link_of(dev), dev.required, futures[name].result()) for name, dev in devices.items()]
        server_row = server_future.result()
    if server_row is not None:
        rows.append(server_row)
    rows.append(reporting_row(config))
    return rows


def failed_required(rows: list[CheckRow]) -> list[CheckRow]:
    return [r for r in rows if r.required and r.health.state is HealthState.FAULT]
