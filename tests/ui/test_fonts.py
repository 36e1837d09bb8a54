"""Chinese glyphs are really drawn: not missing-glyph boxes from a font without CJK."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def _pixels(text: str, font_name: str) -> bytes:
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(text=text, font_size=48, font_name=font_name)
    label.refresh()
    return bytes(label.texture.pixels)


def _stock_roboto() -> str:
    import os

    import kivy

    return os.path.join(os.path.dirname(kivy.__file__), "data", "fonts", "Roboto-Regular.ttf")


def test_registered_font_draws_distinct_chinese_glyphs(kivy_window):
    from screens.theme import FONT_NAME, register_cjk_font

    register_cjk_font()
    roboto = _stock_roboto()
    # Kivy's stock Roboto has no CJK glyphs: both characters come out as the same box.
    assert _pixels("政", roboto) == _pixels("务", roboto)
    # The registered CJK font draws two different glyphs, and neither is that box.
    zheng, wu = _pixels("政", FONT_NAME), _pixels("务", FONT_NAME)
    assert zheng != wu
    assert zheng != _pixels("政", roboto)


def test_default_font_is_the_cjk_font(kivy_window):
    from kivy.core.text import DEFAULT_FONT

    from screens.theme import FONT_NAME, register_cjk_font

    register_cjk_font()
    assert _pixels("办事指南", DEFAULT_FONT) == _pixels("办事指南", FONT_NAME)


def test_missing_font_names_the_debian_package(tmp_path):
    from kiosk.fonts import FontNotFound, find_cjk_font

    with pytest.raises(FontNotFound, match="apt-get install fonts-wqy-microhei"):
        find_cjk_font(tmp_path / "nope.ttf")
