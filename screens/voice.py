"""Playing the spoken prompts of 长者模式 and the call-staff chime through Kivy's SoundLoader.

Synthesis runs in one worker thread (espeak-ng is a process start); only the newest request
is kept, so a citizen tapping quickly through steps hears the step they are on, not a queue of
old ones. Playing happens on the UI thread. Nothing here may block the UI or raise: a terminal
without a sound card or without espeak-ng simply stays silent.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kivy.clock import Clock

log = logging.getLogger(__name__)


def play_wav(path: Path | str) -> object | None:
    """Play a wav now (UI thread); returns the Sound, or ``None`` when it cannot be played here."""
    try:
        from kivy.core.audio import SoundLoader

        sound = SoundLoader.load(str(path))
        if sound is not None:
            sound.play()
        return sound
    except Exception:  # no audio provider or device: sounds are optional
        log.info("sound %s not played (no audio output)", Path(path).name)
        return None


class VoicePrompter:
    """``say(key)`` from the UI thread; the wav is made in the background and played when ready."""

    def __init__(self, language: Callable[[], str], cache_dir: Path, voice: str | None = None) -> None:
        self.language = language
        self.cache_dir = Path(cache_dir)
        self.voice = voice
        self._wanted: str | None = None
        self._cond = threading.Condition()
        self._render_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._closed = False
        self._sound = None
        self.last_played: Path | None = None  # for tests and the maintenance screen
        self.requested: list[str] = []  # keys asked for, newest last (kept short)

    def say(self, key: str) -> None:
        self.requested = (self.requested + [key])[-20:]
        with self._cond:
            self._wanted = key
            self._cond.notify()
        self._ensure_worker()

    def prerender(self) -> None:
        """Make every prompt's wav in the background (when 长者模式 is switched on)."""
        language = self.language()

        def work() -> None:
            try:
                from kiosk.voice_prompts import VOICE_KEYS

                made = [self._render(key, language) for key in VOICE_KEYS]
                log.info("voice prompts ready: %d of %d", sum(p is not None for p in made), len(made))
            except Exception:
                log.exception("voice prompts could not be prepared")

        threading.Thread(target=work, name="voice-prerender", daemon=True).start()

    def stop(self) -> None:
        sound, self._sound = self._sound, None
        if sound is not None:
            try:
                sound.stop()
            except Exception:
                pass

    def close(self) -> None:
        """The app stops: silence, and end the worker now rather than after its idle wait."""
        self.stop()
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _ensure_worker(self) -> None:
        if self._closed:
            return
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="voice-prompts", daemon=True)
            self._worker.start()

    def _render(self, key: str, language: str) -> Path | None:
        """One prompt at a time: the pre-render and a step's prompt may want the same wav at once."""
        from kiosk.voice_prompts import render

        with self._render_lock:
            return render(key, language, self.cache_dir, self.voice)

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda: self._wanted is not None or self._closed, timeout=30):
                    return  # idle: the thread ends and is started again on the next prompt
                if self._closed:
                    return
                key, self._wanted = self._wanted, None
            try:
                path = self._render(key, self.language())
            except Exception:
                log.exception("voice prompt %s failed", key)
                path = None
            if path is not None:
                Clock.schedule_once(lambda _dt, p=path: self._play(p), 0)

    def _play(self, path: Path) -> None:
        self.stop()
        self._sound = play_wav(path)
        self.last_played = path
