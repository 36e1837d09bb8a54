"""Cutting a scanner's byte stream at its suffix, whatever the chunking."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from drivers.scanner.lines import LineSplitter

CODE = st.binary(min_size=1, max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b)


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:])]


@given(st.lists(CODE, max_size=8), st.sampled_from([b"\r\n", b"\r", b"\n"]), st.lists(st.integers(0, 400)))
def test_line_endings_any_chunking(codes, eol, cuts):
    splitter = LineSplitter("\r\n")
    data = b"".join(c + eol for c in codes)
    out = []
    for chunk in _chunks(data, cuts):
        out += splitter.feed(chunk)
    out += splitter.idle()  # a code ending in a lone CR is complete once the line goes quiet
    assert out == codes


@given(st.lists(CODE.filter(lambda b: b"#" not in b), max_size=8), st.lists(st.integers(0, 400)))
def test_custom_suffix(codes, cuts):
    splitter = LineSplitter("#\t")
    data = b"".join(c + b"#\t" for c in codes)
    out = []
    for chunk in _chunks(data, cuts):
        out += splitter.feed(chunk)
    assert out == [c for c in codes if c]


def test_crlf_split_across_reads_is_one_ending():
    splitter = LineSplitter()
    assert splitter.feed(b"ABC\r") == []
    assert splitter.feed(b"\nDEF\r\n") == [b"ABC", b"DEF"]


def test_oversized_line_is_handed_on_once_cut_and_rest_dropped():
    splitter = LineSplitter(max_bytes=16)
    out = splitter.feed(b"X" * 40)
    assert out == [b"X" * 16]
    assert splitter.feed(b"Y" * 40 + b"\r\nOK\r\n") == [b"OK"]
    assert splitter.overflows == 1


def test_empty_suffix_is_refused():
    with pytest.raises(ValueError):
        LineSplitter("")
