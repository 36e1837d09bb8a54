"""Generated photos of paper pages with Chinese text, seen at an angle by a document camera.

Tests and the benchmark need pages whose corners are known exactly. A page (white, with
lines of Chinese text) is rendered with a CJK font, then warped onto a darker desk with
uneven light, blur and noise, from a seeded random generator.
"""
from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

SAMPLE_LINES = (
    "政务服务事项申请表", "申请人：张三　联系电话：138****0000", "事项名称：不动产登记（首次登记）",
    "办件编号：ZWFW202600000123", "申请材料：身份证明、权属来源证明", "本人承诺所提交材料真实有效。",
    "受理单位：某某市政务服务中心", "申请日期：2026年11月23日",
)

_KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """A font with Simplified Chinese glyphs (fontconfig first, then known paths)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5).stdout
        files = [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]
        # WenQuanYi has SC shapes as face 0; Noto CJK .ttc has the Japanese face first.
        files.sort(key=lambda f: ("wqy" not in f, f))
        if files:
            return files[0]
    except (OSError, subprocess.SubprocessError):
        pass
    return next((f for f in _KNOWN_FONTS if Path(f).exists()), None)


@dataclass(frozen=True)
class PagePhoto:
    image: np.ndarray  # BGR
    corners: np.ndarray | None  # 4x2 float32, tl tr br bl; None when there is no page
    page_size: tuple[int, int]  # width, height of the flat page that was photographed


def render_page(width: int = 420, height: int = 594, lines: tuple[str, ...] = SAMPLE_LINES,
                seed: int = 0) -> np.ndarray:
    """A flat A4-proportioned page (grayscale) with text lines and a table frame."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    font_path = cjk_font_path()
    size = max(10, width // 26)
    font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default()
    title = ImageFont.truetype(font_path, int(size * 1.4)) if font_path else font
    y = height // 12
    draw.text((width // 2, y), lines[0], fill=15, font=title, anchor="mt")
    y += int(size * 3)
    for line in rng.sample(lines[1:], k=len(lines) - 1):
        draw.text((width // 12, y), line, fill=20, font=font)
        y += int(size * 1.9)
    bottom = min(height - height // 10, y + height // 4)
    draw.rectangle((width // 12, y, width - width // 12, bottom), outline=40, width=2)
    return np.array(page)


def photograph(page: np.ndarray, seed: int, size: tuple[int, int] = (640, 480), tilt: float = 0.12,
               fill: float = 0.7) -> PagePhoto:
    """The page on a desk, seen from a camera that is not quite above it."""
    rng = np.random.default_rng(seed)
    width, height = size
    ph, pw = page.shape
    scale = fill * min(width / pw, height / ph)
    w, h = pw * scale, ph * scale
    cx, cy = width / 2 + rng.uniform(-0.08, 0.08) * width, height / 2 + rng.uniform(-0.06, 0.06) * height
    angle = np.deg2rad(rng.uniform(-12, 12))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    square = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    corners = square @ rot.T + [cx, cy] + rng.uniform(-tilt, tilt, (4, 2)) * [w, h] * 0.5
    corners = np.float32(corners)
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    matrix = cv2.getPerspectiveTransform(src, corners)
    desk = desk_background(rng, height, width)
    warped = cv2.warpPerspective(page, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full_like(page, 255), matrix, (width, height)).astype(np.float32) / 255
    photo = desk * (1 - mask) + warped * mask
    photo = light_falloff(photo, rng)
    photo = cv2.GaussianBlur(photo, (0, 0), 0.6) + rng.normal(0, 3, photo.shape)
    gray = np.clip(photo, 0, 255).astype(np.uint8)
    tint = np.array([rng.uniform(0.9, 1.0), rng.uniform(0.95, 1.0), 1.0])  # a warm lamp
    bgr = np.clip(gray[..., None] * tint, 0, 255).astype(np.uint8)
    return PagePhoto(bgr, corners, (pw, ph))


def desk_background(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A darker, slightly textured surface (the camera's base plate or a desk)."""
    base = rng.uniform(60, 120)
    texture = cv2.GaussianBlur(rng.normal(0, 12, (height, width)), (0, 0), 3)
    return base + texture


def light_falloff(photo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uneven lamp light: bright on one side, darker on the other."""
    h, w = photo.shape
    yy, xx = np.mgrid[0:h, 0:w]
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * (xx - w / 2) + np.sin(angle) * (yy - h / 2)) / max(h, w)
    return photo * (1 + rng.uniform(0.1, 0.3) * ramp)


def empty_desk(seed: int, size: tuple[int, int] = (640, 480)) -> PagePhoto:
    """Nothing under the camera: the capture must say "no page", not crop the desk."""
    rng = np.random.default_rng(seed)
    width, height = size
    gray = np.clip(light_falloff(desk_background(rng, height, width), rng), 0, 255).astype(np.uint8)
    return PagePhoto(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), None, (0, 0))
