"""Every user-facing string exists in Chinese and English with the same placeholders."""
from __future__ import annotations

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
    for name in DevicesConfig.model_fields:
        assert f"device.{name}" in zh
    for function in TERMINAL_FUNCTIONS:
        assert f"tile.{function.key}" in zh


def test_every_health_reason_used_by_probes_is_translated():
    import inspect

    import kiosk.probes

    source = inspect.getsource(kiosk.probes)
    reasons = set(re.findall(r'Health\.(?:fault|degraded)\("([a-z_]+)"', source))
    assert reasons
    missing = {r for r in reasons if f"health.{r}" not in catalog("zh_CN")}
    assert not missing


def test_dates_as_a_chinese_user_expects():
    moment = dt.datetime(2026, 11, 23, 14, 5)
    assert format_datetime(moment, "zh_CN") == "2026年11月23日 星期一 14:05"
    assert format_datetime(moment, "en") == "Mon 23 Nov 2026 14:05"
    assert format_date(moment.date()) == "2026年11月23日"


def test_missing_key_shows_the_key():
    assert translate("no.such.key") == "no.such.key"
    assert translate("evaluator.window", "zh_CN", window="7") == "7 号窗口"
