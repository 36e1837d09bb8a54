"""Generate ``assets/sounds/chime.wav``: the two-tone chime of 呼叫工作人员 (call staff).

Run once (``python scripts/make_chime.py``); the wav is committed. Made here from sine tones
with a soft decay, so the sound has no third-party licence and can be regenerated exactly.
"""
from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds" / "chime.wav"
# (frequency Hz, start s, length s): a falling major third, like a hall's call bell (ding-dong)
NOTES = ((659.25, 0.0, 0.9), (523.25, 0.45, 1.1))


def samples() -> list[int]:
    length = max(start + dur for _f, start, dur in NOTES)
    out = []
    for n in range(int(length * RATE)):
        t = n / RATE
        value = 0.0
        for freq, start, dur in NOTES:
            if start <= t < start + dur:
                local = t - start
                attack = min(1.0, local / 0.01)  # 10 ms attack: no click
                decay = math.exp(-3.5 * local / dur)
                value += attack * decay * (math.sin(2 * math.pi * freq * local)
                                           + 0.3 * math.sin(4 * math.pi * freq * local))
        out.append(int(max(-1.0, min(1.0, value * 0.35)) * 32767))
    return out


def main(out: Path = OUT) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    data = samples()
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(data)}h", *data))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
