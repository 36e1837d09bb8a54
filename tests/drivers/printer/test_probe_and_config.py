"""The DLE EOT probe registered for ``kiosk doctor`` and the printer's config entries."""
from __future__ import annotations

import pytest

from drivers.health import HealthState
from kiosk.config import ConfigError, ThermalPrinterConfig
from kiosk.probes import PROBES, run_probe


def test_printer_probe_is_the_protocol_level_one():
    assert PROBES["printer"] == "drivers.printer.probe:probe"


def test_probe_reports_printer_status(printer_sim):
    config = ThermalPrinterConfig(port=printer_sim.port, timeout_s=2)
    assert run_probe("printer", config).is_ok
    printer_sim.control("cover open")
    health = run_probe("printer", config)
    assert health.state is HealthState.FAULT and health.reason == "cover_open"


def test_probe_file_printer(tmp_path):
    assert run_probe("printer", ThermalPrinterConfig(port=f"file:{tmp_path}/x.bin")).is_ok


def test_unknown_profile_is_a_config_error():
    from kiosk.config import validate_model

    with pytest.raises(ConfigError) as info:
        validate_model(ThermalPrinterConfig, {"port": "127.0.0.1:9100", "profile": "no-such-printer"}, "t.toml")
    assert "profile" in str(info.value)
    assert ThermalPrinterConfig(port="127.0.0.1:9100", profile="TM-T88V").profile == "TM-T88V"
