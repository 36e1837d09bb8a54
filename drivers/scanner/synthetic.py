"""Synthetic camera pictures of codes, made at test and bench time instead of stored.

A real QR camera in a service hall sees a phone screen or a paper receipt at an angle,
out of focus, under ceiling lights that leave a glare spot, sometimes with a dim screen.
:func:`make_scene` reproduces those faults on a cluttered, noisy background with a seeded
random generator, so a test or the benchmark gets the same pictures on every run.
``difficulty`` (0..1) scales every fault together.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

QR_FORMAT = "QRCode"
LINEAR_FORMATS = ("Code128", "EAN13")


@dataclass(frozen=True)
class Scene:
    """A generated picture and what is in it (``None`` payload: no code on purpose)."""

    image: np.ndarray  # grayscale uint8
    payload: bytes | None
    format: str
    difficulty: float


def qr_modules(payload: bytes, error_level: str = "M") -> np.ndarray:
    """The QR symbol as a 0/255 array, one pixel per module, with the 4-module quiet zone."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

    levels = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
    qr = qrcode.QRCode(error_correction=levels[error_level], box_size=1, border=4)
    qr.add_data(payload)  # bytes go in byte mode as they are: no ECI, like the phone apps
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=bool)
    return np.where(matrix, 0, 255).astype(np.uint8)


def linear_symbol(text: str, format: str) -> np.ndarray:
    """A 1D barcode (with quiet zones) drawn by zxing-cpp's writer, 0/255 grayscale."""
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, getattr(zxingcpp.BarcodeFormat, format))
    return np.array(barcode.to_image(scale=1, add_quiet_zones=True), dtype=np.uint8)


def render_symbol(symbol: np.ndarray, target_px: int) -> np.ndarray:
    """Scale a symbol so its longer side is about ``target_px``, keeping modules square."""
    scale = max(1, round(target_px / max(symbol.shape)))
    return cv2.resize(symbol, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def background(rng: np.random.Generator, height: int, width: int, clutter: int) -> np.ndarray:
    """A desk or hand-and-phone-like background: shading, random boxes and lines, noise."""
    base = rng.integers(90, 200)
    yy, xx = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, np.pi)
    gradient = (np.cos(angle) * xx + np.sin(angle) * yy) / max(height, width)
    img = base + 40 * gradient + rng.normal(0, 6, (height, width))
    img = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(clutter):
        color = int(rng.integers(0, 256))
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        if rng.random() < 0.5:
            x1, y1 = x0 + int(rng.integers(5, width // 3)), y0 + int(rng.integers(5, height // 3))
            cv2.rectangle(img, (x0, y0), (x1, y1), color, -1 if rng.random() < 0.5 else 2)
        else:
            x1, y1 = int(rng.integers(0, width)), int(rng.integers(0, height))
            cv2.line(img, (x0, y0), (x1, y1), color, int(rng.integers(1, 4)))
    return img


def place(symbol: np.ndarray, canvas: np.ndarray, rng: np.random.Generator, rotation_deg: float,
          perspective: float) -> None:
    """Paste ``symbol`` onto ``canvas`` (in place) rotated and seen at an angle.

    The symbol's corners are rotated around a random centre, then each is moved by up to
    ``perspective`` of the symbol size: that is what tilting a phone does to the square.
    """
    h, w = symbol.shape
    ch, cw = canvas.shape
    size = max(h, w)
    margin = size * 0.75
    cx = rng.uniform(min(margin, cw / 2), max(cw - margin, cw / 2))
    cy = rng.uniform(min(margin, ch / 2), max(ch - margin, ch / 2))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    theta = np.deg2rad(rotation_deg)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    centred = (src - [w / 2, h / 2]) @ rot.T
    jitter = rng.uniform(-perspective, perspective, (4, 2)) * size
    dst = np.float32(centred + jitter + [cx, cy])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(symbol, matrix, (cw, ch), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(symbol, 255), matrix, (cw, ch), flags=cv2.INTER_LINEAR)
    alpha = mask.astype(np.float32) / 255.0
    canvas[:] = (canvas * (1 - alpha) + warped * alpha).astype(np.uint8)


def degrade(img: np.ndarray, rng: np.random.Generator, difficulty: float) -> np.ndarray:
    """Low contrast, blur, glare and sensor noise, each scaled by ``difficulty``."""
    out = img.astype(np.float32)
    if rng.random() < 0.3 + 0.5 * difficulty:  # dim screen or grey print: squeeze the range
        lo = rng.uniform(0, 90 * difficulty)
        hi = 255 - rng.uniform(0, 90 * difficulty)
        out = lo + out * (hi - lo) / 255.0
    if rng.random() < 0.2 + 0.6 * difficulty:  # a ceiling light on the glass
        h, w = out.shape
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        radius = rng.uniform(0.1, 0.35) * max(h, w)
        yy, xx = np.mgrid[0:h, 0:w]
        spot = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))
        out = out + spot * rng.uniform(40, 40 + 120 * difficulty)
    sigma = rng.uniform(0, 0.3 + 2.2 * difficulty)
    if sigma > 0.3:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    out = out + rng.normal(0, 2 + 10 * difficulty, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def random_payload(rng: random.Random) -> bytes:
    """Payloads like those in a hall: receipt case numbers, licence tokens, URLs, Chinese text."""
    kind = rng.choice(["case", "licence", "url", "utf8", "gbk"])
    if kind == "case":
        return f"ZWFW:CASE:{rng.randint(2020, 2030)}{rng.randint(0, 99999999):08d}".encode()
    if kind == "licence":
        return ("DZZZ:" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=rng.randint(20, 60)))).encode()
    if kind == "url":
        return f"https://zwfw.example.gov.cn/q?id={rng.randint(0, 10**9)}".encode()
    words = ["办件", "查询", "营业执照", "不动产登记", "社会保障", "居住证", "电子证照", "好差评"]
    text = "".join(rng.choices(words, k=rng.randint(1, 6)))
    return text.encode("utf-8" if kind == "utf8" else "gbk")


