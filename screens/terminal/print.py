"""证照打印: the identified person's certificates, a preview of every page, confirm, print on A4.

The preview pages through the whole document (上一页/下一页, 第 1/3 页): the citizen checks
what will come out before paper is used. Each page is rendered the first time it is shown and
kept in memory (:class:`kiosk.journeys.preview.PreviewPages`) until the screen is left, which
every session wipe does: nothing of the certificate is written to disk.

Print-then-commit (``kiosk.journeys.printing``): only a job CUPS reports *completed* counts
as printed and gets its 打印回执 on the receipt printer; a failure says so and offers a retry.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from kivy.core.image import Image as CoreImage
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty

from kiosk.i18n import format_datetime
from kiosk.journeys.preview import PreviewPages
from kiosk.journeys.printing import PrintError, fetch_certificate, new_job_title, print_certificate
from screens.terminal.journey import JourneyScreen, error_text, say

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)


class PrintScreen(JourneyScreen):
    voice_key = "voice.print_choose"
    mode = StringProperty("list")  # list | preview | printing | done | failed
    preview = ObjectProperty(None, allownone=True)  # the shown page's texture
    page = NumericProperty(1)  # the page shown, 1-based
    pages = NumericProperty(1)
    document_title = StringProperty("")
    document_info = StringProperty("")
    result_text = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._document = None  # (summary, Certificate, pdf bytes, pages), in memory only
        self._pages: PreviewPages | None = None  # the rendered pages of ``_document``

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
            pages = PreviewPages(pdf)
            return summary, cert, pdf, pages, pages.png(1)

        self.run(work, self._show_preview)

    def _show_preview(self, result) -> None:
        summary, cert, pdf, pages, png = result
        self._drop_pages()
        self._document = (summary, cert, pdf, pages.count)
        self._pages = pages
        self.document_title = cert.title
        self.document_info = self.app.tr("print.info", number=cert.number, issuer=cert.issuer, pages=pages.count)
        self.pages = pages.count
        self._set_page(1, png)
        self.mode = "preview"
        say(self.app, "voice.print_confirm")

    def show_page(self, page: int) -> None:
        """Page through the preview; a page not shown before is rendered off the UI thread."""
        pages = self._pages
        if pages is None or self.mode != "preview" or self.busy or not 1 <= page <= pages.count:
            return
        if pages.cached(page):
            self._set_page(page, pages.png(page))
        else:
            # dropped if the citizen went back to the list meanwhile
            self.run(lambda: pages.png(page), lambda png: self._set_page(page, png) if self._pages is pages else None)

    def next_page(self) -> None:
        self.show_page(self.page + 1)

    def previous_page(self) -> None:
        self.show_page(self.page - 1)

    def _set_page(self, page: int, png: bytes | None) -> None:
        self.page = page
        self.preview = CoreImage(io.BytesIO(png), ext="png").texture if png is not None else None

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
            from kiosk.hardware import a4_printer

            printed = print_certificate(a4_printer(config.devices.a4printer), cert, pdf, pages, record,
                                        new_job_title(config.device.id))
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
            self._drop_pages()
            self.mode = "list"
            self.error = ""
        else:
            self.home()

    def done(self) -> None:
        title = self._document[1].title if self._document else ""
        self.finish("print", item_name=title)

    def _drop_pages(self) -> None:
        """Forget the previewed document's rendered pages (back to the list, another document, leaving)."""
        if self._pages is not None:
            self._pages.clear()
        self._pages = None
        self.preview = None
        self.page = self.pages = 1

    def clear(self) -> None:
        self._drop_pages()
        self._document = None
        self.document_title = self.document_info = self.result_text = ""
        self.ids.documents.clear_widgets()
        self.ids.none.text = ""
        self.mode = "list"

    def document_button(self, title: str):
        return next(w for w in self.ids.documents.children if w.text == title)
