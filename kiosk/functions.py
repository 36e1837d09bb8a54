"""The terminal's functions (home-screen tiles) and what each needs to work.

Each function declares the devices it needs; when one of them is in fault the tile is
greyed with the reason ("凭条打印机故障，暂停此项服务") and the rest of the terminal goes
on. A function whose journey is not built into this release says so honestly
("暂未开放") instead of opening an empty screen.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from drivers.health import Health


@dataclass(frozen=True)
class Function:
    key: str  # also the i18n key under "tile."
    needs_any: tuple[str, ...] = ()  # at least one of these devices must be usable
    needs_all: tuple[str, ...] = ()  # every one of these must be usable
    implemented: bool = False
    elderly: bool = True  # shown in 长者模式 (which has fewer tiles)


TERMINAL_FUNCTIONS: tuple[Function, ...] = (
    Function("guide", elderly=True),
    Function("progress", needs_any=("idcard", "sscard", "qr_camera", "scanner")),
    Function("print", needs_any=("idcard", "sscard", "qr_camera"), needs_all=("a4printer",)),
    Function("declare", needs_any=("idcard", "sscard"), needs_all=("doc_camera", "printer"), elderly=False),
    Function("rate"),
    Function("call_staff"),
)


@dataclass(frozen=True)
class Availability:
    usable: bool
    reason_key: str = ""
    reason_args: tuple[tuple[str, str], ...] = ()


def availability(function: Function, configured: set[str], health: Mapping[str, Health]) -> Availability:
    """Decide whether a tile can be used now, and if not, why (as an i18n key)."""
    if not function.implemented:
        return Availability(False, "unavailable.not_ready")

    def usable(device: str) -> bool:
        return device in configured and not health.get(device, Health.ok()).is_fault

    for device in function.needs_all:
        if not usable(device):
            return Availability(False, "unavailable.device_fault", (("device", device),))
    if function.needs_any and not any(usable(d) for d in function.needs_any):
        return Availability(False, "unavailable.device_fault", (("device", function.needs_any[0]),))
    return Availability(True)
