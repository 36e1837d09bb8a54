"""Inline SVG charts: well-formed, escaped, gaps kept as gaps."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from server.dashboard.charts import Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_one_bar_per_value() -> None:
    svg = bar_chart("每小时办件量", ["9时", "10时", "11时"], [Series("成功", [3, 0, 5]), Series("失败", [1, 2, None])])
    root = ET.fromstring(str(svg))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 5  # the None value draws nothing
    tallest = max(bars, key=lambda r: float(r.get("height")))
    assert tallest.find(f"{SVG}title").text == "11时 成功: 5"


def test_labels_are_escaped() -> None:
    svg = str(line_chart("<script>", ["<b>"], [Series("a&b", [1.0])]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_line_breaks_at_missing_days() -> None:
    svg = line_chart("好评率", ["1日", "2日", "3日", "4日", "5日"], [Series("好评率", [0.9, 0.95, None, 0.8, 0.85])],
                     unit="", ceiling=1.0)
    lines = ET.fromstring(str(svg)).findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]


def test_grid_lines_are_round_values() -> None:
    svg = str(bar_chart("办件量", ["a", "b"], [Series("笔", [3.75, 1])], unit="笔"))
    ticks = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text and t.text.endswith("笔")]
    assert ticks == ["4笔", "3笔", "2笔", "1笔", "0笔"]
    svg = str(bar_chart("办件量", ["a"], [Series("笔", [13])], unit="笔"))
    ticks = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text and t.text.endswith("笔")]
    assert ticks == ["20笔", "15笔", "10笔", "5笔", "0笔"]
