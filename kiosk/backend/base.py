"""The terminal's view of its content backend: typed records and one interface.

Journeys (``kiosk/journeys``) and screens only see these dataclasses and :class:`ServiceBackend`,
never HTTP or JSON, so the backend can be the management server (``kiosk.backend.http``) or a
provincial platform adapter. The records mirror docs/CONTENT_API.md field for field; the
parsing (``kiosk.backend.wire``) raises :class:`BackendError` (``bad_answer``) on anything malformed,
because a garbled answer must become a clear message on screen, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

StepCode = Literal["received", "accepted", "reviewed", "issued", "posted"]
STEP_ORDER: tuple[str, ...] = ("received", "accepted", "reviewed", "issued", "posted")
FieldKind = Literal["choice", "date", "digits"]


class BackendError(Exception):
    """A refusal or failure with a stable reason key (translated under ``backend.<key>``).

    ``reason`` is one of docs/CONTENT_API.md's keys (``case_not_found`` ...), or ``offline``
    (server unreachable), ``bad_answer`` (malformed answer) or ``http_<status>``.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    audience: str = "personal"  # personal | corporate


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    copies: int = 1
    original: bool = True
    scan: bool = False  # scanned with the document camera for a self-service application


@dataclass(frozen=True)
class Location:
    name: str
    address: str = ""
    windows: str = ""
    hours: str = ""
    phone: str = ""


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    kind: FieldKind
    label_en: str = ""
    required: bool = True
    options: tuple[str, ...] = ()  # choice
    min_len: int = 0  # digits
    max_len: int = 0  # digits


@dataclass(frozen=True)
class CatalogItem:
    basic_code: str
    impl_code: str
    name: str
    department: str
    pinyin: str
    name_en: str = ""
    themes: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    fee: str = ""
    legal_days: int = 0
    promised_days: int = 0
    locations: tuple[Location, ...] = ()
    online_url: str = ""
    functions: tuple[str, ...] = ()
    form: tuple[FormField, ...] = ()


@dataclass(frozen=True)
class Catalog:
    version: str
    sample_data: bool
    departments: tuple[Department, ...]
    themes: tuple[Theme, ...]
    items: tuple[CatalogItem, ...]


@dataclass(frozen=True)
class CaseStep:
    code: str
    name: str
    at: datetime | None
    note: str = ""


@dataclass(frozen=True)
class Delivery:
    method: str
    carrier: str = ""
    tracking_no: str = ""


@dataclass(frozen=True)
class CaseRecord:
    case_no: str
    item_name: str
    department_name: str
    applicant_masked: str
    submitted_at: datetime
    status: str
    steps: tuple[CaseStep, ...]
    basic_code: str = ""
    impl_code: str = ""
    department: str = ""
    channel: str = ""
    delivery: Delivery | None = None


@dataclass(frozen=True)
class CertificateSummary:
    id: str
    kind: str
    title: str
    issuer: str
    issued_at: datetime
    pages: int = 1


@dataclass(frozen=True)
class ScannedMaterial:
    """One material of an application: its code and the PDF of its pages (kept in memory only)."""

    code: str
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class Application:
    basic_code: str
    id_number: str
    name: str
    form: dict[str, str]
    materials: tuple[ScannedMaterial, ...] = ()

    def __repr__(self) -> str:  # an application holds a full ID number: never let a log show it
        return f"Application(basic_code={self.basic_code!r}, materials={len(self.materials)})"


@dataclass(frozen=True)
class ApplicationReceipt:
    case_no: str
    accepted_at: datetime
    item_name: str
    department_name: str
    promised_days: int
    materials: tuple[str, ...]
    query_url: str
    applicant_masked: str
    applicant_id_masked: str


@dataclass(frozen=True)
class VerifiedIdentity:
    """The holder of an identity code (电子证照 or 政务 App 身份码) as the backend vouches for them.

    The terminal never trusts a scanned token: only what the backend answers for it becomes a
    session identity (after :func:`kiosk.identify.admit_code` checks expiry and the number).
    """

    name: str
    id_number: str
    code_kind: str  # "licence" (电子证照) or "app" (政务 App 身份码)
    card_type: str = "resident"
    valid_until: date | None = None  # of the underlying ID card; None = 长期
    issuer: str = ""

    def __repr__(self) -> str:  # holds a full ID number: never let a log show it
        return f"VerifiedIdentity(code_kind={self.code_kind!r}, card_type={self.card_type!r})"

    __str__ = __repr__


class ServiceBackend(Protocol):
    """What the terminal's journeys need; every method raises :class:`BackendError` on failure."""

    def catalog(self) -> Catalog: ...

    def case_by_number(self, case_no: str) -> CaseRecord: ...

    def cases_of(self, id_number: str) -> list[CaseRecord]: ...

    def certificates_of(self, id_number: str) -> list[CertificateSummary]: ...

    def certificate_document(self, id_number: str, certificate_id: str) -> dict[str, Any]:
        """The fields of ``kiosk.documents.certificate.Certificate`` as the wire sends them."""
        ...

    def submit(self, application: Application) -> ApplicationReceipt: ...

    def verify_identity_code(self, token: str) -> VerifiedIdentity:
        """Who a scanned identity code belongs to; ``code_unknown`` / ``code_expired`` refusals."""
        ...


def parse_time(value: Any, key: str) -> datetime:
    """An ISO-8601 time with its offset (the wire always carries one)."""
    try:
        moment = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise BackendError("bad_answer", f"{key}: not an ISO-8601 time") from None
    if moment.tzinfo is None:
        raise BackendError("bad_answer", f"{key}: time without offset")
    return moment
