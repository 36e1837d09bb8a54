"""An on-screen digit keypad: the kiosk has no keyboard and no IME."""
from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

Builder.load_string("""
<KeypadKey@Button>:
    font_size: app.sp(28, app.scale)
    background_normal: ''
    background_color: app.col('tiles', app.palette, 6)
    color: 1, 1, 1, 1

<DigitKeypad>:
    cols: 3
    spacing: app.dp(10, app.scale)
    KeypadKey:
        text: '1'
        on_release: root.press('1')
    KeypadKey:
        text: '2'
        on_release: root.press('2')
    KeypadKey:
        text: '3'
        on_release: root.press('3')
    KeypadKey:
        text: '4'
        on_release: root.press('4')
    KeypadKey:
        text: '5'
        on_release: root.press('5')
    KeypadKey:
        text: '6'
        on_release: root.press('6')
    KeypadKey:
        text: '7'
        on_release: root.press('7')
    KeypadKey:
        text: '8'
        on_release: root.press('8')
    KeypadKey:
        text: '9'
        on_release: root.press('9')
    KeypadKey:
        text: app.tr('keypad.clear', app.lang)
        on_release: root.clear()
    KeypadKey:
        text: '0'
        on_release: root.press('0')
    KeypadKey:
        text: app.tr('keypad.delete', app.lang)
        on_release: root.backspace()
""")


class DigitKeypad(GridLayout):
    value = StringProperty("")
    max_length = NumericProperty(12)

    def press(self, digit: str) -> None:
        if len(self.value) < self.max_length:
            self.value += digit

    def backspace(self) -> None:
        self.value = self.value[:-1]

    def clear(self) -> None:
        self.value = ""
