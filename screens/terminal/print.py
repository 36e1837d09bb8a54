"""证照打印: the identified person's certificates, a preview of the page, confirm, print on A4.

Print-then-commit (``kiosk.journeys.printing``): only a job CUPS reports *completed* counts
as printed and gets its 打印回执 on the receipt printer; a failure says so and offers a retry.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from kivy.core.image import Image as CoreImage
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty

from kiosk.i18n import format_datetime
from kiosk.journeys.preview import pdf_page_count, pdf_page_png
from kiosk.journeys.printing import PrintError, fetch_certificate, print_certificate
from screens.terminal.journey import JourneyScreen, error_text, say

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)


class PrintScreen(JourneyScreen):
    voice_key = "voice.print_choose"
    mode = StringProperty("list")  # list | preview | printing | done | failed
    preview = ObjectProperty(None, allownone=True)  # the page's texture
    document_title = StringProperty("")
    document_info = StringProperty("")
    result_text = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._document = None  # (summary, Certificate, pdf bytes, pages), in memory only

    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        self.mode = "list"
        identity = self.app.session.identity
        if identity is None:
            self.app.go_home()
            return
        id_number = identity.id_number
        self.run(lambda: self.app.backend.certificates_of(id_number), self._show_list)

    def _show_list(self, certificates) -> None:
        box = self.ids.documents
        box.clear_widgets()
        for summary in certificates:
            button = Factory.ItemButton(text=summary.title, code=summary.id, record=summary,
                                        detail=f"{summary.issuer} · {format_datetime(summary.issued_at, self.app.lang)}")
            button.bind(on_release=lambda w: self.choose(w.record))
            box.add_widget(button)
        self.ids.none.text = self.app.tr("print.none") if not certificates else ""

    def choose(self, summary) -> None:
        identity = self.app.session.identity
        if identity is None:
            return
        id_number = identity.id_number

        def work():
            cert, pdf = fetch_certificate(self.app.backend, id_number, summary)
            return summary, cert, pdf, pdf_page_count(pdf), pdf_page_png(pdf)

        self.run(work, self._show_preview)

    def _show_preview(self, result) -> None:
        summary, cert, pdf, pages, png = result
        self._document = (summary, cert, pdf, pages)
        self.document_title = cert.title
        self.document_info = self.app.tr("print.info", number=cert.number, issuer=cert.issuer, pages=pages)
        if png is not None:
            import io

            self.preview = CoreImage(io.BytesIO(png), ext="png").texture
        else:
            self.preview = None
        self.mode = "preview"
        say(self.app, "voice.print_confirm")

    def confirm(self) -> None:
        if self._document is None or self.busy:
            return
        _summary, cert, pdf, pages = self._document
        config, record = self.app.kiosk_config, self.app.record
        if config.devices.a4printer is None:
            self.error = error_text(self.app, "print_failed")
            return
        self.mode = "printing"
        say(self.app, "voice.printing")

        def work():
            from drivers.printer.cups import CupsPrinter

            printed = print_certificate(CupsPrinter.from_config(config.devices.a4printer), cert, pdf, pages, record)
            receipt_ok = self._print_receipt(printed)
            return printed, receipt_ok

        self.run(work, self._printed, self._failed)

    def _print_receipt(self, printed) -> bool:
        """The 打印回执 on the thermal printer; its failure does not undo the A4 print."""
        from kiosk.documents.receipts import print_receipt
        from kiosk.journeys.thermal import header_for, print_receipt_bytes, profile_for

        config = self.app.kiosk_config
        try:
            data = print_receipt(printed.receipt(dt.datetime.now()), header_for(config), profile_for(config))
            print_receipt_bytes(config, data, "print_receipt", self.app.record)
            return True
        except PrintError:
            return False

    def _printed(self, result) -> None:
        printed, receipt_ok = result
        self.mode = "done"
        key = "print.done" if receipt_ok else "print.done_no_receipt"
        self.result_text = self.app.tr(key, title=printed.certificate.title, pages=printed.pages)
        say(self.app, "voice.print_done")

    def _failed(self, _reason: str) -> None:
        self.mode = "failed"
        say(self.app, "voice.print_failed")

    def retry(self) -> None:
        if self.mode == "failed":
            self.error = ""
            self.confirm()
        else:
            super().retry()

    def back(self) -> None:
        if self.mode in ("preview", "failed"):
            self.mode = "list"
            self.error = ""
        else:
            self.home()

    def done(self) -> None:
        title = self._document[1].title if self._document else ""
        self.finish("print", item_name=title)

    def clear(self) -> None:
        self._document = None
        self.preview = None
        self.document_title = self.document_info = self.result_text = ""
        self.ids.documents.clear_widgets()
        self.ids.none.text = ""
        self.mode = "list"

    def document_button(self, title: str):
        return next(w for w in self.ids.documents.children if w.text == title)
