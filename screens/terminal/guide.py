"""办事指南: browse by department or by life event, or search by pinyin initials; tap an item for its guide.

The catalog comes from the content backend (off the UI thread); the chosen item goes to
the detail screen through the session's data.
"""
from __future__ import annotations

from pathlib import Path

from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty

from kiosk.journeys import guide
from screens.terminal.journey import JourneyScreen
from screens.widgets.letter_keypad import LetterKeypad  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

MODES = ("department", "theme", "search")


class GuideScreen(JourneyScreen):
    voice_key = "voice.guide"
    mode = StringProperty("department")
    group = StringProperty("")  # the chosen department or theme code
    catalog = ObjectProperty(None, allownone=True)

    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        if self.catalog is None:
            self.load()
        else:
            self.refresh()

    def load(self) -> None:
        self.run(lambda: self.app.backend.catalog(), self._loaded)

    def _loaded(self, catalog) -> None:
        self.catalog = catalog
        self.refresh()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.group = ""
        self.refresh()

    def choose_group(self, code: str) -> None:
        self.group = code
        self.refresh()

    def on_query(self, *_args) -> None:
        if self.mode == "search":
            self.refresh()

    def groups(self) -> list[guide.Group]:
        if self.catalog is None:
            return []
        return guide.by_department(self.catalog) if self.mode == "department" else guide.by_theme(self.catalog)

    def results(self) -> list:
        if self.catalog is None:
            return []
        if self.mode == "search":
            return guide.search(self.catalog.items, self.ids.letters.value)
        groups = self.groups()
        chosen = next((g for g in groups if g.code == self.group), groups[0] if groups else None)
        if chosen is not None and not self.group:
            self.group = chosen.code
        return list(chosen.items) if chosen else []

    def refresh(self) -> None:
        """Rebuild the group buttons and the result list from the catalog."""
        side = self.ids.groups
        side.clear_widgets()
        if self.mode != "search":
            for group in self.groups():
                button = Factory.GroupButton(text=group.name, code=group.code, chosen=group.code == self.group)
                button.bind(on_release=lambda w: self.choose_group(w.code))
                side.add_widget(button)
        results = self.results()
        for button in side.children:
            button.chosen = button.code == self.group
        box = self.ids.results
        box.clear_widgets()
        for item in results:
            button = Factory.ItemButton(text=item.name, detail=guide.department_name(self.catalog, item.department),
                                        code=item.basic_code)
            button.bind(on_release=lambda w: self.open_item(w.code))
            box.add_widget(button)
        self.ids.empty.text = self.app.tr("guide.no_results") if self.catalog is not None and not results else ""

    def open_item(self, basic_code: str) -> None:
        item = next(i for i in self.catalog.items if i.basic_code == basic_code)
        self.app.session.data["guide_item"] = item
        self.app.session.data["guide_department"] = guide.department_name(self.catalog, item.department)
        self.app.show("guide_detail")

    def item_button(self, name: str):
        """The result button of an item (tests tap it)."""
        return next(w for w in self.ids.results.children if w.text == name)

    def on_leave(self, *_args) -> None:
        # The catalog is public and stays for the next visitor; the search does not.
        self.ids.letters.clear()
        self.mode = "department"
        self.group = ""
        super().on_leave()
