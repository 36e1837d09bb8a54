"""Fictitious card holders for the simulator, the tests and the bench.

Every number is built with a valid GB 11643 check character so the driver's validation is
exercised for real; none belongs to anybody (the sequence numbers are chosen arbitrarily).
One person per layout, plus an expired card and a card with a broken check digit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from drivers.idcard.identity import CardType, Identity
from drivers.idcard.idnumber import make_id_number
from drivers.idcard.nations import nation_name

D = dt.date


def _fake_wlt(seed: str) -> bytes:
    """1024 bytes that stand in for a WLT photo (not decodable, deterministic)."""
    block = b""
    counter = 0
    while len(block) < 1024:
        block += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return block[:1024]


def _resident(key: str, name: str, sex: str, nation: str, birth: dt.date, region: str, seq: int,
              address: str, issuer: str, start: dt.date, end: dt.date | None) -> Identity:
    return Identity(
        card_type=CardType.RESIDENT, name=name, sex={"1": "男", "2": "女"}[sex], nation=nation_name(nation),
        birth_date=birth, address=address, id_number=make_id_number(region, birth, seq), issuer=issuer,
        valid_from=start, valid_until=end, layout="", sex_code=sex, nation_code=nation, photo_wlt=_fake_wlt(key),
    )


PEOPLE: dict[str, Identity] = {
    "zhang": _resident("zhang", "张测试", "1", "01", D(1990, 3, 7), "110101", 123,
                       "北京市东城区测试胡同1号", "北京市公安局东城分局", D(2020, 5, 1), D(2040, 5, 1)),
    "li": _resident("li", "李样例", "2", "03", D(1958, 11, 20), "320102", 246,
                    "江苏省南京市玄武区示例路88号", "南京市公安局玄武分局", D(2015, 6, 30), None),
    "ouyang": _resident("ouyang", "欧阳模拟", "2", "10", D(2001, 2, 28), "220581", 382,
                        "吉林省梅河口市仿真大街100号3单元502室附属测试用长地址字段", "梅河口市公安局",
                        D(2019, 8, 1), D(2029, 8, 1)),
    # The demo person of the management server's sample data (server/content/generator.py,
    # docs/CONTENT_API.md "Demo data"): their cases and certificates show up on the demo terminal.
    "demo": _resident("demo", "李建华", "1", "01", D(1980, 5, 12), "370102", 3,
                      "山东省济南市历下区示例路12号", "济南市公安局历下分局", D(2018, 4, 2), D(2038, 4, 2)),
    "expired": _resident("expired", "王过期", "1", "01", D(1975, 9, 9), "440305", 517,
                         "广东省深圳市南山区测试街道9号", "深圳市公安局南山分局", D(2005, 1, 1), D(2015, 1, 1)),
    "gat": Identity(
        card_type=CardType.GAT, name="陈港澳", sex="男", nation="", birth_date=D(1985, 7, 1),
        address="广东省深圳市福田区示范路2号", id_number=make_id_number("810000", D(1985, 7, 1), 41),
        issuer="深圳市公安局", valid_from=D(2024, 3, 1), valid_until=D(2029, 3, 1), layout="J", sex_code="1",
        extra=(("pass_number", "H12345678"), ("issue_count", "01")), photo_wlt=_fake_wlt("gat"),
    ),
    "foreigner2017": Identity(
        card_type=CardType.FOREIGNER, name="史密斯", sex="男", nation="USA", birth_date=D(1980, 1, 15),
        address="", id_number="USA110080011501", issuer="1500", valid_from=D(2017, 6, 1),
        valid_until=D(2027, 6, 1), layout="I", english_name="SMITH, JOHN TEST", sex_code="1",
        nation_code="USA", extra=(("version", "01"),), photo_wlt=_fake_wlt("foreigner2017"),
    ),
    "foreigner2023": Identity(
        card_type=CardType.FOREIGNER, name="GARCIA, MARIA TEST", sex="女", nation="ESP",
        birth_date=D(1988, 5, 12), address="", id_number=make_id_number("911724", D(1988, 5, 12), 63),
        issuer="中华人民共和国国家移民管理局", valid_from=D(2023, 12, 1), valid_until=D(2033, 12, 1),
        layout="Y", english_name="GARCIA, MARIA TEST", sex_code="2", nation_code="ESP",
        extra=(("issue_count", "00"),), photo_wlt=_fake_wlt("foreigner2023"),
    ),
}

# A card whose number has a wrong check character (the reader must refuse it clearly).
_z = PEOPLE["zhang"]
_bad = _z.id_number[:17] + ("0" if _z.id_number[17] != "0" else "1")
PEOPLE["badcheck"] = replace(_z, id_number=_bad)
