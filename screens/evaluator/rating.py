"""The rating screen: five large faces, a countdown, and a spoken invitation.

A good level is submitted at once; a bad one (不满意, 非常不满意) goes to the reasons screen
first. The voice prompt is synthesised and loaded off the UI thread and is skipped when
there is no espeak-ng or no audio device: it never delays the faces.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.rating import Level
from screens.widgets.rating import RatingFaces  # noqa: F401  (the shared component, used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)


class EvaluatorRatingScreen(Screen):
    hint = StringProperty("")
    subject = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self._timer = Clock.schedule_interval(self._update, 0.5)
        self._update()
        self._speak()

    def on_leave(self, *_args) -> None:
        self._timer.cancel()

    def show_state(self, controller) -> None:
        if hasattr(self, "_timer"):
            self._update()

    def _update(self, *_args) -> None:
        app = App.get_running_app()
        controller = getattr(app, "evaluator", None)
        if controller is None or controller.stopped:  # the app stopped under us (tests, gallery)
            self._timer.cancel()
            return
        invitation = controller.service.invitation
        if invitation is None:
            return
        left = max(0, int(invitation.timeout_s - (time.monotonic() - invitation.invited_at) + 0.99))
        self.hint = app.tr("evaluator.ui.rate_hint", seconds=left)
        case = invitation.case
        self.subject = (app.tr("evaluator.ui.case_no", case_no=case.case_no) if case
                        else app.tr("evaluator.ui.consultation"))

    def choose(self, level: str) -> None:
        app = App.get_running_app()
        chosen = Level(level)
        if chosen.is_bad:
            app.show("evaluator_reasons")
            app.manager.current_screen.level = chosen.value
            return
        app.evaluator.submit(chosen)

    def _speak(self) -> None:
        app = App.get_running_app()
        controller = app.evaluator
        if not controller.settings.voice:
            return
        text, data_dir = app.tr("evaluator.ui.voice_prompt"), controller.data_dir / "voice"
        voice = app.kiosk_config.devices.speaker.voice if app.kiosk_config.devices.speaker else "cmn-latn-pinyin"

        def work() -> None:
            from kiosk.voice import prompt_wav

            path = prompt_wav(text, data_dir, voice)
            if path is not None:
                Clock.schedule_once(lambda _dt: _play(path), 0)

        threading.Thread(target=work, name="voice-prompt", daemon=True).start()


def _play(path: Path) -> None:
    try:
        from kivy.core.audio import SoundLoader

        sound = SoundLoader.load(str(path))
        if sound is not None:
            sound.play()
    except Exception:  # no audio device on this machine: the prompt is optional
        log.info("voice prompt not played (no audio output)")
