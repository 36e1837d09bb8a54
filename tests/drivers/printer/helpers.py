"""Decoding bytes the way the virtual printer does, for assertions."""
from __future__ import annotations

from drivers.printer.virtual.events import Event, coalesce
from drivers.printer.virtual.page import Page
from drivers.printer.virtual.parser import EscPosParser


def events_of(data: bytes) -> list[Event]:
    parser = EscPosParser()
    return coalesce(parser.feed(data) + parser.close())


def page_of(data: bytes, width_dots: int = 576) -> Page:
    page = Page(width_dots)
    for event in events_of(data):
        page.apply(event)
    page.finish()
    return page
