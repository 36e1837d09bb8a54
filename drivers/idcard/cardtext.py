"""The 256-byte text block of a card: UCS-2LE fields at fixed offsets, three layouts.

The byte at offset 248 names the layout: a space for the resident ID card, ``J`` for the
Hong Kong/Macao/Taiwan residence permit, ``I`` for the 2017 and ``Y`` for the 2023
foreigner permanent residence card. One table per layout drives both directions:
:func:`parse_text` (driver) and :func:`build_text` (simulator), so the two can't drift.
Unused fields are padded with spaces (``20 00``), as readers deliver them.
"""
from __future__ import annotations

import datetime as dt

from drivers.idcard.errors import CardDataError, InvalidIdNumber
from drivers.idcard.identity import OPEN_END, CardType, Identity
from drivers.idcard.idnumber import birth_date_of, validate_foreigner_2017_number, validate_id_number
from drivers.idcard.nations import nation_name, sex_name

TEXT_SIZE = 256
TYPE_OFFSET = 248

Layout = tuple[tuple[str, int], ...]  # (field, size in bytes), in order, summing to 256

LAYOUTS: dict[str, Layout] = {
    "": (("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70), ("id_number", 36),
         ("issuer", 30), ("valid_from", 16), ("valid_until", 16), ("_reserved", 36)),
    "J": (("name", 30), ("sex", 2), ("_r1", 4), ("birth", 16), ("address", 70), ("id_number", 36),
          ("issuer", 30), ("valid_from", 16), ("valid_until", 16), ("pass_number", 18),
          ("issue_count", 4), ("_r2", 6), ("type", 2), ("_r3", 6)),
    "I": (("english_name", 120), ("sex", 2), ("id_number", 30), ("nationality", 6), ("name", 30),
          ("valid_from", 16), ("valid_until", 16), ("birth", 16), ("version", 4), ("issuer", 8),
          ("type", 2), ("_r", 6)),
    # 2023 card: the 18-character number takes 36 bytes; the issue count follows the dates.
    "Y": (("english_name", 120), ("sex", 2), ("id_number", 36), ("nationality", 6), ("name", 30),
          ("valid_from", 16), ("valid_until", 16), ("birth", 16), ("issue_count", 4), ("_r1", 2),
          ("type", 2), ("_r2", 6)),
}
CARD_TYPES = {"": CardType.RESIDENT, "J": CardType.GAT, "I": CardType.FOREIGNER, "Y": CardType.FOREIGNER}
# The 2023 card carries no issuer field: it is always issued by the National Immigration Administration.
Y_ISSUER = "中华人民共和国国家移民管理局"


def _check_tables() -> None:
    for key, layout in LAYOUTS.items():
        assert sum(n for _, n in layout) == TEXT_SIZE, key
        if key:
            assert _offset(layout, "type") == TYPE_OFFSET, key


def _offset(layout: Layout, name: str) -> int:
    pos = 0
    for field_name, size in layout:
        if field_name == name:
            return pos
        pos += size
    raise KeyError(name)


def layout_of(text: bytes) -> str:
    """The layout key from the type character at offset 248."""
    if len(text) != TEXT_SIZE:
        raise CardDataError(f"text block is {len(text)} bytes, {TEXT_SIZE} expected")
    mark = text[TYPE_OFFSET:TYPE_OFFSET + 2].decode("utf-16-le", errors="replace")
    if mark in ("J", "I", "Y"):
        return mark
    if mark in (" ", "\x00"):
        return ""
    raise CardDataError(f"unknown card type mark {mark!r} at offset {TYPE_OFFSET}")


def split_fields(text: bytes) -> tuple[str, dict[str, str]]:
    layout_key = layout_of(text)
    fields: dict[str, str] = {}
    pos = 0
    for name, size in LAYOUTS[layout_key]:
        raw = text[pos:pos + size]
        pos += size
        if not name.startswith("_"):
            fields[name] = raw.decode("utf-16-le", errors="replace").replace("\x00", " ").strip()
    return layout_key, fields


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise CardDataError(f"{what} is not a YYYYMMDD date") from None


def _end_date(value: str) -> dt.date | None:
    return None if value == OPEN_END else _date(value, "valid-until")


def parse_text(text: bytes, photo_wlt: bytes = b"", today: dt.date | None = None) -> Identity:
    """Turn a text block into an :class:`Identity`, validating the ID number.

    Raises :class:`InvalidIdNumber` for a number failing GB 11643 or disagreeing with the
    printed birth date, :class:`CardDataError` for any other nonsense.
    """
    layout_key, f = split_fields(text)
    birth = _date(f["birth"], "birth date")
    if layout_key == "I":
        number = validate_foreigner_2017_number(f["id_number"])
    else:
        number = validate_id_number(f["id_number"], today)
        if birth_date_of(number) != birth:
            raise InvalidIdNumber("birth_date", "number does not match the card's birth date")
    extra_keys = ("pass_number", "issue_count", "version")
    if layout_key in ("I", "Y"):
        nation, nation_code = f["nationality"], f["nationality"]
        issuer = Y_ISSUER if layout_key == "Y" else f["issuer"]
        name = f["name"] or f["english_name"]
    else:
        nation_code = f.get("nation", "")
        nation = nation_name(nation_code) if nation_code else ""
        issuer, name = f["issuer"], f["name"]
    return Identity(
        card_type=CARD_TYPES[layout_key],
        name=name,
        sex=sex_name(f["sex"]),
        nation=nation,
        birth_date=birth,
        address=f.get("address", ""),
        id_number=number,
        issuer=issuer,
        valid_from=_date(f["valid_from"], "valid-from"),
        valid_until=_end_date(f["valid_until"]),
        layout=layout_key,
        english_name=f.get("english_name", ""),
        sex_code=f["sex"],
        nation_code=nation_code,
        extra=tuple((k, f[k]) for k in extra_keys if f.get(k)),
        photo_wlt=photo_wlt,
    )


def _field_bytes(value: str, size: int) -> bytes:
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"{value!r} does not fit in {size} bytes")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def build_text(layout_key: str, values: dict[str, str]) -> bytes:
    """Encode field values (strings as stored on the card) into a 256-byte block."""
    out = bytearray()
    for name, size in LAYOUTS[layout_key]:
        value = layout_key if name == "type" else values.get(name, "")
        out += _field_bytes(value, size)
    return bytes(out)


def values_of(identity: Identity) -> dict[str, str]:
    """The card-level field strings of an identity (the inverse of :func:`parse_text`)."""
    end = identity.valid_until.strftime("%Y%m%d") if identity.valid_until else OPEN_END
    values = {
        "name": identity.name if identity.name != identity.english_name else "",
        "english_name": identity.english_name,
        "sex": identity.sex_code,
        "nation": identity.nation_code,
        "nationality": identity.nation_code,
        "birth": identity.birth_date.strftime("%Y%m%d"),
        "address": identity.address,
        "id_number": identity.id_number,
        "issuer": identity.issuer,
        "valid_from": identity.valid_from.strftime("%Y%m%d"),
        "valid_until": end,
    }
    values.update(dict(identity.extra))
    return values


_check_tables()
