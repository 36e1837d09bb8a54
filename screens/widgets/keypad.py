"""An on-screen digit keypad: the kiosk has no keyboard and no IME."""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

Builder.load_string("""
<KeypadKey@Button>:
    font_size: app.sp(28, app.scale)
    background_normal: ''
    background_color: app.col('tiles', app.palette, 6)
    color: 1, 1, 1, 1

<DigitKeypad>:
    cols: 3
    spacing: app.dp(10, app.scale)
""")


class DigitKeypad(GridLayout):
    """Keys 1-9, then 清除 / 0 / 删除: the layout of a phone keypad, familiar to older users."""

    value = StringProperty("")
    max_length = NumericProperty(12)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._app = App.get_running_app()
        for digit in "123456789":
            self._key(digit, lambda d=digit: self.press(d))
        self._clear_key = self._key("", self.clear)
        self._key("0", lambda: self.press("0"))
        self._delete_key = self._key("", self.backspace)
        self._relabel()
        self._app.bind(lang=self._relabel)

    def _relabel(self, *_args) -> None:
        self._clear_key.text = self._app.tr("keypad.clear")
        self._delete_key.text = self._app.tr("keypad.delete")

    def _key(self, text: str, action) -> Widget:
        key = Factory.KeypadKey(text=text)
        key.bind(on_release=lambda *_: action())
        self.add_widget(key)
        return key

    def press(self, digit: str) -> None:
        if len(self.value) < self.max_length:
            self.value += digit

    def backspace(self) -> None:
        self.value = self.value[:-1]

    def clear(self) -> None:
        self.value = ""
