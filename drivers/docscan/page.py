"""Finding the page in a document-camera picture and straightening it.

The page is the largest convex quadrilateral that covers a good part of the picture
(``min_area`` of it): a white sheet on the camera's darker base plate. Edges are searched
on a downscaled copy (faster, and paper texture no longer makes edges), first with Canny,
then, for a page whose edges are soft, on an Otsu threshold (paper is brighter than the
base). Nothing found is a result, not an error: the kiosk then asks the citizen to place
the paper inside the frame.
"""
from __future__ import annotations

import cv2
import numpy as np

WORK_SIZE = 640  # long side of the copy the outline is searched on


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left (float32)."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    sums, diffs = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    ordered = np.array([pts[np.argmin(sums)], pts[np.argmin(diffs)], pts[np.argmax(sums)], pts[np.argmax(diffs)]])
    if len({tuple(p) for p in ordered.tolist()}) < 4:  # degenerate at 45 degrees: sort by angle instead
        centre = pts.mean(axis=0)
        angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
        ordered = pts[np.argsort(angles)]
        start = int(np.argmin(ordered.sum(axis=1)))
        ordered = np.roll(ordered, -start, axis=0)
    return ordered.astype(np.float32)


def _quad_candidates(binary: np.ndarray, min_area_px: float) -> list[np.ndarray]:
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        if cv2.contourArea(contour) < min_area_px:
            break
        hull = cv2.convexHull(contour)
        perimeter = cv2.arcLength(hull, True)
        for eps in (0.02, 0.04, 0.06):
            approx = cv2.approxPolyDP(hull, eps * perimeter, True)
            if len(approx) == 4 and cv2.isContourConvex(approx):
                quads.append(approx.reshape(4, 2).astype(np.float32))
                break
    return quads


def _looks_like_paper(small: np.ndarray, quad: np.ndarray, min_contrast: float = 25.0) -> bool:
    """Paper is clearly brighter than a ring of base plate around it, and does not run
    off the picture: an uneven desk split in half by Otsu fails both."""
    h, w = small.shape
    margin = 3
    on_border = sum(x < margin or y < margin or x > w - 1 - margin or y > h - 1 - margin for x, y in quad)
    if on_border >= 2:
        return False
    inside = np.zeros_like(small)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    ring = cv2.dilate(inside, np.ones((15, 15), np.uint8)) & ~cv2.dilate(inside, np.ones((5, 5), np.uint8))
    if not ring.any():
        return False
    return float(cv2.mean(small, inside)[0]) - float(cv2.mean(small, ring)[0]) >= min_contrast


def find_page(image: np.ndarray, min_area: float = 0.15) -> np.ndarray | None:
    """The page's corners in ``image`` coordinates (tl, tr, br, bl), or None."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = WORK_SIZE / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    scale = min(scale, 1.0)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    min_area_px = min_area * small.shape[0] * small.shape[1]
    edges = cv2.dilate(cv2.Canny(small, 50, 150), np.ones((3, 3), np.uint8))
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    for binary in (edges, bright):
        for quad in _quad_candidates(binary, min_area_px):
            if _looks_like_paper(small, quad):
                return order_corners(quad / scale)
    return None


ISO_RATIO = 2 ** 0.5  # A3/A4/A5/B5 height : width, what nearly every paper in a hall is
SNAP_TOLERANCE = 0.15


def page_size(corners: np.ndarray) -> tuple[int, int]:
    """Width and height of the flat page, from the outline in the photo.

    Edge lengths give the size, but a tilted camera shortens the far edge, so the
    measured proportions are off by up to ~10 %. Papers are ISO 216 (1 : 1.414); a
    measurement within ``SNAP_TOLERANCE`` of that is snapped to it, so an A4 form comes
    out with A4 proportions instead of slightly squashed.
    """
    tl, tr, br, bl = order_corners(corners)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    ratio = height / max(width, 1.0)
    for target in (ISO_RATIO, 1 / ISO_RATIO):
        if abs(ratio / target - 1) <= SNAP_TOLERANCE:
            if target > 1:
                height = width * target
            else:
                width = height / target
            break
    return int(round(width)), int(round(height))


def rectify(image: np.ndarray, corners: np.ndarray, inset: int | None = None) -> np.ndarray:
    """The page seen from straight above (see :func:`page_size` for its proportions).

    ``inset`` pixels are cut from each side to drop the desk showing at the edge; by
    default 0.6 % of the page, about the error of an outline found on the downscaled copy.
    """
    tl, tr, br, bl = order_corners(corners)
    width, height = page_size(corners)
    if inset is None:
        inset = max(2, round(0.006 * min(width, height)))
    target = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    matrix = cv2.getPerspectiveTransform(np.float32([tl, tr, br, bl]), target)
    flat = cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    if inset and width > 4 * inset and height > 4 * inset:
        flat = flat[inset:height - inset, inset:width - inset]
    return flat
