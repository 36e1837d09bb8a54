"""A home-screen tile: a large touch target with a title and, when unusable, the reason."""
from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.button import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

Builder.load_string("""
<Tile>:
    orientation: 'vertical'
    padding: app.dp(16, app.scale)
    canvas.before:
        Color:
            rgba: app.col('disabled_tile', app.palette) if self.disabled else app.col('tiles', app.palette, self.colour_index)
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [app.dp(14, app.scale)]
        Color:
            rgba: (1, 1, 1, .18) if self.state == 'down' else (0, 0, 0, 0)
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [app.dp(14, app.scale)]
    Widget:
    Label:
        text: root.title
        font_size: app.sp(30, app.scale)
        bold: True
        color: app.col('disabled_text', app.palette) if root.disabled else app.col('tile_text', app.palette)
        disabled_color: self.color
        text_size: self.width, None
        halign: 'center'
        size_hint_y: None
        height: self.texture_size[1]
    Label:
        text: root.reason
        font_size: app.sp(17, app.scale)
        color: app.col('disabled_text', app.palette) if root.disabled else app.col('tile_text', app.palette)
        disabled_color: self.color
        text_size: self.width, None
        halign: 'center'
        size_hint_y: None
        height: self.texture_size[1] + app.dp(8, app.scale) if root.reason else 0
        opacity: 1 if root.reason else 0
    Widget:
""")


class Tile(ButtonBehavior, BoxLayout):
    key = StringProperty("")
    title = StringProperty("")
    reason = StringProperty("")
    colour_index = NumericProperty(0)
