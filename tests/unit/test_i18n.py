"""Every user-facing string exists in Chinese and English with the same placeholders."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string

from kiosk.config import DevicesConfig
from kiosk.functions import TERMINAL_FUNCTIONS
from kiosk.i18n import catalog, format_date, format_datetime, translate

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_same_keys_and_placeholders():
    zh, en = catalog("zh_CN"), catalog("en")
    assert set(zh) == set(en)
    for key in zh:
        assert _fields(zh[key]) == _fields(en[key]), key


def test_chinese_is_chinese_and_english_is_not():
    for key, text in catalog("zh_CN").items():
        if key not in ("tile.language",):
            assert CJK.search(text), f"zh_CN {key} has no Chinese: {text!r}"
    for key, text in catalog("en").items():
        if key != "tile.language":
            assert not CJK.search(text), f"en {key} has Chinese: {text!r}"


def test_every_device_and_function_has_a_name():
    zh = catalog("zh_CN")
    for name in (f.name for f in dataclasses.fields(DevicesConfig)):
        assert f"device.{name}" in zh
    for function in TERMINAL_FUNCTIONS:
        assert f"tile.{function.key}" in zh


def _reason_literals() -> set[str]:
    """Every reason key written as a literal in a Health(...) anywhere in drivers/ and kiosk/."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r'Health(?:\.(?:fault|degraded)|\(\s*HealthState\.\w+\s*,)\(?\s*"([a-z][a-z0-9_]*)"')
    found: set[str] = set()
    for package in ("drivers", "kiosk"):
        for path in (root / package).rglob("*.py"):
            found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_health_reason_is_translated():
    reasons = _reason_literals()
    assert len(reasons) > 20
    zh, en = catalog("zh_CN"), catalog("en")
    missing = sorted(r for r in reasons if f"health.{r}" not in zh or f"health.{r}" not in en)
    assert not missing, missing


def test_dates_as_a_chinese_user_expects():
    moment = dt.datetime(2026, 11, 23, 14, 5)
    assert format_datetime(moment, "zh_CN") == "2026年11月23日 星期一 14:05"
    assert format_datetime(moment, "en") == "Mon 23 Nov 2026 14:05"
    assert format_date(moment.date()) == "2026年11月23日"


def test_missing_key_shows_the_key():
    assert translate("no.such.key") == "no.such.key"
    assert translate("evaluator.window", "zh_CN", window="7") == "7 号窗口"
