"""The service catalog store: items edited as drafts, published as numbered versions with ETags.

Editing never changes what terminals see: a change is a draft on the item. Publishing moves
every draft into the item's published form (computing the pinyin initials), builds the whole
catalog document in the CONTENT_API shape, numbers it ``YYYY.MM.DD-N`` (Beijing date, N-th of
the day), keeps it in ``catalog_versions`` and makes it the current ``catalog`` document, whose
ETag (a hash of the body) terminals send back with ``If-None-Match``.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.content.pinyin import initials
from server.models import CatalogItem, CatalogTheme, CatalogVersion, Department, utcnow
from server.services import audit, content

FUNCTIONS = ("guide", "progress", "print", "declare")
FUNCTION_NAMES = {"guide": "办事指南", "progress": "办件查询", "print": "自助打印", "declare": "自助申报"}
FIELD_KINDS = ("choice", "date", "digits")
KIND_NAMES = {"choice": "选项", "date": "日期", "digits": "数字"}
WITHDRAWN = {"withdrawn": True}  # a draft that takes the item out of the catalog at the next publish
_CODE = re.compile(r"^[0-9A-Za-z_-]+$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ItemError(ValueError):
    """An item that cannot be saved; ``problems`` name each field (``materials[1].code: ...``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_item(basic_code: str, item: dict[str, Any], departments: set[str], themes: set[str]) -> list[str]:
    """Every rule a catalog item must satisfy before terminals may see it."""
    problems: list[str] = []
    if not (0 < len(basic_code) <= 10 and _CODE.match(basic_code)):
        problems.append("basic_code: 1-10 letters or digits (基本编码)")
    impl = item.get("impl_code", "")
    if not (0 < len(impl) <= 24 and _CODE.match(impl)):
        problems.append("impl_code: 1-24 letters or digits (实施编码)")
    if not str(item.get("name", "")).strip():
        problems.append("name: required")
    if item.get("department") not in departments:
        problems.append("department: unknown department code")
    for theme in item.get("themes", []):
        if theme not in themes:
            problems.append(f"themes: unknown theme {theme!r}")
    functions = item.get("functions", [])
    if not functions or any(f not in FUNCTIONS for f in functions):
        problems.append(f"functions: one or more of {', '.join(FUNCTIONS)}")
    for key in ("legal_days", "promised_days"):
        if not isinstance(item.get(key), int) or item[key] < 0:
            problems.append(f"{key}: a whole number of days")
    if isinstance(item.get("legal_days"), int) and isinstance(item.get("promised_days"), int) \
            and item["promised_days"] > item["legal_days"] > 0:
        problems.append("promised_days: longer than legal_days (承诺时限不得超过法定时限)")
    codes = [m.get("code", "") for m in item.get("materials", [])]
    for i, material in enumerate(item.get("materials", [])):
        if not _KEY.match(material.get("code", "")):
            problems.append(f"materials[{i}].code: lower-case letters, digits, _")
        if not str(material.get("name", "")).strip():
            problems.append(f"materials[{i}].name: required")
        if not isinstance(material.get("copies"), int) or material["copies"] < 1:
            problems.append(f"materials[{i}].copies: at least 1")
    if len(set(codes)) != len(codes):
        problems.append("materials: codes must be different")
    form = item.get("form", [])
    keys = [f.get("key", "") for f in form]
    if len(set(keys)) != len(keys):
        problems.append("form: keys must be different")
    for i, fld in enumerate(form):
        if not _KEY.match(fld.get("key", "")):
            problems.append(f"form[{i}].key: lower-case letters, digits, _")
        if not str(fld.get("label", "")).strip():
            problems.append(f"form[{i}].label: required")
        kind = fld.get("kind")
        if kind not in FIELD_KINDS:
            problems.append(f"form[{i}].kind: one of {', '.join(FIELD_KINDS)} (no free text: the terminal has no keyboard)")
        if kind == "choice" and not fld.get("options"):
            problems.append(f"form[{i}].options: a choice needs options")
        if kind == "digits" and fld.get("max_len") and fld.get("min_len", 0) > fld["max_len"]:
            problems.append(f"form[{i}].max_len: below min_len")
    if "declare" in functions and not any(m.get("scan") for m in item.get("materials", [])) and not form:
        problems.append("functions: 自助申报 needs a form or a scanned material")
    return problems


def _known(session: Session) -> tuple[set[str], set[str]]:
    departments = set(session.scalars(select(Department.code).where(Department.active.is_(True))))
    return departments, set(session.scalars(select(CatalogTheme.code)))


def working_copy(row: CatalogItem) -> dict[str, Any] | None:
    """What the editor shows: the draft if there is one (``None`` for a pending withdrawal), else the live item."""
    if row.draft is not None:
        return None if row.draft.get("withdrawn") else row.draft
    return row.published


def save_draft(session: Session, basic_code: str, item: dict[str, Any], actor: str, *,
               sample_data: bool = False) -> CatalogItem:
    """Store ``item`` as the item's draft (creating the item); terminals see it only after ``publish``."""
    departments, themes = _known(session)
    problems = check_item(basic_code, item, departments, themes)
    if problems:
        raise ItemError(problems)
    clean = {k: v for k, v in item.items() if k not in ("basic_code", "pinyin")}
    row = session.get(CatalogItem, basic_code)
    if row is None:
        row = CatalogItem(basic_code=basic_code, department_code=item["department"], sample_data=sample_data)
        session.add(row)
    row.department_code = item["department"]
    row.draft = clean if clean != _strip(row.published) else None
    row.updated_at, row.updated_by = utcnow(), actor
    audit.record(session, actor, "catalog.draft", basic_code)
    return row


def withdraw(session: Session, basic_code: str, actor: str) -> None:
    """Mark the item to leave the catalog at the next publish (下架)."""
    row = _get(session, basic_code)
    row.draft = dict(WITHDRAWN) if row.published is not None else None
    row.updated_at, row.updated_by = utcnow(), actor
    audit.record(session, actor, "catalog.withdraw", basic_code)


def discard_draft(session: Session, basic_code: str, actor: str) -> None:
    row = _get(session, basic_code)
    row.draft = None
    audit.record(session, actor, "catalog.discard", basic_code)


def pending(session: Session) -> int:
    """How many items have changes terminals do not see yet."""
    return session.scalar(select(func.count()).select_from(CatalogItem).where(CatalogItem.draft.is_not(None))) or 0


def publish(session: Session, actor: str, now: datetime | None = None) -> CatalogVersion:
    """Publish every draft as a new catalog version (always a new version and ETag, even with no drafts)."""
    now = now or utcnow()
    departments, themes = _known(session)
    for row in session.scalars(select(CatalogItem).where(CatalogItem.draft.is_not(None)).with_for_update()):
        if row.draft.get("withdrawn"):
            row.published = None
        else:
            problems = check_item(row.basic_code, row.draft, departments, themes)
            if problems:  # e.g. its department was deactivated since: refuse rather than publish half
                raise ItemError([f"{row.basic_code}: {p}" for p in problems])
            row.published = {"basic_code": row.basic_code, **row.draft, "pinyin": initials(row.draft["name"])}
        row.draft = None
    version = _next_version(session, now)
    body = document(session, version)
    doc = content.store(session, content.CATALOG, body, version, actor)
    published = CatalogVersion(version=version, etag=doc.etag, body=body, item_count=len(body["items"]),
                               published_at=now, published_by=actor)
    session.add(published)
    session.flush()
    return published


def document(session: Session, version: str) -> dict[str, Any]:
    """The catalog in the CONTENT_API shape from the published items (departments: those with items)."""
    rows = session.scalars(select(CatalogItem).where(CatalogItem.published.is_not(None))
                           .order_by(CatalogItem.basic_code)).all()
    items = [_wire_item(row.published) for row in rows if row.published]
    used = {item["department"] for item in items}
    departments = [{"code": d.code, "name": d.name, "name_en": d.name_en}
                   for d in session.scalars(select(Department).order_by(Department.code)) if d.code in used]
    themes = [{"code": t.code, "name": t.name, "name_en": t.name_en, "audience": t.audience}
              for t in session.scalars(select(CatalogTheme).order_by(CatalogTheme.position, CatalogTheme.code))]
    return {"version": version, "sample_data": any(row.sample_data for row in rows),
            "departments": departments, "themes": themes, "items": items}


ITEM_KEYS = ("basic_code", "impl_code", "name", "name_en", "department", "themes", "pinyin", "conditions",
             "materials", "fee", "legal_days", "promised_days", "locations", "online_url", "functions", "form")


def _wire_item(published: dict[str, Any]) -> dict[str, Any]:
    """Fixed key order and defaults, so the document (and its ETag) depends only on the content."""
    defaults: dict[str, Any] = {"name_en": "", "themes": [], "conditions": [], "materials": [], "fee": "不收费",
                                "locations": [], "online_url": "", "form": []}
    return {key: published.get(key, defaults.get(key)) for key in ITEM_KEYS}


def _next_version(session: Session, now: datetime) -> str:
    day = now.astimezone(LOCAL).strftime("%Y.%m.%d")
    taken = session.scalars(select(CatalogVersion.version).where(CatalogVersion.version.like(f"{day}-%"))).all()
    return f"{day}-{max((int(v.rsplit('-', 1)[1]) for v in taken), default=0) + 1}"


def versions(session: Session, limit: int = 20) -> list[CatalogVersion]:
    return list(session.scalars(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(limit)))


def published_item(session: Session, basic_code: str) -> dict[str, Any] | None:
    """The item as terminals have it (what applications are checked against)."""
    row = session.get(CatalogItem, basic_code)
    return None if row is None else row.published


def _get(session: Session, basic_code: str) -> CatalogItem:
    row = session.get(CatalogItem, basic_code)
    if row is None:
        raise LookupError(f"no item {basic_code}")
    return row


def _strip(published: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if published is None else {k: v for k, v in published.items() if k not in ("basic_code", "pinyin")}


def parse_day(value: str) -> date | None:
    """A form's ``YYYY-MM-DD`` date, or ``None`` when it is not one."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
