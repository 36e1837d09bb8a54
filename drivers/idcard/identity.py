"""What a card says about its holder, in memory only.

``Identity`` is deliberately opaque when printed: its ``repr`` shows the card type and
nothing personal, so an identity that ends up in a log line, a traceback or a test failure
message leaks nothing. Showing data is an explicit act (:meth:`Identity.public_dict`),
and the caller masks what the screen or log must not show in full.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

OPEN_END = "长期"


class CardType(str, enum.Enum):
    RESIDENT = "resident"  # 居民身份证
    GAT = "gat"  # 港澳台居民居住证 (layout J)
    FOREIGNER = "foreigner"  # 外国人永久居留身份证 (layouts I 2017, Y 2023)


@dataclass(frozen=True, repr=False, eq=True)
class Identity:
    card_type: CardType
    name: str
    sex: str
    nation: str  # GB 3304 name; the nationality code for foreigners; "" for GAT permits
    birth_date: dt.date
    address: str
    id_number: str
    issuer: str
    valid_from: dt.date
    valid_until: dt.date | None  # None: 长期 (no end)
    layout: str = ""  # "" resident, "J", "I", "Y"
    english_name: str = ""
    sex_code: str = ""
    nation_code: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # layout-specific: pass number, issue count ...
    photo_wlt: bytes = field(default=b"", compare=False)
    photo_image: bytes | None = field(default=None, compare=False)  # decoded (BMP) if a decoder is set

    def __repr__(self) -> str:
        return f"Identity(card_type={self.card_type.value!r}, layout={self.layout!r}, <personal data hidden>)"

    __str__ = __repr__

    def is_expired(self, today: dt.date | None = None) -> bool:
        """True when valid-until is before today; the session refuses such a card."""
        return self.valid_until is not None and self.valid_until < (today or dt.date.today())

    def public_dict(self, id_number_masked: str) -> dict[str, str]:
        """The stable diagnostic shape (``kiosk read-card``): the caller supplies the mask."""
        return {
            "card_type": self.card_type.value,
            "name": self.name,
            "sex": self.sex,
            "nation": self.nation,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number_masked": id_number_masked,
            "issuer": self.issuer,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else OPEN_END,
        }
