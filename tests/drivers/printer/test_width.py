"""Column layout: a Chinese character is two columns, lines never overflow, nothing is lost."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer.width import NO_LINE_START, leader_row, pad, text_columns, wrap

# ASCII, common hanzi, full-width punctuation and spaces, in any mix.
TEXT = st.text(st.sampled_from(list("abcXYZ0189-_/ ") + list("政务服务中心办件编号受理凭证") + list("，。、：；！？“”《》（）…")),
               max_size=200)


def test_widths():
    assert text_columns("abc") == 3
    assert text_columns("办件") == 4
    assert text_columns("A，B") == 4


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXT, st.sampled_from([48, 32, 24, 16]))
def test_wrap_fits_and_keeps_every_character(text, columns):
    lines = wrap(text, columns)
    assert all(text_columns(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(TEXT.map(lambda t: t.replace(" ", "")))  # after a space the line may break at the space
def test_no_closing_punctuation_starts_a_line_after_chinese(text):
    lines = wrap(text, 16)
    for prev, line in zip(lines, lines[1:]):
        if line and line[0] in NO_LINE_START and not line[0].isascii():
            # allowed only when carrying would tear an ASCII word or move more than 3 characters
            run = len(prev) - len(prev.rstrip("".join(NO_LINE_START)))
            rest = prev[: len(prev) - run]
            assert run >= 2 or not rest or rest[-1].isascii() or len(rest) == 1, (prev, line)


def test_ascii_words_are_not_split_when_they_fit():
    lines = wrap("办件编号 BJ110105202611230001 已受理", 24)
    assert lines[0] == "办件编号" and lines[1].startswith("BJ110105202611230001")


def test_leader_row_fills_the_line_exactly():
    row = leader_row("办件编号", "BJ2026", 48)
    assert len(row) == 1 and text_columns(row[0]) == 48
    assert row[0].startswith("办件编号 .") and row[0].endswith(". BJ2026")


def test_leader_row_too_long_puts_value_right_aligned_below():
    rows = leader_row("事项名称", "城乡居民基本养老保险参保登记以及其他很长的内容", 32)
    assert rows[0] == "事项名称"
    assert all(text_columns(r) == 32 for r in rows[1:])


def test_pad_centre():
    assert pad("中", 6, "center") == "  中  "
