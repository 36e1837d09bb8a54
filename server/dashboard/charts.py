"""Charts for the dashboard as inline SVG, drawn on the server.

The dashboard runs in halls whose networks often reach no CDN, and its pages are tested in
headless Chromium; inline SVG needs no JavaScript, prints well, and is the same on every
browser. Two shapes cover the reports: bars (counts per device, function, hour) and lines
(rates over days). Labels are escaped; every chart carries a ``<title>`` for screen readers.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2")
WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 720, 260, 48, 44, 16, 12


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no data for that label (a gap in a line)


def _scale(series: Sequence[Series], ceiling: float | None) -> float:
    """The top of the axis: ``ceiling`` (e.g. 1.0 for rates), else a round value above the data.

    The four grid steps are 1, 2, 2.5 or 5 times a power of ten, so a grid line never reads
    "4笔" where the value is 3.75.
    """
    if ceiling is not None:
        return ceiling
    top = max((v for s in series for v in s.values if v is not None), default=0.0)
    if top <= 0:
        return 4.0
    raw_step = top / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    if top >= 4:
        step = max(step, 1.0)  # counts: whole-number grid lines
    return step * 4


def _tick(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _frame(title: str, top: float, unit: str, labels: Sequence[str], body: list[str],
           series: Sequence[Series]) -> Markup:
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" width="100%"><title>{escape(title)}</title>']
    for i in range(5):  # grid lines with values
        y = PAD_TOP + plot_h * i / 4
        text = _tick(top * (4 - i) / 4) + unit
        parts.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#6b7280">{escape(text)}</text>')
    parts.extend(body)
    step = max(1, len(labels) // 12)  # at most ~12 axis labels, whatever the number of points
    slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(1, len(labels))
    for i, label in enumerate(labels):
        if i % step == 0:
            x = PAD_LEFT + slot * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" font-size="11" '
                         f'fill="#374151">{escape(label)}</text>')
    for i, s in enumerate(series if len(series) > 1 else ()):
        x = PAD_LEFT + i * 140
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="11" fill="#374151">{escape(s.name)}</text>')
    parts.append("</svg>")
    # B704: every text and label above went through escape()
    return Markup("".join(parts))  # nosec B704


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "",
              ceiling: float | None = None) -> Markup:
    """Grouped bars, one group per label and one bar per series."""
    top = _scale(series, ceiling)
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(1, len(labels))
    bar_w = slot * 0.8 / max(1, len(series))
    body = []
    for si, s in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        for i, value in enumerate(s.values):
            if value is None:
                continue
            h = plot_h * min(value, top) / top
            x = PAD_LEFT + slot * i + slot * 0.1 + bar_w * si
            body.append(f'<rect x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{colour}"><title>{escape(labels[i])} {escape(s.name)}: {value:g}{escape(unit)}'
                        f'</title></rect>')
    return _frame(title, top, unit, labels, body, series)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "",
               ceiling: float | None = None) -> Markup:
    """Lines over ordered labels (days); ``None`` values break the line instead of dropping to 0."""
    top = _scale(series, ceiling)
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(1, len(labels))
    body = []
    for si, s in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = PAD_LEFT + slot * (i + 0.5)
            y = PAD_TOP + plot_h - plot_h * min(value, top) / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"><title>{escape(labels[i])} '
                        f'{escape(s.name)}: {value:g}{escape(unit)}</title></circle>')
        body.extend(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>'
                    for run in runs if len(run) > 1)
    return _frame(title, top, unit, labels, body, series)
