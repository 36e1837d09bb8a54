"""``kiosk doctor``'s printer probe: ask the printer ``DLE EOT`` instead of just opening the port.

Registered in ``kiosk.probes.PROBES["printer"]``. An open port proves a cable; an answer
to ``DLE EOT`` proves a printer, and says whether it has paper and a closed cover.
"""
from __future__ import annotations

import os
from typing import Any

from drivers.health import Health
from drivers.printer.profiles import UnknownProfile
from drivers.printer.thermal import ThermalPrinter


def probe(device_config: Any) -> Health:
    try:
        printer = ThermalPrinter.from_config(device_config)
    except UnknownProfile as exc:
        return Health.fault("unknown_profile", f"printer profile {exc} is not in the capability table")
    printer.timeout_s = min(printer.timeout_s, 3.0)
    if printer.spec.kind == "file":
        parent = os.path.dirname(os.path.abspath(printer.spec.path))
        return Health.ok(f"writes to {printer.spec.path}") if os.access(parent, os.W_OK) \
            else Health.fault("not_writable", printer.spec.path)
    return printer.health()
