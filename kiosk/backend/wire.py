"""JSON answers of the content API (docs/CONTENT_API.md) -> the records of :mod:`kiosk.backend.base`.

The server is another program, possibly another vendor's provincial adapter: every answer is
checked field by field, and anything that does not match the contract becomes
``BackendError("bad_answer", "<path>: reason")`` naming the offending field (``items[3].materials[0].copies:
not an integer``), so a garbled answer is a clear message on screen and a useful log line, never
a ``KeyError`` traceback. Unknown extra fields are ignored (the server may add some).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from kiosk.backend.base import (
    ApplicationReceipt,
    BackendError,
    CaseRecord,
    CaseStep,
    Catalog,
    CatalogItem,
    CertificateSummary,
    Delivery,
    Department,
    FormField,
    Location,
    Material,
    Theme,
    VerifiedIdentity,
    parse_time,
)

T = TypeVar("T")

FIELD_KINDS = ("choice", "date", "digits")
CERTIFICATE_FIELDS = ("title", "number", "holder_name", "holder_id", "body", "table_header", "table_rows",
                      "issuer", "issued_at", "verify_code", "verify_url", "notes")


def _bad(path: str, reason: str) -> BackendError:
    return BackendError("bad_answer", f"{path}: {reason}")


class _Obj:
    """A JSON object being read, remembering its path for error messages."""

    def __init__(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _bad(path or "(answer)", "not an object")
        self.value = value
        self.path = path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, default: Any, required: bool) -> Any:
        if key not in self.value or self.value[key] is None:
            if required:
                raise _bad(self._at(key), "missing")
            return default
        return self.value[key]

    def text(self, key: str, default: str = "", *, required: bool = True, nonempty: bool = False) -> str:
        value = self._get(key, default, required)
        if not isinstance(value, str):
            raise _bad(self._at(key), "not a string")
        if nonempty and not value.strip():
            raise _bad(self._at(key), "empty")
        return value

    def integer(self, key: str, default: int = 0, *, required: bool = False, minimum: int = 0) -> int:
        value = self._get(key, default, required)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(self._at(key), "not an integer")
        if value < minimum:
            raise _bad(self._at(key), f"below {minimum}")
        return value

    def flag(self, key: str, default: bool = False, *, required: bool = False) -> bool:
        value = self._get(key, default, required)
        if not isinstance(value, bool):
            raise _bad(self._at(key), "not true/false")
        return value

    def time(self, key: str, *, required: bool = True):
        value = self._get(key, None, required)
        return None if value is None else parse_time(value, self._at(key))

    def child(self, key: str, *, required: bool = True) -> _Obj | None:
        value = self._get(key, None, required)
        return None if value is None else _Obj(value, self._at(key))

    def items(self, key: str, parse: Callable[[Any, str], T], *, required: bool = False) -> tuple[T, ...]:
        value = self._get(key, [], required)
        if not isinstance(value, list):
            raise _bad(self._at(key), "not a list")
        return tuple(parse(entry, f"{self._at(key)}[{index}]") for index, entry in enumerate(value))

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        return self.items(key, _string, required=required)


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _bad(path, "not a string")
    return value


# ----- catalog -----------------------------------------------------------------------------
def _department(value: Any, path: str) -> Department:
    o = _Obj(value, path)
    return Department(o.text("code", nonempty=True), o.text("name", nonempty=True), o.text("name_en", required=False))


def _theme(value: Any, path: str) -> Theme:
    o = _Obj(value, path)
    return Theme(o.text("code", nonempty=True), o.text("name", nonempty=True),
                 o.text("audience", "personal", required=False))


def _material(value: Any, path: str) -> Material:
    o = _Obj(value, path)
    return Material(o.text("code", nonempty=True), o.text("name", nonempty=True), o.integer("copies", 1, minimum=1),
                    o.flag("original", True), o.flag("scan", False))


def _location(value: Any, path: str) -> Location:
    o = _Obj(value, path)
    return Location(o.text("name", nonempty=True), o.text("address", required=False), o.text("windows", required=False),
                    o.text("hours", required=False), o.text("phone", required=False))


def _form_field(value: Any, path: str) -> FormField:
    o = _Obj(value, path)
    kind = o.text("kind")
    if kind not in FIELD_KINDS:
        raise _bad(f"{path}.kind", f"not one of {', '.join(FIELD_KINDS)}")
    options = o.texts("options", required=kind == "choice")
    if kind == "choice" and not options:
        raise _bad(f"{path}.options", "a choice needs options")
    min_len, max_len = o.integer("min_len", 0), o.integer("max_len", 0)
    if max_len and min_len > max_len:
        raise _bad(f"{path}.max_len", "below min_len")
    return FormField(key=o.text("key", nonempty=True), label=o.text("label", nonempty=True), kind=kind,  # type: ignore[arg-type]
                     label_en=o.text("label_en", required=False), required=o.flag("required", True),
                     options=options, min_len=min_len, max_len=max_len)


def _item(value: Any, path: str) -> CatalogItem:
    o = _Obj(value, path)
    return CatalogItem(
        basic_code=o.text("basic_code", nonempty=True), impl_code=o.text("impl_code", required=False),
        name=o.text("name", nonempty=True), department=o.text("department", nonempty=True),
        pinyin=o.text("pinyin", required=False).upper(), name_en=o.text("name_en", required=False),
        themes=o.texts("themes"), conditions=o.texts("conditions"), materials=o.items("materials", _material),
        fee=o.text("fee", required=False), legal_days=o.integer("legal_days"), promised_days=o.integer("promised_days"),
        locations=o.items("locations", _location), online_url=o.text("online_url", required=False),
        functions=o.texts("functions"), form=o.items("form", _form_field))


def parse_catalog(body: Any) -> Catalog:
    """``GET /catalog``; items naming an unknown department are refused (the guide browses by department)."""
    o = _Obj(body, "")
    catalog = Catalog(version=o.text("version", nonempty=True), sample_data=o.flag("sample_data", False),
                      departments=o.items("departments", _department), themes=o.items("themes", _theme),
                      items=o.items("items", _item, required=True))
    known = {d.code for d in catalog.departments}
    for index, item in enumerate(catalog.items):
        if known and item.department not in known:
            raise _bad(f"items[{index}].department", "unknown department")
    return catalog


# ----- cases ---------------------------------------------------------------------------------
def _step(value: Any, path: str) -> CaseStep:
    o = _Obj(value, path)
    return CaseStep(o.text("code", nonempty=True), o.text("name", nonempty=True), o.time("at", required=False),
                    o.text("note", required=False))


def _case(value: Any, path: str) -> CaseRecord:
    o = _Obj(value, path)
    delivery_obj = o.child("delivery", required=False)
    delivery = None
    if delivery_obj is not None:
        delivery = Delivery(delivery_obj.text("method", nonempty=True), delivery_obj.text("carrier", required=False),
                            delivery_obj.text("tracking_no", required=False))
    return CaseRecord(
        case_no=o.text("case_no", nonempty=True), item_name=o.text("item_name", nonempty=True),
        department_name=o.text("department_name", required=False), applicant_masked=o.text("applicant_masked", required=False),
        submitted_at=o.time("submitted_at"), status=o.text("status", nonempty=True), steps=o.items("steps", _step),
        basic_code=o.text("basic_code", required=False), impl_code=o.text("impl_code", required=False),
        department=o.text("department", required=False), channel=o.text("channel", required=False), delivery=delivery)


def parse_case(body: Any) -> CaseRecord:
    """``POST /cases/query`` -> ``{"case": Case}``."""
    return _case(_Obj(body, "").value.get("case"), "case")


def parse_cases(body: Any) -> list[CaseRecord]:
    """``POST /cases/mine`` -> ``{"cases": [...]}``."""
    return list(_Obj(body, "").items("cases", _case, required=True))


# ----- certificates --------------------------------------------------------------------------
def _certificate_summary(value: Any, path: str) -> CertificateSummary:
    o = _Obj(value, path)
    return CertificateSummary(o.text("id", nonempty=True), o.text("kind", required=False), o.text("title", nonempty=True),
                              o.text("issuer", required=False), o.time("issued_at"), o.integer("pages", 1, minimum=1))


def parse_certificates(body: Any) -> list[CertificateSummary]:
    """``POST /certificates/mine`` -> ``{"certificates": [...]}``."""
    return list(_Obj(body, "").items("certificates", _certificate_summary, required=True))


def parse_certificate_document(body: Any) -> dict[str, Any]:
    """``POST /certificates/document``: the fields of ``Certificate``, checked, ``issued_at`` as a datetime."""
    o = _Obj(body, "")
    table_rows = o.items("table_rows", lambda row, path: _Obj({"r": row}, path).texts("r"))
    return {
        "title": o.text("title", nonempty=True), "number": o.text("number", nonempty=True),
        "holder_name": o.text("holder_name"), "holder_id": o.text("holder_id"), "body": list(o.texts("body")),
        "table_header": list(o.texts("table_header")), "table_rows": [list(row) for row in table_rows],
        "issuer": o.text("issuer", nonempty=True), "issued_at": o.time("issued_at"),
        "verify_code": o.text("verify_code", required=False), "verify_url": o.text("verify_url", required=False),
        "notes": list(o.texts("notes")),
    }


# ----- applications --------------------------------------------------------------------------
def parse_receipt(body: Any) -> ApplicationReceipt:
    """``POST /applications`` 201 answer: what the 受理凭证 prints."""
    o = _Obj(body, "")
    return ApplicationReceipt(
        case_no=o.text("case_no", nonempty=True), accepted_at=o.time("accepted_at"), item_name=o.text("item_name", nonempty=True),
        department_name=o.text("department_name", required=False), promised_days=o.integer("promised_days"),
        materials=o.texts("materials"), query_url=o.text("query_url", required=False),
        applicant_masked=o.text("applicant_masked", required=False),
        applicant_id_masked=o.text("applicant_id_masked", required=False))


# ----- identity codes ------------------------------------------------------------------------
CODE_KINDS = ("licence", "app")


def parse_identity(body: Any) -> VerifiedIdentity:
    """``POST /identity/verify`` -> ``{"identity": {...}}``; the detail of an error never repeats a value."""
    o = _Obj(_Obj(body, "").value.get("identity"), "identity")
    kind = o.text("code_kind")
    if kind not in CODE_KINDS:
        raise _bad("identity.code_kind", f"not one of {', '.join(CODE_KINDS)}")
    until = o.text("valid_until", required=False)
    valid_until = None
    if until:
        try:
            valid_until = date.fromisoformat(until)
        except ValueError:
            raise _bad("identity.valid_until", "not a YYYY-MM-DD date") from None
    number = o.text("id_number", nonempty=True).strip().upper()
    if not (6 <= len(number) <= 32 and number.isascii() and number.isalnum()):
        raise _bad("identity.id_number", "not an identity number")
    return VerifiedIdentity(name=o.text("name", nonempty=True).strip(), id_number=number, code_kind=kind,
                            card_type=o.text("card_type", "resident", required=False),
                            valid_until=valid_until, issuer=o.text("issuer", required=False))


def error_reason(status: int, body: Any) -> str:
    """The contract's reason key of a refusal (``{"detail": "case_not_found"}``), else ``http_<status>``.

    Only a short snake_case key (optionally ``form_invalid:<field>``) is taken from the server:
    anything else (a FastAPI validation list, an HTML error page) becomes ``http_<status>``.
    """
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str) and 0 < len(detail) <= 80:
        head, _, tail = detail.partition(":")
        if head.replace("_", "").isalnum() and head.isascii() and head.islower() and (
                not tail or (tail.replace("_", "").replace(".", "").isalnum() and tail.isascii())):
            return detail
    return f"http_{status}"
