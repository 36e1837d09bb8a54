"""The seam between the content API and whoever really holds cases and certificates.

``CaseSource`` is what a provincial platform integration implements; the shipped
:class:`server.content.demo_source.DemoCaseSource` answers from the demo tables. The API layer
(``server/api/content.py``) checks tokens, reads and validates requests against the published
catalog, and turns the records below into the wire format of docs/CONTENT_API.md, so an adapter
deals only in these records and never in HTTP. Which class is used is the ``content_source``
setting (``module:Class``); it is built per request with ``(session, settings)``.

An adapter receives the applicant's full ID number (it has to ask its platform about that person)
and must neither log nor store it; answers carry only masked names and numbers.
"""
from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.settings import Settings

# Step codes in order, with the names terminals show (收件、受理、审查、出证, then 寄送 by post).
STEPS: tuple[tuple[str, str], ...] = (
    ("received", "收件"), ("accepted", "受理"), ("reviewed", "审查"), ("issued", "出证"), ("posted", "寄送"),
)
STEP_NAMES = dict(STEPS)
DEFAULT_SOURCE = "server.content.demo_source:DemoCaseSource"


def wire_time(value: datetime | None) -> str | None:
    """ISO 8601 in Beijing time with its offset (``2026-11-20T09:31:00+08:00``), as the contract shows."""
    return None if value is None else value.astimezone(LOCAL).isoformat(timespec="seconds")


class Refusal(Exception):
    """A request the source (or the intake) refuses; ``reason`` is the contract's stable key."""

    def __init__(self, status: int, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.extra = extra


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    at: datetime | None
    note: str = ""


@dataclass(frozen=True)
class Delivery:
    method: str  # "post"
    carrier: str = ""
    tracking_no: str = ""


@dataclass(frozen=True)
class CaseView:
    case_no: str
    item_name: str
    basic_code: str
    impl_code: str
    department: str
    department_name: str
    applicant_masked: str
    submitted_at: datetime
    channel: str
    status: str
    steps: tuple[Step, ...]
    delivery: Delivery | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "case_no": self.case_no, "item_name": self.item_name, "basic_code": self.basic_code,
            "impl_code": self.impl_code, "department": self.department, "department_name": self.department_name,
            "applicant_masked": self.applicant_masked, "submitted_at": wire_time(self.submitted_at),
            "channel": self.channel, "status": self.status,
            "steps": [{"code": s.code, "name": s.name, "at": wire_time(s.at), "note": s.note} for s in self.steps],
            "delivery": None if self.delivery is None else {
                "method": self.delivery.method, "carrier": self.delivery.carrier,
                "tracking_no": self.delivery.tracking_no},
        }


@dataclass(frozen=True)
class CertificateSummary:
    id: str
    kind: str
    title: str
    issuer: str
    issued_at: datetime
    pages: int = 1

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "issuer": self.issuer,
                "issued_at": wire_time(self.issued_at), "pages": self.pages}


@dataclass(frozen=True)
class CertificateDocument:
    """The fields the terminal's certificate renderer needs; holder name and ID already masked."""

    title: str
    number: str
    holder_name: str
    holder_id: str
    body: list[str]
    table_header: list[str]
    table_rows: list[list[str]]
    issuer: str
    issued_at: datetime
    verify_code: str
    verify_url: str
    notes: list[str] = field(default_factory=list)

    def wire(self) -> dict[str, Any]:
        return {"title": self.title, "number": self.number, "holder_name": self.holder_name,
                "holder_id": self.holder_id, "body": list(self.body), "table_header": list(self.table_header),
                "table_rows": [list(row) for row in self.table_rows], "issuer": self.issuer,
                "issued_at": wire_time(self.issued_at), "verify_code": self.verify_code,
                "verify_url": self.verify_url, "notes": list(self.notes)}


@dataclass(frozen=True)
class ScannedMaterial:
    code: str
    name: str
    pdf: bytes


@dataclass(frozen=True)
class Submission:
    """An application already checked against the published catalog item (declarable, form valid,
    every scanned material present, ID number well-formed)."""

    item: dict[str, Any]  # the published catalog item (wire shape)
    department_name: str
    id_number: str
    name: str
    form: dict[str, str]
    materials: tuple[ScannedMaterial, ...]
    device_id: str
    received_at: datetime


@dataclass(frozen=True)
class Receipt:
    case_no: str
    accepted_at: datetime
    item_name: str
    department_name: str
    promised_days: int
    materials: list[str]
    query_url: str
    applicant_masked: str
    applicant_id_masked: str

    def wire(self) -> dict[str, Any]:
        return {"case_no": self.case_no, "accepted_at": wire_time(self.accepted_at), "item_name": self.item_name,
                "department_name": self.department_name, "promised_days": self.promised_days,
                "materials": list(self.materials), "query_url": self.query_url,
                "applicant_masked": self.applicant_masked, "applicant_id_masked": self.applicant_id_masked}


@dataclass(frozen=True)
class IdentityView:
    """Whose identity code a token is (电子证照 or 政务 App 身份码). Holds the full ID number, because the
    terminal needs it to find the person's cases: it goes only into the answer, never into a log."""

    name: str
    id_number: str
    code_kind: str  # "licence" | "app"
    card_type: str = "resident"
    valid_until: date | None = None  # None = 长期
    issuer: str = ""

    def wire(self) -> dict[str, Any]:
        return {"identity": {"name": self.name, "id_number": self.id_number, "code_kind": self.code_kind,
                             "card_type": self.card_type,
                             "valid_until": None if self.valid_until is None else self.valid_until.isoformat(),
                             "issuer": self.issuer}}

    def __repr__(self) -> str:
        return f"IdentityView(code_kind={self.code_kind!r})"


class CaseSource(ABC):
    """Cases, certificates and application intake for one request (built with a DB session)."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    @abstractmethod
    def case_by_number(self, case_no: str) -> CaseView | None:
        """The case with this number, or ``None``."""

    @abstractmethod
    def cases_of(self, id_number: str) -> list[CaseView]:
        """This person's cases, newest first (may be empty)."""

    @abstractmethod
    def certificates_of(self, id_number: str) -> list[CertificateSummary]:
        """Certificates this person may print, newest first."""

    @abstractmethod
    def certificate_document(self, id_number: str, certificate_id: str) -> CertificateDocument | None:
        """The certificate's content, or ``None`` when it is not this person's."""

    @abstractmethod
    def submit(self, submission: Submission) -> Receipt:
        """Register the application and open its case with ``received`` done; raise ``Refusal`` to refuse."""

    def verify_identity_code(self, token: str) -> IdentityView:
        """Ask the licence platform whose code ``token`` is; refuse with ``Refusal(404, "code_unknown")``
        or ``Refusal(410, "code_expired")``. A source without such a platform refuses every code."""
        raise Refusal(501, "code_unsupported")


def source_class(path: str) -> type[CaseSource]:
    """Import ``module:Class`` and check it implements ``CaseSource`` (a typo fails at start-up)."""
    module_name, _, class_name = path.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"content_source: cannot import {path!r} ({exc})") from None
    if not (isinstance(cls, type) and issubclass(cls, CaseSource)):
        raise ValueError(f"content_source: {path!r} is not a CaseSource")
    return cls


def open_source(session: Session, settings: Settings) -> CaseSource:
    return source_class(getattr(settings, "content_source", DEFAULT_SOURCE))(session, settings)
