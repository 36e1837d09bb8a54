"""WCAG AA contrast of every text on its background, and touch targets of at least 15 mm.

Both checks walk the real widget tree of the running app under Xvfb, in standard mode and in
长者模式 (high-contrast palette, 1.5x sizes), so a new label with an ad-hoc colour or a small button
is caught where it is drawn, not only in the palette table.
"""
from __future__ import annotations

import pytest
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.button import Button
from kivy.uix.label import Label

from screens.theme import HIGH_CONTRAST, MIN_TARGET_MM, STANDARD, px_per_mm, rgba
from screens.widgets.tile import Tile

pytestmark = pytest.mark.ui

AA = 4.5
TOAST_BACKGROUND = (0.1, 0.12, 0.16, 0.88)  # common.kv


def _luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _over(top, bottom):
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)) + (1.0,)


@pytest.mark.parametrize("palette", [STANDARD, HIGH_CONTRAST], ids=["standard", "elderly"])
def test_palette_pairs_meet_aa(palette):
    pairs = [("text", "background"), ("muted_text", "background"), ("header_text", "header"),
             ("disabled_text", "disabled_tile"), ("ok", "background"), ("warn", "background"),
             ("fault", "background"), ("header", "background"), ("tile_text", "fault")]
    pairs += [("tile_text", tile) for tile in palette.tiles]
    for fg, bg in pairs:
        fg_colour = rgba(getattr(palette, fg))
        bg_colour = rgba(getattr(palette, bg) if not bg.startswith("#") else bg)
        assert _contrast(fg_colour, bg_colour) >= AA, (fg, bg)
    assert _contrast((1, 1, 1, 1), _over(TOAST_BACKGROUND, rgba(palette.background))) >= AA


def _background_of(widget, app):
    """The colour drawn behind ``widget``'s text, from the widgets that paint a background."""
    palette = app.palette
    node = widget
    while node is not None:
        if isinstance(node, Button) and node.background_normal == "":
            return tuple(node.background_color)
        if isinstance(node, Tile):
            colour = palette.disabled_tile if node.disabled else palette.tiles[int(node.colour_index) % len(palette.tiles)]
            return rgba(colour)
        if type(node).__name__ == "HeaderBar":
            return rgba(palette.header)
        if node is app.root.ids.get("toast"):
            return _over(TOAST_BACKGROUND, rgba(palette.background))
        node = node.parent if node.parent is not node else None  # the Window is its own parent
    return rgba(palette.background)


def _visible(widget) -> bool:
    node = widget
    while node is not None:
        if getattr(node, "opacity", 1) == 0:
            return False
        node = node.parent if node.parent is not node else None
    return widget.width > 0 and widget.height > 0


def _screens(driver, monkeypatch):
    """Home in both languages, then each of the terminal's own screens."""
    import screens.terminal.out_of_service as oos

    app = driver.app
    yield "home"
    app.set_language("en")
    driver.pump(frames=4)
    yield "home (en)"
    app.set_language("zh_CN")
    for name in ("out_of_service", "maintenance_pin", "maintenance"):
        monkeypatch.setattr(oos, "is_out_of_service", lambda _app, down=(name == "out_of_service"): down)
        app.show(name)
        driver.pump(frames=4)
        assert app.manager.current == name
        yield name
    app.go_home()
    driver.pump(frames=2)


def _check_screen(driver, where, problems) -> tuple[int, int]:
    """Append every failing text and target to ``problems``; returns (texts, targets) checked."""
    app = driver.app
    screen = app.manager.current_screen
    limit = MIN_TARGET_MM * px_per_mm(app.kiosk_config.ui.width, app.kiosk_config.ui.height,
                                      app.kiosk_config.ui.screen_diagonal_in)
    app.show_toast("提示文字")
    driver.pump(frames=3)
    widgets = list(screen.walk(restrict=True)) + [app.root.ids.toast]
    texts = targets = 0
    for widget in widgets:
        if not _visible(widget):
            continue
        if isinstance(widget, Label) and widget.text.strip():
            colour = widget.disabled_color if widget.disabled else widget.color
            ratio = _contrast(colour, _background_of(widget, app))
            texts += 1
            if ratio < AA:
                problems.append(f"{where}: '{widget.text[:20]}' contrast {ratio:.2f}")
        if isinstance(widget, ButtonBehavior):
            targets += 1
        if isinstance(widget, ButtonBehavior) and min(widget.size) < limit:
            problems.append(f"{where}: target '{getattr(widget, 'text', '') or getattr(widget, 'title', '')}' "
                            f"{widget.width:.0f}x{widget.height:.0f} px < {limit:.0f} px (15 mm)")
    return texts, targets


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_every_text_and_target_on_the_terminal_screens(ui, elderly, monkeypatch):
    driver = ui()
    app = driver.app
    if elderly:
        app.set_elderly(True)
        driver.pump(frames=4)
    problems: list[str] = []
    counts = {where: _check_screen(driver, where, problems) for where in _screens(driver, monkeypatch)}
    assert len(counts) == 5 and all(texts > 0 and targets > 0 for texts, targets in counts.values()), counts
    assert not problems, "\n".join(problems)


def test_fifteen_millimetres_follow_the_configured_screen(ui, make_config):
    """A small, dense screen needs larger targets in pixels: the check uses the configured size."""
    assert px_per_mm(1920, 1080, 21.5) == pytest.approx(4.03, abs=0.01)  # a common 21.5" kiosk panel
    assert px_per_mm(1280, 800, 10.1) > px_per_mm(1280, 800, 21.5)
    driver = ui(make_config(screen_diagonal_in=21.5))
    tiles = driver.find("Tile")
    limit = MIN_TARGET_MM * px_per_mm(1280, 800, 21.5)
    assert tiles and all(min(t.size) >= limit for t in tiles)
