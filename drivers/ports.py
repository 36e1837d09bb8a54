"""Parsing of device addresses as written in config files.

A device is reached over one of a few transports; config files name them in one string so
that moving from a simulator to real hardware changes only that string:

* ``/dev/ttyUSB0``, ``/dev/pts/5``, ``COM3`` - a serial port
* ``127.0.0.1:9100``, ``tcp://printer.local:9100`` - a TCP socket
* ``usb:0x0416:0x5011`` - a USB device by vendor and product id
* ``file:/tmp/out.bin`` - a file or character device (receipts written for inspection)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PortKind = Literal["serial", "tcp", "usb", "file"]

_SERIAL_RE = re.compile(r"^(/dev/[\w./-]+|COM\d+)$")
_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:]+\]$")
_USB_RE = re.compile(r"^usb:(0x[0-9A-Fa-f]{1,4}|\d+):(0x[0-9A-Fa-f]{1,4}|\d+)$")


class PortSyntaxError(ValueError):
    """The address is none of the forms this module understands."""


@dataclass(frozen=True)
class PortSpec:
    kind: PortKind
    path: str = ""
    host: str = ""
    port: int = 0
    vendor_id: int = 0
    product_id: int = 0

    def __str__(self) -> str:
        if self.kind == "tcp":
            return f"{self.host}:{self.port}"
        if self.kind == "usb":
            return f"usb:0x{self.vendor_id:04x}:0x{self.product_id:04x}"
        if self.kind == "file":
            return f"file:{self.path}"
        return self.path


def _parse_tcp(text: str) -> PortSpec | None:
    body = text[len("tcp://"):] if text.startswith("tcp://") else text
    host, sep, port_text = body.rpartition(":")
    if not sep or not host or not port_text.isdigit():
        return None
    port = int(port_text)
    if not 0 < port < 65536 or not _HOST_RE.match(host):
        return None
    return PortSpec("tcp", host=host.strip("[]"), port=port)


def parse_port(text: str, allowed: tuple[PortKind, ...] = ("serial", "tcp", "usb", "file")) -> PortSpec:
    """Return the transport a config string names, or raise :class:`PortSyntaxError`.

    The error message names the forms that ``allowed`` accepts, so a technician who typed
    ``/dev/ttyUSB`` wrongly is told what would have been right.
    """
    text = text.strip()
    spec: PortSpec | None = None
    if _SERIAL_RE.match(text):
        spec = PortSpec("serial", path=text)
    elif text.startswith("file:") and len(text) > 5:
        spec = PortSpec("file", path=text[5:])
    elif (m := _USB_RE.match(text)) is not None:
        spec = PortSpec("usb", vendor_id=int(m.group(1), 0), product_id=int(m.group(2), 0))
    else:
        spec = _parse_tcp(text)
    if spec is None or spec.kind not in allowed:
        raise PortSyntaxError(_describe(allowed))
    return spec


_FORM_NAMES = {"serial": "a serial port", "tcp": "host:port", "usb": "usb:VID:PID", "file": "file:PATH"}


def _describe(allowed: tuple[PortKind, ...]) -> str:
    names = [_FORM_NAMES[k] for k in allowed]
    if len(names) == 1:
        return f"not {names[0]}"
    return "not " + ", ".join(names[:-1]) + " or " + names[-1]
