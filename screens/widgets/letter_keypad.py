"""Keypads for what the digit pad cannot type: pinyin initials (办事指南 search) and case numbers.

The terminal has no keyboard and no IME. Letters are in alphabetical order (easier to find
for someone who does not type) in rows of ``cols``; with ``digits`` a row 1-9, 0 comes
first (case numbers like ``SB20261120000123``). The last row holds 清除 and 删除.
"""
from __future__ import annotations

import string

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

from screens.widgets.keypad import DigitKeypad  # noqa: F401  (registers KeypadKey)


class LetterKeypad(GridLayout):
    value = StringProperty("")
    max_length = NumericProperty(12)
    digits = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cols", 10 if kwargs.get("digits") else 7)
        super().__init__(**kwargs)
        self._app = App.get_running_app()
        self.spacing = self._app.dp(8)
        self._build()
        self._app.bind(lang=self._relabel, scale=self._relabel)

    def on_digits(self, *_args) -> None:
        self._build()  # kv sets ``digits`` after construction

    def _build(self) -> None:
        self.clear_widgets()
        keys = ("1234567890" if self.digits else "") + string.ascii_uppercase
        for char in keys:
            key = Factory.KeypadKey(text=char)
            key.bind(on_release=lambda _w, c=char: self.press(c))
            self.add_widget(key)
        self._clear_key = Factory.KeypadKey()
        self._clear_key.bind(on_release=lambda *_: self.clear())
        self._delete_key = Factory.KeypadKey()
        self._delete_key.bind(on_release=lambda *_: self.backspace())
        self.add_widget(self._clear_key)
        self.add_widget(self._delete_key)
        self._relabel()

    def _relabel(self, *_args) -> None:
        app = self._app
        self._clear_key.text = app.tr("keypad.clear")
        self._delete_key.text = app.tr("keypad.delete")
        # the word keys are two characters: smaller type so they fit a letter-sized key at 1.5x
        for key in (self._clear_key, self._delete_key):
            key.font_size = app.sp(18)

    def press(self, char: str) -> None:
        if len(self.value) < self.max_length:
            self.value += char

    def backspace(self) -> None:
        self.value = self.value[:-1]

    def clear(self) -> None:
        self.value = ""

    def key(self, text: str):
        """The key showing ``text`` (tests tap it)."""
        return next(w for w in self.children if w.text == text)
