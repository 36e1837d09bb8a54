"""User-facing text in Simplified Chinese first, with an English translation.

Strings live in ``assets/i18n/<language>.toml`` as flat ``key = "text"`` pairs, so a
translator edits text without touching code; ``tests/unit/test_i18n.py`` checks that both
languages have the same keys and the same ``{placeholders}``. A missing key shows the key
itself (visible in screenshots, never a crash).
"""
from __future__ import annotations

import datetime as dt
import logging
import tomllib
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"

_WEEKDAYS_ZH = "一二三四五六日"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@lru_cache(maxsize=None)
def catalog(language: str) -> dict[str, str]:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {LANGUAGES}")
    with open(I18N_DIR / f"{language}.toml", "rb") as fh:
        return _flatten(tomllib.load(fh))


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    text = catalog(language).get(key)
    if text is None:
        log.warning("missing translation %s for %s", key, language)
        return key
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError, ValueError):
        log.warning("bad placeholders in translation %s for %s", key, language)
        return text


def format_datetime(moment: dt.datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """``2026年11月23日 星期一 14:05`` in Chinese, ``Mon 23 Nov 2026 14:05`` in English."""
    if language == "zh_CN":
        return f"{moment.year}年{moment.month}月{moment.day}日 星期{_WEEKDAYS_ZH[moment.weekday()]} {moment:%H:%M}"
    return moment.strftime("%a %d %b %Y %H:%M")


def format_date(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    if language == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime("%d %b %Y")
