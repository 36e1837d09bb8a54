"""Spoken prompts: espeak-ng renders a Mandarin prompt once to a wav cached in the data dir.

Synthesis takes ~20 ms but starts a process, so the wav is cached by a hash of voice and text
and re-used for every invitation; the screen plays it with its own sound loader. The
``cmn-latn-pinyin`` voice reads Chinese characters with the right Mandarin phonemes
(``-v cmn`` mispronounces many). Anything missing (no espeak-ng, no disk) gives ``None``:
the prompt is optional and must never block or break the rating screen.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_VOICE = "cmn-latn-pinyin"


def prompt_wav(text: str, cache_dir: Path, voice: str = DEFAULT_VOICE, timeout_s: float = 5.0) -> Path | None:
    """The cached wav of ``text``, synthesised on first use; ``None`` when it cannot be made."""
    digest = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"prompt-{digest}.wav"
    if path.is_file() and path.stat().st_size > 44:
        return path
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a temporary name of its own: two renderers of the same prompt (the pre-render and a
        # step's prompt, or two processes) each write their own file and the last rename wins
        fd, tmp_name = tempfile.mkstemp(prefix=f"prompt-{digest}.", suffix=".tmp.wav", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        subprocess.run([exe, "-v", voice, "-w", str(tmp), text], check=True, timeout=timeout_s,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.replace(tmp, path)
        tmp = None
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("voice prompt not available: %s", exc)
        return None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return path
