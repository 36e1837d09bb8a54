"""Device address parsing: every accepted form, and nothing but PortSyntaxError for the rest."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from drivers.ports import PortSyntaxError, parse_port


@pytest.mark.parametrize("text,kind,expected", [
    ("/dev/ttyUSB0", "serial", "/dev/ttyUSB0"),
    ("/dev/pts/7", "serial", "/dev/pts/7"),
    ("COM3", "serial", "COM3"),
    ("127.0.0.1:9100", "tcp", "127.0.0.1:9100"),
    ("tcp://printer.local:9100", "tcp", "printer.local:9100"),
    ("usb:0x0416:0x5011", "usb", "usb:0x0416:0x5011"),
    ("file:/tmp/out.bin", "file", "file:/tmp/out.bin"),
])
def test_accepted_forms(text, kind, expected):
    spec = parse_port(text)
    assert spec.kind == kind
    assert str(spec) == expected


@pytest.mark.parametrize("text", ["", "printer", "127.0.0.1:0", "127.0.0.1:70000", "host:", ":9100", "usb:xyz:1",
                                  "dev/ttyUSB0", "file:"])
def test_rejected_forms(text):
    with pytest.raises(PortSyntaxError):
        parse_port(text)


def test_allowed_kinds_shape_the_message():
    with pytest.raises(PortSyntaxError, match="^not a serial port$"):
        parse_port("127.0.0.1:9100", ("serial",))


@given(st.text(max_size=60))
def test_any_text_parses_or_raises_port_syntax_error(text):
    try:
        spec = parse_port(text)
    except PortSyntaxError:
        return
    assert parse_port(str(spec)) == spec
