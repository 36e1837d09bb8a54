"""办件查询: my cases (after identifying) or a case by its number; each case as a timeline.

Modes on one screen: ``choose`` (two ways in), ``number`` (the case-number keypad), ``list``
(my cases) and ``case`` (one case's timeline). Cases are personal: everything shown is
dropped when the screen is left.

While the screen is open the terminal's code readers listen (:class:`CodeListener`): scanning the
QR of a 受理凭证 (``ZWFW:CASE:<no>``) opens that case's timeline, exactly as typing its number does;
any other code says which QR to scan.
"""
from __future__ import annotations

from pathlib import Path

from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.i18n import format_datetime
from kiosk.journeys.progress import case_number_from_input, timeline
from kiosk.payloads import Payload, PayloadKind
from screens.terminal.code_listener import CodeListener
from screens.terminal.flow import require_identity
from screens.terminal.journey import JourneyScreen, say
from screens.widgets.letter_keypad import LetterKeypad  # noqa: F401  (used in the kv file)
from screens.widgets.tile import Tile  # noqa: F401  (used in the kv file)
from screens.widgets.timeline import Timeline  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class ProgressScreen(JourneyScreen):
    voice_key = "voice.progress"
    mode = StringProperty("choose")
    case = ObjectProperty(None, allownone=True)
    case_title = StringProperty("")
    case_info = StringProperty("")
    can_scan = BooleanProperty(False)  # a QR camera or hand scanner is configured: say so on screen

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._codes: CodeListener | None = None

    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        if self._codes is None:
            self._codes = CodeListener(self.app.kiosk_config.devices, self._on_payload)
        self.can_scan = self._codes.available
        if self.can_scan:
            self._codes.start()
        if self.app.session.data.pop("progress_mode", "") == "mine" and self.app.session.identity is not None:
            self.load_mine()
        else:
            self.mode = "choose"

    def on_pre_leave(self, *_args) -> None:
        self._stop_codes()  # before Identify opens the same readers

    def stop_work(self) -> None:
        super().stop_work()
        self._stop_codes()

    def _stop_codes(self) -> None:
        if self._codes is not None:
            self._codes.stop()

    # ----- a scanned code ----------------------------------------------------------------------
    def _on_payload(self, payload: Payload) -> None:
        if self.manager is None or self.manager.current != self.name or self.busy:
            return
        if payload.kind is PayloadKind.RECEIPT:
            case_no = payload.value
            self.run(lambda: self.app.backend.case_by_number(case_no), self._show_case)
            return
        self.error = self.app.tr(payload.message_key if not payload.accepted and payload.message_key.startswith("scan.")
                                 else "progress.not_receipt")

    # ----- ways in ---------------------------------------------------------------------------
    def mine(self) -> None:
        """My cases: identify first (when nobody is), then list them."""
        if self.app.session.identity is not None:
            self.load_mine()
            return
        self.app.session.data["progress_mode"] = "mine"
        require_identity(self.app, "progress")

    def by_number(self) -> None:
        self.ids.number.clear()
        self.error = ""
        self.mode = "number"

    def load_mine(self) -> None:
        identity = self.app.session.identity
        id_number = identity.id_number if identity is not None else ""
        self.mode = "list"
        self.run(lambda: self.app.backend.cases_of(id_number), self._show_list)

    def query_number(self) -> None:
        case_no = case_number_from_input(self.ids.number.value)
        if case_no is None:
            self.error = self.app.tr("progress.bad_number")
            return
        self.run(lambda: self.app.backend.case_by_number(case_no), self._show_case)

    # ----- results ---------------------------------------------------------------------------
    def _show_list(self, cases) -> None:
        box = self.ids.cases
        box.clear_widgets()
        tr = self.app.tr
        for case in cases:
            button = Factory.ItemButton(
                text=f"{case.item_name}", code=case.case_no,
                detail=f"{tr('progress.case_no')} {case.case_no} · {format_datetime(case.submitted_at, self.app.lang)}")
            button.record = case
            button.bind(on_release=lambda w: self._show_case(w.record))
            box.add_widget(button)
        self.ids.none.text = tr("progress.no_cases") if not cases else ""
        say(self.app, "voice.progress_result")

    def _show_case(self, case) -> None:
        tr = self.app.tr
        self.case = case
        self.case_title = case.item_name
        self.case_info = (f"{tr('progress.case_no')} {case.case_no}    {tr('progress.department')} {case.department_name}"
                          f"    {tr('progress.applicant')} {case.applicant_masked}")
        self.ids.timeline.show(timeline(case))
        self.mode = "case"
        say(self.app, "voice.progress_result")

    def back(self) -> None:
        if self.mode == "case" and self.ids.cases.children:
            self.mode = "list"
        elif self.mode in ("number", "list", "case"):
            self.mode = "choose"
            self.error = ""
        else:
            self.home()

    def done(self) -> None:
        self.finish("progress", case_no=self.case.case_no if self.case is not None else "",
                    item_name=self.case.item_name if self.case is not None else "")

    def clear(self) -> None:
        self._stop_codes()
        self.case = None
        self.case_title = self.case_info = ""
        self.ids.cases.clear_widgets()
        self.ids.timeline.show([])
        self.ids.number.clear()
        self.ids.none.text = ""
        self.mode = "choose"

    def case_button(self, case_no: str):
        return next(w for w in self.ids.cases.children if w.code == case_no)
