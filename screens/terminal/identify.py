"""Identify: place the ID card on the reader; unreadable, expired, invalid cards and timeouts say so.

The reader's poller runs only while this screen is open. A card that was read goes through
:func:`kiosk.identify.admit_card` (expired card, number failing GB 11643 → a clear message
and 重试); the identity lives only in the session, in memory.
"""
from __future__ import annotations

import logging
from pathlib import Path

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty

from kiosk.identify import CardRefused, admit_card
from screens.terminal.journey import JourneyScreen, say

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)

TIMEOUT_S = 30.0  # waiting for a card; ×1.5 in 长者模式


class IdentifyScreen(JourneyScreen):
    voice_key = "voice.identify"
    card_offset = NumericProperty(0.0)  # the animated card above the reader, 0..1
    status = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._poller = None
        self._timeout = None
        self._anim: Animation | None = None

    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        self.listen()

    def listen(self) -> None:
        """(Re)start waiting for a card: poller, animation and the timeout."""
        app = self.app
        self.error = ""
        self.status = app.tr("identify.place_card")
        self._stop_poller()
        config = app.kiosk_config.devices.idcard
        if config is None:
            self._refuse("identify.no_reader")
            return
        from drivers.idcard.poller import poller_for_port

        self._poller = poller_for_port(
            config.port, self._on_card_thread, baudrate=config.baudrate, fallback_baudrate=config.fallback_baudrate,
            timeout_s=config.timeout_s, retries=config.retries, poll_interval_s=max(config.poll_interval_s, 0.05),
            on_error=self._on_error_thread)
        self._poller.start()
        self._timeout = Clock.schedule_once(lambda _dt: self._refuse("identify.timeout"),
                                            TIMEOUT_S * (1.5 if app.elderly else 1.0))
        self._animate()

    def _animate(self) -> None:
        if self._anim is not None:
            self._anim.cancel(self)
        self.card_offset = 1.0
        self._anim = (Animation(card_offset=0.0, duration=1.2, t="out_quad")
                      + Animation(card_offset=0.0, duration=0.6) + Animation(card_offset=1.0, duration=0.01))
        self._anim.repeat = True
        self._anim.start(self)

    # The poller calls these from its own thread.
    def _on_card_thread(self, card) -> None:
        Clock.schedule_once(lambda _dt: self._on_card(card), 0)

    def _on_error_thread(self, exc) -> None:
        log.info("card could not be read: %s", type(exc).__name__)
        Clock.schedule_once(lambda _dt: self._refuse("identify.unreadable"), 0)

    def _on_card(self, card) -> None:
        if self.manager is None or self.manager.current != self.name or not self.app_running:
            return  # the citizen has gone on: ignore a late read
        try:
            admit_card(self.app.session, card, "idcard")
        except CardRefused as exc:
            self._refuse(exc.key)
            return
        self._stop_poller()
        target = self.app.session.data.pop("after_identify", "home")
        self.app.show(target)

    def _refuse(self, key: str) -> None:
        """Stop waiting and show why, with 重试 (which listens again)."""
        if self.manager is None or self.manager.current != self.name:
            return
        self._stop_poller()
        self.error = self.app.tr(key)
        self.status = ""
        say(self.app, "voice.identify_failed")

    def retry(self) -> None:
        self.listen()

    def _stop_poller(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        if self._anim is not None:
            self._anim.cancel(self)
            self._anim = None
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.stop(timeout=2.0)

    def stop_work(self) -> None:
        super().stop_work()
        self._stop_poller()

    def on_leave(self, *_args) -> None:
        self._stop_poller()
        super().on_leave()