def make_scene(seed: int, difficulty: float, size: tuple[int, int] = (480, 360),
               payload: bytes | None = None, format: str = QR_FORMAT) -> Scene:
    """One picture of one code; ``seed`` fixes every random choice."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    width, height = size
    canvas = background(rng, height, width, clutter=int(3 + 12 * difficulty))
    if format == QR_FORMAT:
        payload = payload if payload is not None else random_payload(prng)
        symbol = qr_modules(payload, prng.choice("LMQH"))
        target = rng.uniform(0.55, 0.8) - 0.3 * difficulty  # smaller codes when harder
        rotation = rng.uniform(-180, 180)
    else:
        if payload is None:
            payload = (f"{prng.randint(0, 10**12 - 1):012d}".encode() if format == "EAN13"
                       else f"ZWFW-{prng.randint(0, 10**8):08d}".encode())
        symbol = linear_symbol(payload.decode(), format)
        target = rng.uniform(0.6, 0.85) - 0.2 * difficulty
        rotation = rng.uniform(-25, 25) * (0.3 + difficulty)
        if payload and format == "EAN13" and len(payload) == 12:
            payload = payload + str(_ean_check(payload.decode())).encode()
    symbol = render_symbol(symbol, int(target * min(width, height)) if format == QR_FORMAT else int(target * width))
    place(symbol, canvas, rng, rotation, perspective=0.02 + 0.12 * difficulty)
    return Scene(degrade(canvas, rng, difficulty), payload, format, difficulty)


def _ean_check(digits12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return (10 - total % 10) % 10


def scene_set(count: int, seed: int = 2026, size: tuple[int, int] = (480, 360),
              linear_share: float = 0.15) -> Iterator[Scene]:
    """``count`` scenes spread evenly over difficulty 0..1, some of them 1D barcodes."""
    rng = random.Random(seed)
    for i in range(count):
        difficulty = i / max(1, count - 1)
        format = rng.choice(LINEAR_FORMATS) if rng.random() < linear_share else QR_FORMAT
        yield make_scene(seed * 100_003 + i, difficulty, size, format=format)
