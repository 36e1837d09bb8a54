"""自助申报: choose an item, fill in the guided form, scan each material, review, submit, 受理凭证.

Modes on one screen: ``choose`` → ``form`` → ``scan`` (per material: live preview, 拍照,
重拍, page count) → ``review`` → ``done``. The form and the pages live in a
:class:`kiosk.journeys.declare.Declaration` in memory; leaving the screen drops it.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty

from kiosk.documents.cn_format import cn_datetime
from kiosk.journeys import guide
from kiosk.journeys.declare import Declaration, acceptance_receipt, encode_page, shown_value
from kiosk.journeys.printing import PrintError
from screens.terminal.journey import JourneyScreen, say
from screens.widgets.qr import QrImage  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)

PREVIEW_S = 0.25


class DeclareScreen(JourneyScreen):
    voice_key = "voice.declare_choose"
    mode = StringProperty("choose")  # choose | form | scan | review | done
    field_key = StringProperty("")  # the form field being answered
    field_error = StringProperty("")
    material_index = NumericProperty(0)
    material_name = StringProperty("")
    page_count = NumericProperty(0)
    preview = ObjectProperty(None, allownone=True)
    summary = StringProperty("")
    case_no = StringProperty("")
    query_url = StringProperty("")
    result_text = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.declaration: Declaration | None = None
        self._camera = None
        self._preview_event = None
        self._preview_busy = threading.Lock()

    # ----- choose ---------------------------------------------------------------------------
    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        if self.app.session.identity is None:
            self.app.go_home()
            return
        self.mode = "choose"
        self.run(lambda: self.app.backend.catalog(), self._show_items)

    def _show_items(self, catalog) -> None:
        box = self.ids.item_list
        box.clear_widgets()
        for item in guide.items_for(catalog, "declare"):
            button = Factory.ItemButton(text=item.name, code=item.basic_code, record=item,
                                        detail=guide.department_name(catalog, item.department))
            button.bind(on_release=lambda w: self.choose(w.record))
            box.add_widget(button)

    def choose(self, item) -> None:
        self.declaration = Declaration(item)
        self.mode = "form"
        self.show_field(item.form[0].key if item.form else "")
        say(self.app, "voice.declare_form")

    # ----- form -----------------------------------------------------------------------------
    def _spec(self, key: str):
        return next(f for f in self.declaration.item.form if f.key == key)

    def show_field(self, key: str) -> None:
        """Open one field's input: option buttons for a choice, the digit pad for a date or digits."""
        self.field_key, self.field_error = key, ""
        self._refresh_fields()
        if not key:
            return
        spec = self._spec(key)
        options = self.ids.options
        options.clear_widgets()
        keypad = self.ids.digits
        keypad.value = self.declaration.values.get(key, "") if spec.kind != "choice" else ""
        keypad.max_length = 8 if spec.kind == "date" else (spec.max_len or 18)
        if spec.kind == "choice":
            for option in spec.options:
                button = Factory.GroupButton(text=option, code=option,
                                             chosen=self.declaration.values.get(key) == option)
                button.bind(on_release=lambda w: self.answer(w.code))
                options.add_widget(button)
        self.ids.field_input.active = spec.kind != "choice"
        self.ids.field_hint.text = self.app.tr(f"declare.hint_{spec.kind}")

    def field_label(self, spec) -> str:
        return spec.label if self.app.lang == "zh_CN" or not spec.label_en else spec.label_en

    def _refresh_fields(self) -> None:
        box = self.ids.fields
        box.clear_widgets()
        for spec in self.declaration.item.form:
            value = self.declaration.values.get(spec.key, "")
            button = Factory.GroupButton(text=f"{self.field_label(spec)}：{shown_value(spec, value) or '—'}",
                                         code=spec.key, chosen=spec.key == self.field_key)
            button.bind(on_release=lambda w: self.show_field(w.code))
            box.add_widget(button)

    def answer(self, value: str | None = None) -> None:
        """Store the open field's value (a chosen option, or what the keypad shows) and go to the next."""
        spec = self._spec(self.field_key)
        value = self.ids.digits.value if value is None else value
        error = self.declaration.set_value(spec.key, value)
        if error:
            self.field_error = self.app.tr(error)
            self._refresh_fields()
            return
        keys = [f.key for f in self.declaration.item.form]
        following = [k for k in keys[keys.index(spec.key) + 1:] if k not in self.declaration.values]
        self.show_field(following[0] if following else spec.key)

    def form_done(self) -> None:
        errors = self.declaration.form_errors()
        if errors:
            key = next(iter(errors))
            self.show_field(key)
            self.field_error = self.app.tr(errors[key])
            return
        self.start_scan()

    # ----- scan -----------------------------------------------------------------------------
    def start_scan(self) -> None:
        materials = self.declaration.materials
        if not materials:
            self.review()
            return
        self.mode = "scan"
        self.error = ""
        self._open_camera()
        self._show_material(0)
        say(self.app, "voice.declare_scan")

    def _show_material(self, index: int) -> None:
        material = self.declaration.materials[index]
        self.material_index = index
        self.material_name = material.name
        self.page_count = len(self.declaration.pages.get(material.code, []))

    def _open_camera(self) -> None:
        config = self.app.kiosk_config.devices.doc_camera
        if config is None or self._camera is not None:
            return
        from kiosk.hardware import document_camera

        self._camera = document_camera(config)
        self._camera.grabber.start()
        self._preview_event = Clock.schedule_interval(self._request_preview, PREVIEW_S)

    def _close_camera(self) -> None:
        if self._preview_event is not None:
            self._preview_event.cancel()
            self._preview_event = None
        camera, self._camera = self._camera, None
        if camera is not None:
            camera.grabber.stop()
        self.preview = None

    def _request_preview(self, _dt) -> None:
        camera = self._camera
        if camera is None or not self._preview_busy.acquire(blocking=False):
            return

        def work() -> None:
            try:
                from kiosk.hardware import document_preview

                frame = camera.grabber.latest(0, 0.5)
                shown = document_preview(frame.image, frame.seq, 480, camera.min_area) if frame is not None else None
            except Exception:
                log.exception("preview failed")
                shown = None
            finally:
                self._preview_busy.release()
            if shown is not None:
                Clock.schedule_once(lambda _dt: self._show_preview(shown.image), 0)

        threading.Thread(target=work, name="doc-preview", daemon=True).start()

    def _show_preview(self, image) -> None:
        if self._camera is None:
            return
        import cv2

        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)[::-1].copy()  # Kivy's textures start at the bottom
        texture = Texture.create(size=(rgb.shape[1], rgb.shape[0]), colorfmt="rgb")
        texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        self.preview = texture

    def capture(self) -> None:
        camera = self._camera
        if camera is None:
            self.error = self.app.tr("declare.camera_unavailable")
            return
        code = self.declaration.materials[self.material_index].code

        def work():
            result = camera.capture(2.0)
            return (encode_page(result.page), "") if result.found else (None, result.reason)

        self.run(work, lambda result: self._captured(code, *result))

    def _captured(self, code: str, jpeg: bytes | None, reason: str) -> None:
        if jpeg is None:
            self.error = self.app.tr("declare.no_page" if reason == "no_page" else "declare.camera_unavailable")
            return
        self.page_count = self.declaration.add_page(code, jpeg)

    def retake(self) -> None:
        code = self.declaration.materials[self.material_index].code
        self.page_count = self.declaration.retake(code)

    def next_material(self) -> None:
        if self.page_count == 0:
            self.error = self.app.tr("declare.need_page")
            return
        self.error = ""
        if self.material_index + 1 < len(self.declaration.materials):
            self._show_material(self.material_index + 1)
        else:
            self.review()

    # ----- review and submit ---------------------------------------------------------------
    def review(self) -> None:
        self._close_camera()
        tr = self.app.tr
        item = self.declaration.item
        lines = [f"[b]{item.name}[/b]", ""]
        lines += [f"{self.field_label(f)}：{shown_value(f, self.declaration.values.get(f.key, ''))}" for f in item.form]
        lines += ["", tr("declare.materials")]
        lines += [f"  {m.name}：{tr('declare.pages', count=len(self.declaration.pages.get(m.code, [])))}"
                  for m in self.declaration.materials]
        lines += ["", tr("declare.applicant", name=self.app.session.identity.name_masked)]
        self.summary = "\n".join(lines)
        self.mode = "review"
        say(self.app, "voice.declare_review")

    def submit(self) -> None:
        identity = self.app.session.identity
        if identity is None or self.declaration is None or self.busy:
            return
        application = self.declaration.application(identity.id_number, identity.name)
        config, record = self.app.kiosk_config, self.app.record

        def work():
            receipt = self.app.backend.submit(application)
            printed = True
            try:
                from kiosk.documents.receipts import acceptance_receipt as render
                from kiosk.journeys.thermal import header_for, print_receipt_bytes, profile_for

                data = render(acceptance_receipt(receipt), header_for(config), profile_for(config))
                print_receipt_bytes(config, data, "acceptance_receipt", record)
            except PrintError:
                printed = False
            try:
                from kiosk.report_events import usage

                record("usage", usage("declare", "success", item_code=application.basic_code))
            except Exception:
                log.exception("usage event not recorded")
            return receipt, printed

        self.run(work, self._submitted)

    def _submitted(self, result) -> None:
        receipt, printed = result
        if self.declaration is not None:
            self.declaration.discard()
        self.case_no = receipt.case_no
        self.query_url = receipt.query_url
        self.result_text = self.app.tr("declare.accepted" if printed else "declare.accepted_no_receipt",
                                       days=receipt.promised_days,
                                       at=cn_datetime(receipt.accepted_at))
        self.mode = "done"
        self._item_name = receipt.item_name
        say(self.app, "voice.declare_done")

    def done(self) -> None:
        self.finish("declare", case_no=self.case_no, item_name=getattr(self, "_item_name", ""))

    def back(self) -> None:
        if self.mode == "form":
            self.mode = "choose"
        elif self.mode == "scan":
            self._close_camera()
            self.mode = "form"
            self.show_field(self.field_key)
        elif self.mode == "review":
            self.start_scan()
        else:
            self.home()

    # ----- leaving --------------------------------------------------------------------------
    def stop_work(self) -> None:
        super().stop_work()
        self._close_camera()

    def clear(self) -> None:
        self._close_camera()
        if self.declaration is not None:
            self.declaration.discard()
        self.declaration = None
        self.summary = self.case_no = self.query_url = self.result_text = ""
        self.field_key = self.field_error = self.material_name = ""
        self.page_count = 0
        for box in ("item_list", "fields", "options"):
            self.ids[box].clear_widgets()
        self.ids.digits.value = ""
        self.mode = "choose"

    def on_leave(self, *_args) -> None:
        self._close_camera()
        super().on_leave()
