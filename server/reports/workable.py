"""实时可办率: the share of the catalog's items a terminal can serve right now (target 90 %).

An item is workable on a terminal when the terminal is online and every terminal function the
item offers (``guide``, ``progress``, ``print``, ``declare``) is usable there. A function is
usable when its peripherals are: the table below mirrors the terminal's own rules in
``kiosk/functions.py`` (the server must not import the kiosk package; tests/server/fleet
checks the two tables agree; the terminal's pseudo-needs ``server`` and ``catalog`` are met by
the terminal being online, since its heartbeats reach this server). A peripheral is usable when the terminal reports it (it is in the
last heartbeat's ``peripherals``) in a state other than ``fault``/``absent`` and it has no
active fault, other than a warning such as ``paper_near_end`` that leaves it working.
Functions the server does not know (a catalog may list ``query``) need only the terminal online.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session

from server.models import Device, Fault, Site
from server.services import content

TARGET = 0.90


@dataclass(frozen=True)
class Needs:
    any_of: tuple[str, ...] = ()  # at least one of these usable
    all_of: tuple[str, ...] = ()  # every one of these usable


# Mirror of kiosk.functions.TERMINAL_FUNCTIONS (needs_any / needs_all) for the catalog's functions.
FUNCTION_NEEDS: dict[str, Needs] = {
    "guide": Needs(),
    "progress": Needs(any_of=("idcard", "sscard", "qr_camera", "scanner")),
    "print": Needs(any_of=("idcard", "sscard", "qr_camera"), all_of=("a4printer",)),
    "declare": Needs(any_of=("idcard", "sscard"), all_of=("doc_camera", "printer")),
}
WARNING_REASONS = frozenset({"paper_near_end"})  # reported as faults but the peripheral still works
ACTIVE = ("open", "acknowledged")


def usable_peripherals(peripherals: Mapping[str, Any], faulty: Iterable[str]) -> set[str]:
    bad = set(faulty)
    return {name for name, p in peripherals.items()
            if isinstance(p, Mapping) and p.get("state") not in ("fault", "absent") and name not in bad}


def usable_functions(usable: set[str]) -> set[str]:
    return {name for name, needs in FUNCTION_NEEDS.items()
            if all(p in usable for p in needs.all_of) and (not needs.any_of or any(p in usable for p in needs.any_of))}


def item_requirements(items: Iterable[Mapping[str, Any]]) -> Counter[frozenset[str]]:
    """How many items need each set of known functions (an item needs every function it lists)."""
    return Counter(frozenset(f for f in item.get("functions", ()) if f in FUNCTION_NEEDS) for item in items)


def rate(online: bool, functions: set[str], requirements: Counter[frozenset[str]]) -> float:
    total = sum(requirements.values())
    if not online or total == 0:
        return 0.0
    return sum(n for needed, n in requirements.items() if needed <= functions) / total


@dataclass(frozen=True)
class TerminalRate:
    device_id: str
    name: str
    hall: str
    online: bool
    rate: float
    missing: tuple[str, ...]  # functions not usable now (why the rate is below 100 %)


@dataclass(frozen=True)
class FleetRate:
    terminals: list[TerminalRate]
    items: int

    @property
    def overall(self) -> float | None:
        """Fleet-wide 可办率: the mean over terminals (each terminal serves the whole catalog)."""
        return sum(t.rate for t in self.terminals) / len(self.terminals) if self.terminals else None

    @property
    def below_target(self) -> list[TerminalRate]:
        return sorted((t for t in self.terminals if t.rate < TARGET), key=lambda t: (t.rate, t.device_id))

    def by_device(self) -> dict[str, float]:
        return {t.device_id: t.rate for t in self.terminals}


def catalog_items(session: Session) -> list[Mapping[str, Any]]:
    body = content.catalog(session)[0]
    items = body.get("items", []) if isinstance(body, Mapping) else []
    return [i for i in items if isinstance(i, Mapping)]


def _judge(raw: str | None, faulty: frozenset[str], requirements: Counter[frozenset[str]]) -> tuple[float, tuple[str, ...]]:
    """(rate when online, functions not usable) for a stored peripherals snapshot and faulty peripherals."""
    try:
        peripherals = json.loads(raw or "{}")
    except ValueError:
        peripherals = {}
    functions = usable_functions(usable_peripherals(peripherals if isinstance(peripherals, dict) else {}, faulty))
    return rate(True, functions, requirements), tuple(f for f in FUNCTION_NEEDS if f not in functions)


def _faulty_query(site_slug: str | None) -> Select:  # type: ignore[type-arg]
    query = (select(Fault.device_id, Fault.peripheral).join(Device, Device.id == Fault.device_id)
             .where(Fault.state.in_(ACTIVE), Device.type == "terminal", Fault.reason.not_in(WARNING_REASONS),
                    Fault.peripheral != "device"))  # "offline" is the online flag's business
    if site_slug:
        query = query.join(Site, Site.id == Device.site_id).where(Site.slug == site_slug)
    return query


@dataclass(frozen=True)
class FleetSummary:
    """The fleet-wide figure for the fleet page, and the rates of terminals with active faults."""

    overall: float | None
    count: int
    below: int
    items: int
    by_device: dict[str, float]


def summary(session: Session, site_slug: str | None = None) -> FleetSummary:
    """实时可办率 of the fleet without a row per terminal: terminals without active faults are grouped
    by (online, snapshot) in the database; only those with active faults are judged one by one."""
    requirements = item_requirements(catalog_items(session))
    faulty: dict[str, set[str]] = {}
    for did, peripheral in session.execute(_faulty_query(site_slug)):
        faulty.setdefault(did, set()).add(peripheral)
    snapshot = cast(Device.peripherals, Text)
    scope = [Device.type == "terminal", Device.retired.is_(False)]
    if site_slug:
        scope.append(Device.site_id.in_(select(Site.id).where(Site.slug == site_slug)))
    faulty_ids = _faulty_query(site_slug).with_only_columns(Fault.device_id)
    grouped = session.execute(select(Device.online, snapshot, func.count()).where(*scope, Device.id.not_in(faulty_ids))
                              .group_by(Device.online, snapshot)).all()
    count = below = 0
    total = 0.0
    for online, raw, n in grouped:
        share = _judge(raw, frozenset(), requirements)[0] if online else 0.0
        count, total, below = count + n, total + share * n, below + (n if share < TARGET else 0)
    by_device = {}
    for did, online, raw in session.execute(select(Device.id, Device.online, snapshot)
                                            .where(*scope, Device.id.in_(faulty_ids))):
        share = _judge(raw, frozenset(faulty[did]), requirements)[0] if online else 0.0
        by_device[did] = share
        count, total, below = count + 1, total + share, below + (1 if share < TARGET else 0)
    return FleetSummary(total / count if count else None, count, below, sum(requirements.values()), by_device)


def fleet_rate(session: Session, site_slug: str | None = None, device_id: str | None = None) -> FleetRate:
    """实时可办率 of every terminal (of one hall when ``site_slug``, or one device): two queries and the catalog."""
    items = catalog_items(session)
    requirements = item_requirements(items)
    # The snapshot as stored text: most terminals report the same one, so each distinct
    # (snapshot, faulty peripherals) pair is parsed and judged once (10,000 tiles on the fleet page).
    query = (select(Device.id, Device.name, Device.online, cast(Device.peripherals, Text), Site.name)
             .join(Site, Site.id == Device.site_id)
             .where(Device.type == "terminal", Device.retired.is_(False)).order_by(Device.id))
    fault_query = _faulty_query(site_slug)
    if site_slug:
        query = query.where(Site.slug == site_slug)
    if device_id:
        query = query.where(Device.id == device_id)
        fault_query = fault_query.where(Device.id == device_id)
    faulty: dict[str, set[str]] = {}
    for did, peripheral in session.execute(fault_query):
        faulty.setdefault(did, set()).add(peripheral)
    terminals = []
    judged: dict[tuple[str | None, frozenset[str]], tuple[float, tuple[str, ...]]] = {}
    for did, name, online, raw, hall in session.execute(query):
        key = (raw, frozenset(faulty.get(did, ())))
        if key not in judged:
            judged[key] = _judge(raw, key[1], requirements)
        share, missing = judged[key]
        terminals.append(TerminalRate(did, name or did, hall, bool(online), share if online else 0.0, missing))
    return FleetRate(terminals, len(items))
