"""The terminal's spoken step prompts for 长者模式 (elderly mode): which exist, their text, their wav.

Each journey step names a prompt by key (``voice.identify``); the text is the i18n string of that
key, so a translator edits what is said next to what is shown. Prompts are synthesised offline by
espeak-ng into cached wavs (:func:`kiosk.voice.prompt_wav`); :func:`prerender` makes all of them
when 长者模式 is switched on, so the first prompt of each step plays at once.
"""
from __future__ import annotations

from pathlib import Path

from kiosk.i18n import translate
from kiosk.voice import DEFAULT_VOICE, prompt_wav

# Every prompt a journey may ask for; assets/i18n/*.toml has each under [voice].
VOICE_KEYS: tuple[str, ...] = (
    "voice.home", "voice.identify", "voice.identify_failed", "voice.guide", "voice.guide_detail", "voice.progress",
    "voice.progress_result", "voice.print_choose", "voice.print_confirm", "voice.printing", "voice.print_done",
    "voice.print_failed", "voice.declare_choose", "voice.declare_form", "voice.declare_scan", "voice.declare_review",
    "voice.declare_done", "voice.rate", "voice.thanks", "voice.idle_warning", "voice.call_staff",
    "voice.out_of_service",
    # identify: one prompt per combination of the methods a terminal has (kiosk.identify.voice_key)
    "voice.identify_idcard", "voice.identify_sscard", "voice.identify_qr", "voice.identify_idcard_sscard",
    "voice.identify_idcard_qr", "voice.identify_sscard_qr", "voice.identify_code_failed",
)

ENGLISH_VOICE = "en"


def voice_for(language: str, configured: str | None = None) -> str:
    """The espeak-ng voice for the UI language: the configured Mandarin voice, or English."""
    return (configured or DEFAULT_VOICE) if language == "zh_CN" else ENGLISH_VOICE


def render(key: str, language: str, cache_dir: Path, configured_voice: str | None = None) -> Path | None:
    """The wav of one prompt (made on first use); ``None`` when it cannot be synthesised here."""
    return prompt_wav(translate(key, language), cache_dir, voice_for(language, configured_voice))


def prerender(language: str, cache_dir: Path, configured_voice: str | None = None,
              keys: tuple[str, ...] = VOICE_KEYS) -> dict[str, Path | None]:
    """Synthesise every prompt of ``language`` (about 20 ms each); already cached ones cost nothing."""
    return {key: render(key, language, cache_dir, configured_voice) for key in keys}
