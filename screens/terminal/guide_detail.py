"""One item's guide: conditions, materials, fee, time limit, where to go, a QR to the online
version, and a thermal print to take home."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.documents.receipts import service_guide
from kiosk.journeys import guide
from kiosk.journeys.thermal import header_for, print_receipt_bytes, profile_for
from screens.terminal.journey import JourneyScreen, say
from screens.widgets.qr import QrImage  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class GuideDetailScreen(JourneyScreen):
    voice_key = "voice.guide_detail"
    title = StringProperty("")
    subtitle = StringProperty("")
    body = StringProperty("")
    online_url = StringProperty("")
    print_state = StringProperty("")  # "" | "printing" | "printed"

    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        item = self.app.session.data.get("guide_item")
        if item is None:
            self.app.go_home()
            return
        tr = self.app.tr
        colour = self.app.palette.header.lstrip("#")

        def heading(key: str) -> str:
            return f"[b][color={colour}]{tr(key)}[/color][/b]"

        self.title = item.name
        self.subtitle = f"{self.app.session.data.get('guide_department', '')} · {tr('guide.code')} {item.basic_code}"
        days = guide.time_limit_days(item)
        lines = [heading('guide.conditions')] + [f"  {i}. {c}" for i, c in enumerate(item.conditions, 1)]
        lines += ["", heading('guide.materials')]
        for i, m in enumerate(item.materials, 1):
            kind = tr("guide.original") if m.original else tr("guide.copy")
            lines.append(f"  {i}. {m.name}（{kind} {m.copies} {tr('guide.copies')}）")
        lines += ["", heading('guide.fee') + f"  {item.fee or '-'}",
                  heading('guide.time_limit') + f"  {tr('guide.days', days=days) if days else tr('guide.immediate')}"]
        for loc in item.locations:
            lines += ["", heading('guide.where') + f"  {loc.name} {loc.windows}",
                      f"  {loc.address}  {loc.hours}  {loc.phone}".rstrip()]
        self.body = "\n".join(lines)
        self.online_url = item.online_url
        self.print_state = ""

    def print_guide(self) -> None:
        item = self.app.session.data.get("guide_item")
        if item is None or self.busy:
            return
        config, record = self.app.kiosk_config, self.app.record
        data = service_guide(guide.guide_receipt(item, dt.datetime.now()), header_for(config), profile_for(config))
        self.print_state = "printing"

        def work() -> None:
            print_receipt_bytes(config, data, "service_guide", record)

        self.run(work, self._printed, self._print_failed)

    def _printed(self, _result) -> None:
        self.print_state = "printed"
        self.app.show_toast(self.app.tr("guide.printed"))

    def _print_failed(self, _reason: str) -> None:
        self.print_state = ""
        say(self.app, "voice.print_failed")

    def done(self) -> None:
        item = self.app.session.data.get("guide_item")
        self.finish("guide", item_name=item.name if item else "")

    def back(self) -> None:
        self.app.show("guide")

    def clear(self) -> None:
        self.title = self.subtitle = self.body = self.online_url = ""
        self.print_state = ""

