"""DLE EOT status bytes: one table for the printer (encode) and the driver (decode)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.health import HealthState
from drivers.printer.status import QUERIES, PrinterStatus, StatusByteError, decode_status, encode_status


@st.composite
def statuses(draw):
    cover, out, cutter = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    near = draw(st.booleans()) or out
    return PrinterStatus(online=not (cover or out or cutter), cover_open=cover, paper_near_end=near,
                         paper_out=out, cutter_error=cutter)


@settings(derandomize=True)
@given(statuses())
def test_encode_then_decode_is_identity(status):
    assert decode_status({n: encode_status(n, status) for n in QUERIES}) == status


def test_reference_bytes():
    ok = PrinterStatus()
    assert [encode_status(n, ok) for n in QUERIES] == [0x12] * 4
    assert encode_status(4, PrinterStatus(online=False, paper_near_end=True, paper_out=True)) == 0x7E
    assert encode_status(2, PrinterStatus(online=False, cover_open=True)) == 0x16
    assert encode_status(1, PrinterStatus(online=False)) == 0x1A


def test_a_byte_without_the_fixed_bits_is_rejected():
    with pytest.raises(StatusByteError):
        decode_status({1: 0x00})


def test_problem_order_and_health():
    assert PrinterStatus(online=False, cover_open=True, paper_out=True).problem() == "cover_open"
    assert PrinterStatus(online=False, cutter_error=True, cover_open=True).problem() == "cutter_error"
    assert PrinterStatus(paper_near_end=True).health().state is HealthState.DEGRADED
    assert PrinterStatus(online=False, paper_out=True).health().reason == "paper_out"
    assert PrinterStatus().health().is_ok
