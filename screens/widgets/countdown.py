"""The idle countdown: "还需要更多时间吗？" with the seconds left, 继续办理 and 结束办理."""
from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView

Builder.load_string("""
<CountdownDialog>:
    size_hint: None, None
    size: app.dp(640, app.scale), app.dp(360, app.scale)
    auto_dismiss: False
    background_color: 0, 0, 0, .55
    BoxLayout:
        orientation: 'vertical'
        padding: app.dp(28, app.scale)
        spacing: app.dp(16, app.scale)
        canvas.before:
            Color:
                rgba: 1, 1, 1, 1
            RoundedRectangle:
                pos: self.pos
                size: self.size
                radius: [app.dp(16, app.scale)]
        Label:
            text: app.tr('idle.more_time', app.lang)
            font_size: app.sp(30, app.scale)
            bold: True
            color: app.col('text', app.palette)
            text_size: self.width, None
            halign: 'center'
        Label:
            text: app.tr('idle.countdown', app.lang, seconds=int(root.seconds))
            font_size: app.sp(22, app.scale)
            color: app.col('muted_text', app.palette)
            text_size: self.width, None
            halign: 'center'
        BoxLayout:
            size_hint_y: None
            height: app.dp(80, app.scale)
            spacing: app.dp(20, app.scale)
            Button:
                id: end
                text: app.tr('idle.end', app.lang)
                font_size: app.sp(24, app.scale)
                background_normal: ''
                background_color: 0.92, 0.92, 0.92, 1
                color: app.col('text', app.palette)
                on_release: root.dispatch('on_end')
            Button:
                id: more
                text: app.tr('idle.continue', app.lang)
                font_size: app.sp(24, app.scale)
                background_normal: ''
                background_color: app.col('tiles', app.palette, 0)
                color: 1, 1, 1, 1
                on_release: root.dispatch('on_more')
""")


class CountdownDialog(ModalView):
    seconds = NumericProperty(0)
    __events__ = ("on_more", "on_end")

    def on_more(self) -> None:
        pass

    def on_end(self) -> None:
        pass
