"""The terminal's functions (home-screen tiles) and what each needs to work.

Needs are device names of ``[devices]`` plus ``server`` (the management server's content API:
cases, certificates, applications; usable while the server link is not in fault) and ``catalog``
(a stored copy of the service catalog, which lets 办事指南 work offline).

Each function declares the devices it needs; when one of them is in fault the tile is
greyed with the reason ("凭条打印机故障，暂停此项服务") and the rest of the terminal goes
on. A function whose journey is not built into this release says so honestly
("暂未开放") instead of opening an empty screen.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from drivers.health import Health

CATALOG_FILE = "catalog.json"  # = kiosk.catalog_cache.CATALOG_FILE (not imported: it loads requests at start-up)


@dataclass(frozen=True)
class Function:
    key: str  # also the i18n key under "tile."
    needs_any: tuple[str, ...] = ()  # at least one of these devices must be usable
    needs_all: tuple[str, ...] = ()  # every one of these must be usable
    implemented: bool = False
    elderly: bool = True  # shown in 长者模式 (which has fewer tiles)
    service: bool = True  # a citizen service; with none usable the terminal shows its out-of-service screen


TERMINAL_FUNCTIONS: tuple[Function, ...] = (
    Function("guide", needs_any=("server", "catalog"), elderly=True, implemented=True),
    Function("progress", needs_any=("idcard", "sscard", "qr_camera", "scanner"), needs_all=("server",),
             implemented=True),
    Function("print", needs_any=("idcard", "sscard", "qr_camera"), needs_all=("a4printer", "server"), implemented=True),
    Function("declare", needs_any=("idcard", "sscard"), needs_all=("doc_camera", "printer", "server"), elderly=False,
             implemented=True),
    Function("rate", service=False, implemented=True),
    Function("call_staff", service=False, implemented=True),  # an outbox event and a chime: no device needed
)


@dataclass(frozen=True)
class Availability:
    usable: bool
    reason_key: str = ""
    reason_args: tuple[tuple[str, str], ...] = ()

    def text(self, translate: Callable[..., str], function: str = "") -> str:
        """The reason as the tile shows it: "A4 打印机缺纸，暂停打印服务" (specific per device and fault)."""
        if self.usable:
            return ""
        args = dict(self.reason_args)
        if self.reason_key != "unavailable.fault":
            return translate(self.reason_key, **{k: translate(f"device.{v}") for k, v in args.items()})
        device, reason = args.get("device", ""), args.get("reason", "")
        problem = translate(f"fault.{reason}") if reason and _has(f"fault.{reason}") else translate("fault.generic")
        service = translate(f"unavailable.service.{function}") if _has(f"unavailable.service.{function}") else ""
        key = "unavailable.fault_service" if service else "unavailable.fault"
        return translate(key, device=translate(f"device.{device}"), problem=problem, service=service)


def _has(key: str) -> bool:
    from kiosk.i18n import DEFAULT_LANGUAGE, catalog

    return key in catalog(DEFAULT_LANGUAGE)


# Reasons of the reporter's link that mean the content API cannot be used either.
_SERVER_LINK_FAULTS = ("token_revoked", "not_enrolled", "enrolment_refused")


def configured_needs(config, backend: object | None = None) -> set[str]:
    """What this terminal has: its configured devices, and its content source.

    ``server`` is present with a ``[server]`` (its health then decides), with the built-in sample
    content, or when the app's backend is already a working one (``backend``: the built backend,
    ``None`` if not built yet); ``catalog`` once a copy of the service catalog is stored or the
    content is local (办事指南 then works offline).
    """
    names = set(config.devices.configured())
    local = config.backend.source == "sample"
    if not local and backend is not None and config.server is None:
        # only then: the home screen asks before the first frame, when no backend is built yet
        from kiosk.backend.factory import NoBackend

        local = not isinstance(backend, NoBackend)
    if config.server is not None or local:
        names.add("server")
    if local or (config.server is not None and (Path(config.paths.data_dir) / CATALOG_FILE).is_file()):
        names.add("catalog")
    return names


def need_health(need: str, health: Mapping[str, Health]) -> Health:
    """A need's current Health; ``server`` combines the server probe and the reporter's link state."""
    state = health.get(need, Health.ok())
    if need == "server" and not state.is_fault:
        link = health.get("reporting")
        if link is not None and link.reason in _SERVER_LINK_FAULTS:
            return Health.fault(link.reason, link.detail)
    return state


def availability(function: Function, configured: set[str], health: Mapping[str, Health]) -> Availability:
    """Decide whether a tile can be used now, and if not, why (``unavailable.*`` key and its arguments)."""
    if not function.implemented:
        return Availability(False, "unavailable.not_ready")

    def problem(need: str) -> str | None:
        """``None`` when usable, else the fault's reason key (``not_configured`` when absent)."""
        if need not in configured:
            return "not_configured"
        state = need_health(need, health)
        return (state.reason or "fault") if state.is_fault else None

    for need in function.needs_all:
        reason = problem(need)
        if reason is not None:
            return Availability(False, "unavailable.fault", (("device", need), ("reason", reason)))
    if function.needs_any and all(problem(n) is not None for n in function.needs_any):
        present = [n for n in function.needs_any if n in configured]
        if len(present) > 1:
            return Availability(False, "unavailable.fault", (("device", "identify"), ("reason", "none_usable")))
        need = present[0] if present else function.needs_any[0]
        return Availability(False, "unavailable.fault", (("device", need), ("reason", str(problem(need)))))
    return Availability(True)


def out_of_service(functions: tuple[Function, ...], configured: set[str], health: Mapping[str, Health]) -> bool:
    """True when citizen services are built but none can be used now (faults, not "not ready yet")."""
    states = [availability(f, configured, health) for f in functions if f.service and f.implemented]
    # a service this terminal was never set up for (its needs not configured) is not offered, not down
    offered = [a for a in states if dict(a.reason_args).get("reason") != "not_configured"]
    return bool(offered) and not any(a.usable for a in offered)
