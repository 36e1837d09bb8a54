"""Making a straightened page legible, like a scanner's output rather than a photo.

The lamp lights a page unevenly, so a global threshold loses text in the dark corner.
Dividing by a heavily blurred copy (the page's own illumination) flattens the light;
the result is stretched to white paper and black ink, then lightly sharpened.
``mode="bw"`` adds an adaptive threshold for faint forms that will be printed again.
"""
from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

Mode = Literal["gray", "bw"]


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide out the illumination estimated by a morphological close + large blur."""
    size = max(15, (min(gray.shape) // 20) | 1)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    background = cv2.GaussianBlur(background, (0, 0), size / 2)
    return cv2.divide(gray, np.maximum(background, 1), scale=255)


def enhance(page: np.ndarray, mode: Mode = "gray") -> np.ndarray:
    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    flat = flatten_light(gray)
    lo, hi = np.percentile(flat, (1, 99))
    stretched = np.clip((flat.astype(np.float32) - lo) * 255.0 / max(hi - lo, 1), 0, 255).astype(np.uint8)
    sharp = cv2.addWeighted(stretched, 1.5, cv2.GaussianBlur(stretched, (0, 0), 1.0), -0.5, 0)
    if mode == "bw":
        return cv2.adaptiveThreshold(sharp, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 15)
    return sharp
