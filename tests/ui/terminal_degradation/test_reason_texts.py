"""The greyed-tile reasons are specific: device and fault named, in both languages, for every fault a driver raises."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from drivers.health import Health
from kiosk.functions import TERMINAL_FUNCTIONS, availability
from kiosk.i18n import catalog, translate

ROOT = Path(__file__).resolve().parents[3]


def _driver_fault_reasons() -> set[str]:
    """Every ``Health.fault("reason"`` the device drivers can report (read from their source)."""
    found: set[str] = set()
    for path in (ROOT / "drivers").rglob("*.py"):
        found.update(re.findall(r'Health\.fault\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    found.update(re.findall(r'"[a-z-]+": "([a-z_]+)"', (ROOT / "drivers/printer/cups.py").read_text("utf-8")))
    return found


def test_every_driver_fault_has_a_short_reason_in_both_languages():
    reasons = _driver_fault_reasons()
    assert {"paper_out", "port_missing", "camera_missing", "reader_missing"} <= reasons  # the scan works
    for language in ("zh_CN", "en"):
        missing = sorted(r for r in reasons if f"fault.{r}" not in catalog(language))
        assert not missing, f"{language}: fault.* missing for {missing}"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_texts_name_device_fault_and_service(language):
    tr = lambda key, **v: translate(key, language, **v)  # noqa: E731
    configured = {"idcard", "printer", "a4printer", "doc_camera", "server"}
    texts = set()
    for function in TERMINAL_FUNCTIONS:
        function = dataclasses.replace(function, implemented=True)
        for device in function.needs_all:
            for reason in ("paper_out", "port_missing", "server_unreachable"):
                health = {device: Health.fault(reason)}
                state = availability(function, configured, health)
                text = state.text(tr, function.key)
                assert not state.usable and tr(f"device.{device}") in text and tr(f"fault.{reason}") in text
                texts.add(text)
    assert "凭条打印机缺纸，暂停申报服务" in texts or language == "en"
    assert "A4 打印机缺纸，暂停打印服务" in texts or language == "en"
    assert "Receipt printer: out of paper; applications paused" in texts or language == "zh_CN"
