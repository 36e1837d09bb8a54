"""The evaluator's idle screen: which window this is and who serves at it.

Until a staff member signs in (staff card or staff number + PIN) it asks for a sign-in
rather than showing a made-up name; 暂停服务 is shown as a red banner while paused.
"""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from screens.evaluator.staffbar import StaffBar  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class EvaluatorIdleScreen(Screen):
    staff_name = StringProperty("")
    staff_no = StringProperty("")
    staff_line = StringProperty("")
    staff_no_line = StringProperty("")
    photo = StringProperty("")  # the cached photo from the server, or '' (initials avatar / silhouette)
    initial = StringProperty("")  # the surname on a coloured disc while there is no photo
    paused = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        app = App.get_running_app()
        app.bind(lang=self._refresh)
        self.bind(staff_name=self._refresh, staff_no=self._refresh)
        self._refresh()

    def show_state(self, controller) -> None:
        staff = controller.service.staff
        self.staff_name = staff.name if staff else ""
        self.staff_no = staff.staff_no if staff else ""
        fresh = controller.staff.get(staff.staff_no) if staff else None  # the directory may have been re-synced
        path = controller.staff.photo_path(fresh or staff) if staff else None
        self.photo = str(path) if path else ""
        self.initial = staff.name[:1] if staff and not path else ""
        self.paused = controller.service.paused

    def _refresh(self, *_args) -> None:
        app = App.get_running_app()
        if self.staff_name:
            self.staff_line = f"{app.tr('evaluator.staff_name')}：{self.staff_name}"
            self.staff_no_line = f"{app.tr('evaluator.staff_no')}：{self.staff_no}"
        else:
            self.staff_line = app.tr("evaluator.no_staff")
            self.staff_no_line = ""
