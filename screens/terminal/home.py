"""The terminal's home (attract) screen: a tile per function, each usable or saying why not."""
from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty
from screens.base import KioskScreen

from kiosk.functions import TERMINAL_FUNCTIONS, availability, configured_needs
from screens.terminal.call_staff import call_staff
from screens.terminal.flow import JOURNEYS, open_journey
from screens.widgets.tile import Tile

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class HomeScreen(KioskScreen):
    status_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rebuild = Clock.create_trigger(lambda _dt: self.rebuild_tiles())
        app = self.app
        app.bind(lang=self._rebuild, elderly=self._rebuild, device_health=self._rebuild,
                 pending_reports=lambda *_: self._update_status())
        Clock.schedule_once(lambda _dt: self.rebuild_tiles(), -1)  # before the first frame is drawn

    def rebuild_tiles(self) -> None:
        if not self.app_running:
            return
        app = self.app
        grid = self.ids.tiles
        grid.clear_widgets()
        configured = configured_needs(app.kiosk_config, app.built_backend)
        for index, function in enumerate(TERMINAL_FUNCTIONS):
            if app.elderly and not function.elderly:
                continue
            state = availability(function, configured, app.device_health)
            reason = state.text(app.tr, function.key)
            tile = Tile(key=function.key, title=app.tr(f"tile.{function.key}"), reason=reason,
                        colour_index=index, disabled=not state.usable)
            if function.key == "call_staff":
                tile.bind(on_release=lambda *_: call_staff(app))
            elif function.key in JOURNEYS:
                tile.bind(on_release=lambda _tile, key=function.key: open_journey(app, key))
            grid.add_widget(tile)
        elderly_tile = Tile(key="elderly", title=app.tr("tile.standard" if app.elderly else "tile.elderly"),
                            colour_index=6)
        elderly_tile.bind(on_release=lambda *_: app.set_elderly(not app.elderly))
        grid.add_widget(elderly_tile)
        if not app.elderly:  # 长者模式 keeps to the essentials; the language switch stays in standard mode
            language_tile = Tile(key="language", title=app.tr("tile.language"), colour_index=7)
            language_tile.bind(on_release=lambda *_: app.toggle_language())
            grid.add_widget(language_tile)
        self._update_status()

    def _update_status(self) -> None:
        app = self.app
        parts = []
        server = app.health_of("server")
        if server is not None:
            parts.append("● " + app.tr("status.online" if server.is_ok else "status.offline"))
        if app.pending_reports > 0:
            parts.append(app.tr("status.pending", count=int(app.pending_reports)))
        self.status_text = "   ".join(parts)

    def tile(self, key: str) -> Tile | None:
        """The tile for a function key (used by tests and the screenshot tool)."""
        return next((t for t in self.ids.tiles.children if t.key == key), None)
