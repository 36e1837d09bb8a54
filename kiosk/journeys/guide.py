"""办事指南: browse the catalog by department or life event, and search by pinyin initials.

The terminal has no keyboard and no IME, so the search keypad offers the 26 initials; a
citizen looking for 社会保障卡申领 types ``SHBZ`` (or any run of initials inside the name,
``BZK``). The catalog carries each item's initials (``pinyin``), so no pinyin dictionary is
needed on the device.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.backend.base import Catalog, CatalogItem
from kiosk.documents.receipts import ServiceGuide

MAX_QUERY = 12


def normalise_query(query: str) -> str:
    """Upper-case ASCII letters only: what the initials keypad can type."""
    return "".join(ch for ch in query.upper() if "A" <= ch <= "Z")[:MAX_QUERY]


def search(items: tuple[CatalogItem, ...] | list[CatalogItem], query: str) -> list[CatalogItem]:
    """Items whose initials contain ``query``; those starting with it first, then by name order kept."""
    q = normalise_query(query)
    if not q:
        return list(items)
    starts = [i for i in items if i.pinyin.upper().startswith(q)]
    inside = [i for i in items if q in i.pinyin.upper() and i not in starts]
    return starts + inside


@dataclass(frozen=True)
class Group:
    """A department or a life event (主题) with its items, as the browse lists show them."""

    code: str
    name: str
    items: tuple[CatalogItem, ...]


def by_department(catalog: Catalog) -> list[Group]:
    """Departments that have at least one item, in the catalog's order."""
    groups = [Group(d.code, d.name, tuple(i for i in catalog.items if i.department == d.code))
              for d in catalog.departments]
    return [g for g in groups if g.items]


def by_theme(catalog: Catalog) -> list[Group]:
    """Life events (出生、就业、退休 …) that have at least one item."""
    groups = [Group(t.code, t.name, tuple(i for i in catalog.items if t.code in i.themes)) for t in catalog.themes]
    return [g for g in groups if g.items]


def items_for(catalog: Catalog, function: str) -> list[CatalogItem]:
    """Items offered by one terminal function (``print``, ``declare`` …)."""
    return [i for i in catalog.items if function in i.functions]


def department_name(catalog: Catalog, code: str) -> str:
    return next((d.name for d in catalog.departments if d.code == code), code)


def time_limit_days(item: CatalogItem) -> int:
    """The promised time limit (承诺时限) when set, else the legal one."""
    return item.promised_days or item.legal_days


def guide_receipt(item: CatalogItem, printed_at: datetime) -> ServiceGuide:
    """The thermal print of an item's guide."""
    steps = [f"{loc.name} {loc.windows}".strip() for loc in item.locations]
    return ServiceGuide(item=item.name, item_code=item.basic_code, conditions=list(item.conditions),
                        materials=[m.name + (f" ×{m.copies}" if m.copies > 1 else "") for m in item.materials],
                        steps=steps, time_limit_days=time_limit_days(item), fee=item.fee,
                        online_url=item.online_url, printed_at=printed_at)
