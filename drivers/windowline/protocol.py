"""The window line protocol: one command per line, one answer per command.

For queue systems that can only talk to a serial port (9600 8N1 by default). Lines end with
CR LF (CR or LF alone are accepted); text is UTF-8, GB18030 is accepted from systems that
send GBK. The evaluator answers every command with one line, ``OK ...`` or ``ERR reason``
(the same reason keys as the HTTP API), and pushes ``RESULT ...`` lines on its own when an
invitation ends. Commands (case-insensitive verbs)::

    CASE <case_no>|<item name>|<applicant>[|<basic code>|<impl code>]  -> OK CASE <case_no> rated=0|1
    END                                 -> OK            the applicant left, no rating asked
    INVITE [CONSULT]                    -> OK INVITE <invitation_id> <timeout_s>
    CANCEL                              -> OK            withdraw the invitation (= not rated)
    PAUSE | RESUME                      -> OK
    STATUS?                             -> OK STATUS staff=<no|-> paused=0|1 case=<no|-> invitation=<id|->
    RESULT? <invitation_id>             -> OK RESULT <id> <state> <level|-> <reasons,…|->
    PING                                -> OK PONG
    (evaluator -> queue system)         RESULT <id> <rated|not_rated> <level|-> <reasons,…|->

This module only parses and formats; it knows nothing of the evaluator (drivers layer).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_LINE = 512
VERBS = {"CASE": (1, 5), "END": (0, 0), "INVITE": (0, 1), "CANCEL": (0, 0), "PAUSE": (0, 0),
         "RESUME": (0, 0), "STATUS?": (0, 0), "RESULT?": (1, 1), "PING": (0, 0)}
"""Each verb with the lowest and highest number of arguments it takes."""


class LineError(ValueError):
    """A line that is not a command; ``reason`` is sent back as ``ERR reason``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Request:
    verb: str
    args: tuple[str, ...] = ()


def decode(raw: bytes) -> str:
    """UTF-8, else GB18030 (older Chinese systems send GBK); control characters refused."""
    if len(raw) > MAX_LINE:
        raise LineError("too_long", f"at most {MAX_LINE} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise LineError("bad_encoding") from None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise LineError("syntax", "control character in line")
    return text


def parse_line(raw: bytes) -> Request:
    """One command line (without its line ending) as a :class:`Request`; raises LineError."""
    text = decode(raw).strip()
    if not text:
        raise LineError("syntax", "empty line")
    verb, _, rest = text.partition(" ")
    verb = verb.upper()
    limits = VERBS.get(verb)
    if limits is None:
        raise LineError("unknown_command", verb[:20])
    rest = rest.strip()
    if verb == "CASE":
        args = tuple(part.strip() for part in rest.split("|")) if rest else ()
    else:
        args = tuple(rest.split()) if rest else ()
    low, high = limits
    if not low <= len(args) <= high or (verb == "CASE" and not args[0]):
        raise LineError("syntax", f"{verb} takes {low}-{high} argument(s)")
    if verb == "INVITE" and args and args[0].upper() != "CONSULT":
        raise LineError("syntax", "INVITE takes nothing or CONSULT")
    return Request(verb, args)


def _token(value: str | None) -> str:
    """A field of an answer: no spaces inside, '-' for nothing."""
    return "-" if not value else "".join("_" if ch.isspace() else ch for ch in value)


def ok(*fields: str | None) -> str:
    return " ".join(["OK", *(_token(f) for f in fields)])


def err(reason: str) -> str:
    return f"ERR {_token(reason)}"


def result_fields(invitation_id: str, state: str, level: str | None, reasons: Iterable[str]) -> tuple[str, ...]:
    return (invitation_id, state, level or "-", ",".join(reasons) or "-")


def encode(line: str) -> bytes:
    return line.encode("utf-8") + b"\r\n"
