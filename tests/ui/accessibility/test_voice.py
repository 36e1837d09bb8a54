"""长者模式 voice prompts: every key has a text in both languages and renders to a real wav."""
from __future__ import annotations

import shutil
import wave

import pytest

from kiosk.i18n import catalog
from kiosk.voice_prompts import VOICE_KEYS, prerender, render, voice_for

JOURNEY_KEYS = {"voice.home", "voice.identify", "voice.identify_failed", "voice.guide", "voice.guide_detail",
                "voice.progress", "voice.progress_result", "voice.print_choose", "voice.print_confirm",
                "voice.printing", "voice.print_done", "voice.print_failed", "voice.declare_choose",
                "voice.declare_form", "voice.declare_scan", "voice.declare_review", "voice.declare_done",
                "voice.rate", "voice.thanks", "voice.idle_warning"}

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def test_every_prompt_the_journeys_call_exists_in_both_languages():
    assert JOURNEY_KEYS <= set(VOICE_KEYS)
    for language in ("zh_CN", "en"):
        texts = catalog(language)
        voice_keys = {k for k in texts if k.startswith("voice.")}
        assert voice_keys == set(VOICE_KEYS), language
        assert all(texts[k].strip() for k in VOICE_KEYS)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in catalog("zh_CN")[k]) for k in VOICE_KEYS)


def test_voice_follows_the_language():
    assert voice_for("zh_CN") == "cmn-latn-pinyin"
    assert voice_for("zh_CN", "cmn") == "cmn"
    assert voice_for("en", "cmn") == "en"


def _seconds(path) -> float:
    with wave.open(str(path)) as wav:
        assert wav.getnframes() > 0
        return wav.getnframes() / wav.getframerate()


@needs_espeak
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_prompt_renders_a_non_empty_wav(tmp_path, language):
    made = prerender(language, tmp_path)
    assert set(made) == set(VOICE_KEYS) and all(made.values())
    for key, path in made.items():
        assert _seconds(path) > 0.5, key  # a spoken sentence, not a click
    assert len({p.read_bytes() for p in made.values()}) == len(VOICE_KEYS)  # each prompt its own audio
    again = render("voice.home", language, tmp_path)
    assert again == made["voice.home"]  # cached: no second synthesis


def test_without_espeak_prompts_are_silently_absent(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert render("voice.home", "zh_CN", tmp_path) is None
