"""The 好差评 rating component shared by the window evaluator and the self-service terminal.

``RatingFaces``: the five faces with their level names (non-colour cue), dispatching
``on_choose(level)``. ``ReasonGrid``: toggles for the bad-rating reasons of a
:class:`kiosk.rating.ReasonList`, keeping ``chosen`` in tap order. Both screens decide what a
choice means (the evaluator's controller, the terminal's ledger); the widgets only ask.
"""
from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.togglebutton import ToggleButton

from kiosk.rating import Level, ReasonList
from screens.widgets.face import Face  # noqa: F401  (used in the kv rules below)

Builder.load_string("""
<RatingChoice>:
    orientation: 'vertical'
    spacing: app.dp(8, app.scale)
    Widget:
    Face:
        index: root.index
        level: root.level
        size_hint_y: None
        height: max(0, min(self.width, root.height - app.dp(56, app.scale)))
        on_release: root.parent.dispatch('on_choose', root.level) if root.parent else None
    Label:
        text: app.tr('evaluator.level.' + root.level, app.lang) if root.level else ''
        font_size: app.sp(22, app.scale)
        bold: True
        color: app.col('text', app.palette)
        size_hint_y: None
        height: app.dp(40, app.scale)
        text_size: self.width, None
        halign: 'center'
    Widget:

<RatingFaces>:
    spacing: app.dp(12, app.scale)

<ReasonToggle>:
    canvas.after:
        Color:
            rgba: app.col('muted_text', app.palette, alpha=0.55)
        Line:
            rectangle: self.x, self.y, self.width, self.height
            width: app.dp(1.2, app.scale)
    font_size: app.sp(20, app.scale)
    background_normal: ''
    background_down: ''
    background_color: app.col('tiles', app.palette, 5) if self.state == 'down' else (1, 1, 1, 1)
    color: (1, 1, 1, 1) if self.state == 'down' else app.col('text', app.palette)
    text_size: self.width - app.dp(16, app.scale), None
    halign: 'center'

<ReasonGrid>:
    cols: 2
    spacing: app.dp(10, app.scale)
""")


class RatingChoice(BoxLayout):
    level = StringProperty("")
    index = NumericProperty(0)


class RatingFaces(BoxLayout):
    """Five faces, best first; ``on_choose(level_value)`` when one is tapped."""

    __events__ = ("on_choose",)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for index, level in enumerate(Level):
            choice = RatingChoice(level=level.value, index=index)
            self.add_widget(choice)

    def on_choose(self, level: str) -> None:
        pass


class ReasonToggle(ToggleButton):
    code = StringProperty("")


class ReasonGrid(GridLayout):
    """One toggle per reason; ``chosen`` holds the selected codes in the order they were tapped."""

    chosen = ListProperty([])

    def show(self, reasons: ReasonList, language: str) -> None:
        self.clear_widgets()
        self.chosen = []
        for reason in reasons.reasons:
            toggle = ReasonToggle(code=reason.code, text=reason.label(language))
            toggle.bind(state=self._toggled)
            self.add_widget(toggle)

    def _toggled(self, toggle: ReasonToggle, state: str) -> None:
        chosen = [c for c in self.chosen if c != toggle.code]
        self.chosen = chosen + [toggle.code] if state == "down" else chosen

    def toggle(self, code: str) -> ReasonToggle | None:
        return next((w for w in self.children if w.code == code), None)

