"""Identify: ID card, social-security card or an identity QR code, whichever the citizen has.

While this screen is open it listens to every method the terminal has at once, as a hall kiosk
says "请放置身份证、社保卡或出示二维码": the SAM ID-card poller, the social-security card watcher
(PC/SC) and the code readers (:class:`screens.terminal.code_listener.CodeListener`). The heading,
the hints, the animation and the voice prompt name exactly the configured methods
(:func:`kiosk.identify.configured_methods`).

A card goes through :func:`kiosk.identify.admit_card`; an identity code (电子证照 ``DZZZ:``, 政务 App
``ZWFW:ID:``) is never trusted by itself: the backend verifies the token
(``verify_identity_code``) and its answer goes through :func:`kiosk.identify.admit_code`. Every
failure stops listening and shows its own message with 重试. The identity lives only in the
session, in memory; tokens are logged only as :func:`kiosk.identify.token_hint`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.identify import (
    IDENTITY_CODE_KINDS,
    CardRefused,
    admit_card,
    admit_code,
    code_refusal_key,
    configured_methods,
    heading,
    read_sscard_whole,
    sscard_refusal_key,
    token_hint,
    voice_key,
)
from kiosk.payloads import Payload
from screens.terminal.code_listener import CodeListener
from screens.terminal.journey import JourneyScreen, say

log = logging.getLogger(__name__)


class IdentifyArt(Widget):
    """The drawing of the ways in: ``cx`` the card reader's centre, ``px`` the phone's left edge, ``lift``
    how high the card and the phone float above them (the animation)."""

    cx = NumericProperty(0.0)
    px = NumericProperty(0.0)
    lift = NumericProperty(0.0)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

TIMEOUT_S = 30.0  # waiting for a card or code; ×1.5 in 长者模式


class IdentifyScreen(JourneyScreen):
    voice_key = ""  # chosen per configured methods in on_pre_enter
    card_offset = NumericProperty(0.0)  # the animated card above the reader, 0..1
    status = StringProperty("")
    heading_text = StringProperty("")
    hints = StringProperty("")  # one line per configured method
    has_cards = BooleanProperty(True)  # draw the card reader
    has_qr = BooleanProperty(False)  # draw the phone with its code

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._poller = None
        self._watcher = None
        self._codes: CodeListener | None = None
        self._timeout = None
        self._anim: Animation | None = None
        self.methods: tuple[str, ...] = ()

    def on_pre_enter(self, *_args) -> None:
        self.methods = configured_methods(self.app.kiosk_config.devices)
        super().on_pre_enter()
        say(self.app, voice_key(self.methods))
        self.listen()

    def _describe(self) -> None:
        tr = self.app.tr
        self.heading_text = heading(self.methods, tr)
        self.hints = "\n".join(tr(f"identify.hint_{m}") for m in self.methods)
        self.has_cards = "idcard" in self.methods or "sscard" in self.methods
        self.has_qr = "qr" in self.methods

    def listen(self) -> None:
        """(Re)start waiting: every configured method, the animation and the timeout."""
        app = self.app
        self.error = ""
        self._stop_listening()
        self._describe()
        if not self.methods:
            self._refuse("identify.no_method")
            return
        self.status = self.hints
        devices = app.kiosk_config.devices
        if devices.idcard is not None:
            self._start_idcard(devices.idcard)
        if devices.sscard is not None:
            self._start_sscard(devices.sscard)
        if "qr" in self.methods:
            if self._codes is None:
                self._codes = CodeListener(devices, self._on_payload)
            self._codes.start()
        self._timeout = Clock.schedule_once(lambda _dt: self._refuse("identify.timeout"),
                                            TIMEOUT_S * (1.5 if app.elderly else 1.0))
        self._animate()

    def _start_idcard(self, config: Any) -> None:
        from kiosk.hardware import id_card_poller

        self._poller = id_card_poller(config, lambda card: self._from_thread(self._on_card, card, "idcard"),
                                      self._on_idcard_error_thread)
        self._poller.start()

    def _start_sscard(self, config: Any) -> None:
        try:
            from kiosk.hardware import smart_card_watcher

            self._watcher = smart_card_watcher(config, read_sscard_whole,
                                               lambda card: self._from_thread(self._on_card, card, "sscard"),
                                               self._on_sscard_error_thread)
            self._watcher.start()
        except Exception as exc:  # pyscard missing or broken: the other ways in still work
            log.warning("social-security card reader not available: %s", type(exc).__name__)
            self._watcher = None

    def _animate(self) -> None:
        if self._anim is not None:
            self._anim.cancel(self)
        self.card_offset = 1.0
        self._anim = (Animation(card_offset=0.0, duration=1.2, t="out_quad")
                      + Animation(card_offset=0.0, duration=0.6) + Animation(card_offset=1.0, duration=0.01))
        self._anim.repeat = True
        self._anim.start(self)

    # ----- from the readers' threads -----------------------------------------------------------
    @staticmethod
    def _from_thread(handler, *args) -> None:
        Clock.schedule_once(lambda _dt: handler(*args), 0)

    def _on_idcard_error_thread(self, exc) -> None:
        log.info("ID card could not be read: %s", type(exc).__name__)
        self._from_thread(self._refuse, "identify.unreadable")

    def _on_sscard_error_thread(self, exc) -> None:
        log.info("social-security card could not be read: %s", type(exc).__name__)
        self._from_thread(self._refuse, sscard_refusal_key(exc))

    # ----- on the UI thread ----------------------------------------------------------------------
    def _here(self) -> bool:
        return self.manager is not None and self.manager.current == self.name and self.app_running

    def _on_card(self, card, source: str) -> None:
        if not self._here() or self.busy:
            return  # the citizen has gone on (or a code is being checked): ignore a late read
        try:
            admit_card(self.app.session, card, source)
        except CardRefused as exc:
            self._refuse(exc.key)
            return
        self._admitted()

    def _on_payload(self, payload: Payload) -> None:
        if not self._here() or self.busy or self.error:
            return
        if not payload.accepted:
            self._refuse(payload.message_key if payload.message_key.startswith("scan.") else "identify.code_unreadable")
            return
        kind = IDENTITY_CODE_KINDS.get(payload.kind.value)
        if kind is None:
            self._refuse("identify.code_not_identity")
            return
        token = payload.value
        log.info("identity code (%s) to verify: %s", kind, token_hint(token))
        self._pause()
        self.status = self.app.tr("identify.checking_code")
        self.run(lambda: self.app.backend.verify_identity_code(token), self._on_verified, self._code_refused)

    def _on_verified(self, verified) -> None:
        try:
            admit_code(self.app.session, verified)
        except CardRefused as exc:
            self._refuse(exc.key, code=True)
            return
        self._admitted()

    def _code_refused(self, reason: str) -> None:
        self._refuse(code_refusal_key(reason), code=True)

    def _admitted(self) -> None:
        self._stop_listening()
        target = self.app.session.data.pop("after_identify", "home")
        self.app.show(target)

    def _refuse(self, key: str, code: bool = False) -> None:
        """Stop waiting and show why, with 重试 (which listens again)."""
        if self.manager is None or self.manager.current != self.name:
            return
        self._stop_listening()
        self._retry = None  # 重试 listens again on every way in, not only the failed call
        self.error = self.app.tr(key)
        self.status = ""
        say(self.app, "voice.identify_code_failed" if code or key.startswith(("scan.", "identify.code"))
            else "voice.identify_failed")

    def retry(self) -> None:
        self.listen()

    def _pause(self) -> None:
        """Stop the readers and the timeout while a code is being verified (one answer at a time)."""
        self._stop_listening()

    def _stop_listening(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        if self._anim is not None:
            self._anim.cancel(self)
            self._anim = None
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.stop(timeout=2.0)
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop(timeout=2.0)
        if self._codes is not None:
            self._codes.stop()

    def stop_work(self) -> None:
        super().stop_work()
        self._stop_listening()

    def on_pre_leave(self, *_args) -> None:
        self._stop_listening()  # before the next screen opens the same readers

    def on_leave(self, *_args) -> None:
        self._stop_listening()
        super().on_leave()
