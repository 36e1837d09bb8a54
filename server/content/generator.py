"""Demo data for the content side (示例数据): the sample catalog, fictitious people with their cases
in every state, and certificates to print. Deterministic for a given ``seed`` and ``today``.

People are invented: common surnames and given names, ID numbers of the demo region (济南市
370102-370112) with a correct GB 11643 check character that belong to no one. Only what the
server would store for a real person is written: the HMAC of the ID number, the masked name
and the masked number. One person is fixed and documented (docs/CONTENT_API.md, "Demo data") so
terminal tests and demonstrations can use them: :data:`DEMO_PERSON`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.content import catalog, demo_catalog
from server.content.adapter import STEP_NAMES
from server.content.people import check_char, mask_id_number, mask_name, person_key
from server.models import CatalogItem, CatalogTheme, ContentCase, ContentCaseStep, ContentCertificate, Department
from server.services import audit

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")
GIVEN_MALE = ("建国", "志强", "伟", "军", "磊", "涛", "洋", "勇", "杰", "浩然", "子轩", "宇航", "俊杰", "文博", "明",
              "国华", "海涛", "晓东", "建军", "鹏", "振华", "德胜", "立新", "嘉豪")
GIVEN_FEMALE = ("秀英", "桂英", "丽", "静", "敏", "燕", "艳", "娜", "婷", "雪", "欣怡", "梓涵", "雨桐", "思琪", "晓梅",
                "玉兰", "海燕", "丽娟", "慧", "佳怡", "淑珍", "凤英", "春梅", "雅琴")
REGIONS = ("370102", "370103", "370104", "370105", "370112")  # 历下、市中、槐荫、天桥、历城
STREETS = ("泉城路", "解放路", "文化东路", "和平路", "山大路", "经十路", "历山路", "燕山路")
SAMPLE_NOTE = "本证明为系统示例数据（sample data），所有信息均为虚构，印章为样章，不具任何法律效力。"
VERIFY = "https://zwfw.example.gov.cn/verify?code="


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    male: bool
    born: date

    @property
    def key_parts(self) -> tuple[str, str]:
        return mask_name(self.name), mask_id_number(self.id_number)


# The documented demo person (fictitious; valid check character; region 370102 历下区).
DEMO_PERSON = Person("李建华", "370102198005120035", True, date(1980, 5, 12))
# Their cases have fixed numbers so a demonstration can type one in: (number, basic code, status,
# submitted (Beijing), delivery by post).
DEMO_CASES: tuple[tuple[str, str, str, datetime, bool], ...] = (
    ("RS20261120000123", "000201001", "reviewed", datetime(2026, 11, 20, 9, 31, tzinfo=LOCAL), True),
    ("GJ20261105000045", "000104002", "issued", datetime(2026, 11, 5, 10, 12, tzinfo=LOCAL), False),
    ("GA20261118000067", "000101002", "accepted", datetime(2026, 11, 18, 14, 20, tzinfo=LOCAL), False),
    ("YB20261121000089", "000202002", "received", datetime(2026, 11, 21, 15, 45, tzinfo=LOCAL), False),
    ("ZR20261012000021", "000105003", "posted", datetime(2026, 10, 12, 9, 5, tzinfo=LOCAL), True),
)
CARRIERS = ("中国邮政EMS", "顺丰速运（政务专递）")


def id_number(rng: random.Random, region: str, born: date, male: bool) -> str:
    """A fictitious GB 11643 number: region, birth date, sequence (odd for men), check character."""
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def random_person(rng: random.Random, today: date) -> Person:
    male = rng.random() < 0.5
    name = rng.choice(SURNAMES) + rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    born = today - timedelta(days=rng.randrange(18 * 365, 85 * 365))
    return Person(name, id_number(rng, rng.choice(REGIONS), born, male), male, born)


def case_number(department: str, day: date, sequence: int) -> str:
    """``RS20261120000123``: department letters, the day (Beijing), a six-digit sequence of that day."""
    return f"{department[:2].upper()}{day:%Y%m%d}{sequence:06d}"


@dataclass
class Summary:
    items: int = 0
    departments: int = 0
    cases: int = 0
    certificates: int = 0
    skipped: bool = False

    def __str__(self) -> str:
        person = (f"demo person (fictitious): {DEMO_PERSON.name} {DEMO_PERSON.id_number}; "
                  f"cases {', '.join(c[0] for c in DEMO_CASES)}")
        if self.skipped:
            return f"content sample data already present (示例数据)\n{person}"
        return (f"content sample data (示例数据): {self.items} items in {self.departments} departments, "
                f"{self.cases} cases, {self.certificates} certificates\n{person}")


def seed(session: Session, secret_key: str, *, seed: int = 20261123, today: date | None = None,
         cases: int = 200, people: int = 60) -> Summary:
    """Add the sample catalog (published), cases and certificates once; a second run changes nothing."""
    if session.scalar(select(ContentCase.case_no).where(ContentCase.sample_data.is_(True)).limit(1)) is not None:
        return Summary(skipped=True)
    rng = random.Random(seed)
    today = today or datetime.now(LOCAL).date()
    summary = Summary()
    summary.departments = _departments(session)
    _themes(session)
    summary.items = _catalog(session)
    crowd = [DEMO_PERSON] + [random_person(rng, today) for _ in range(people - 1)]
    summary.cases = _cases(session, rng, secret_key, crowd, today, cases)
    summary.certificates = _certificates(session, rng, secret_key, crowd, today)
    audit.record(session, "seed-demo", "content.seed", "", items=summary.items, cases=summary.cases,
                 certificates=summary.certificates)
    return summary


def _departments(session: Session) -> int:
    for code, name, name_en, _floor in demo_catalog.DEPARTMENTS:
        if session.get(Department, code) is None:  # shared table: never overwrite what another side set up
            session.add(Department(code=code, name=name, name_en=name_en, region_code=demo_catalog.REGION))
    session.flush()
    return len(demo_catalog.DEPARTMENTS)


def _themes(session: Session) -> None:
    for position, (code, name, name_en, audience) in enumerate(demo_catalog.THEMES):
        if session.get(CatalogTheme, code) is None:
            session.add(CatalogTheme(code=code, name=name, name_en=name_en, audience=audience, position=position))
    session.flush()


def _catalog(session: Session) -> int:
    """The sample items, published as one version; items already there (an edited catalog) are kept."""
    added = 0
    for row in demo_catalog.ITEMS:
        if session.get(CatalogItem, row[0]) is None:
            catalog.save_draft(session, row[0], demo_catalog.item_body(row), "seed-demo", sample_data=True)
            added += 1
    if added:
        catalog.publish(session, "seed-demo")
    return len(demo_catalog.ITEMS)


def _cases(session: Session, rng: random.Random, secret: str, crowd: list[Person], today: date, count: int) -> int:
    items = {row[0]: row for row in demo_catalog.ITEMS}
    with_progress = [row for row in demo_catalog.ITEMS if "progress" in row[5]]
    now = datetime.combine(today, time(17, 30), LOCAL)
    taken: set[str] = set()
    made = 0
    for number, basic, status, submitted, post in DEMO_CASES:
        _add_case(session, rng, secret, DEMO_PERSON, items[basic], number, submitted, now, "window", post, status)
        taken.add(number)
        made += 1
    per_day: dict[tuple[str, date], int] = {}
    while made < count:
        row = rng.choice(with_progress)
        person = rng.choice(crowd[1:])
        day = today - timedelta(days=int(rng.triangular(0, 90, 3)))
        if day.weekday() == 6:  # the hall is closed on Sundays
            continue
        submitted = datetime.combine(day, time(9, 0), LOCAL) + timedelta(minutes=rng.randrange(0, 7 * 60 + 30))
        sequence = per_day.get((row[1], day), 0) + 1
        per_day[(row[1], day)] = sequence
        number = case_number(row[1], day, sequence)
        if number in taken:
            continue
        taken.add(number)
        channel = rng.choices(("window", "online", "terminal"), (60, 25, 15))[0]
        _add_case(session, rng, secret, person, row, number, submitted, now, channel, rng.random() < 0.3, None)
        made += 1
    return made


def _add_case(session: Session, rng: random.Random, secret: str, person: Person, row: demo_catalog.Item,
              number: str, submitted: datetime, now: datetime, channel: str, post: bool, status: str | None) -> None:
    """A case whose steps follow each other at plausible intervals, stopping at ``status`` (or at now)."""
    basic, dept, name, _en, _themes, _functions, _legal, promised, *_rest = row
    codes = ["received", "accepted", "reviewed", "issued"] + (["posted"] if post else [])
    times: list[datetime] = [submitted]
    gaps = [timedelta(minutes=rng.randrange(20, 240)), timedelta(hours=rng.randrange(4, 24 * max(1, promised // 2) + 5)),
            timedelta(hours=rng.randrange(2, 24 * max(1, promised) + 3)), timedelta(hours=rng.randrange(3, 30))]
    for gap in gaps[: len(codes) - 1]:
        times.append(_office_hours(times[-1] + gap))
    reached = codes.index(status) + 1 if status else sum(1 for t in times if t <= now)
    reached = max(1, reached)
    name_masked, id_masked = person.key_parts
    case = ContentCase(
        case_no=number, basic_code=basic, impl_code=demo_catalog.item_body(row)["impl_code"], item_name=name,
        department_code=dept, applicant_key=person_key(secret, person.id_number), applicant_name_masked=name_masked,
        applicant_id_masked=id_masked, channel=channel, submitted_at=submitted, status=codes[reached - 1],
        delivery_method="post" if post else "pickup", delivery_carrier=rng.choice(CARRIERS) if post else "",
        tracking_no=f"11{rng.randrange(10**10, 10**11)}" if post and reached == len(codes) else "", sample_data=True)
    for position, code in enumerate(codes):
        note = "示例数据" if position == 0 else ""
        case.steps.append(ContentCaseStep(position=position, code=code, name=STEP_NAMES[code],
                                          at=times[position] if position < reached else None, note=note))
    session.add(case)


def _office_hours(at: datetime) -> datetime:
    """The same moment moved into the hall's hours (9:00-17:00, closed on Sundays): staff act then."""
    local = at.astimezone(LOCAL)
    if local.hour >= 17:
        local = (local + timedelta(days=1)).replace(hour=9)
    elif local.hour < 9:
        local = local.replace(hour=9)
    if local.weekday() == 6:
        local += timedelta(days=1)
    return local


def _certificates(session: Session, rng: random.Random, secret: str, crowd: list[Person], today: date) -> int:
    issued = datetime.combine(today, time(8, 0), LOCAL)
    made = 0
    for index, person in enumerate(crowd):
        everything = index == 0  # the demo person has every kind
        for kind, chance in (("social_insurance_proof", 0.7), ("housing_fund_proof", 0.5),
                             ("real_estate_query", 0.4), ("household_proof", 0.6)):
            if everything or rng.random() < chance:
                session.add(_certificate(rng, secret, person, kind, issued, today))
                made += 1
    return made


def _certificate(rng: random.Random, secret: str, person: Person, kind: str, issued: datetime,
                 today: date) -> ContentCertificate:
    code = "".join(rng.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(8))
    verify = f"{code[:4]}-{code[4:]}"
    serial = rng.randrange(1, 999999)
    start_year = max(person.born.year + 22, 1998)
    body, header, rows, title, issuer, prefix = _certificate_content(rng, person, kind, today, start_year)
    name_masked, id_masked = person.key_parts
    return ContentCertificate(
        id=f"c-{rng.getrandbits(48):012x}", holder_key=person_key(secret, person.id_number),
        holder_name_masked=name_masked, holder_id_masked=id_masked, kind=kind, title=title,
        number=f"{prefix}-{today.year}-{serial:06d}", issuer=issuer, issued_at=issued, body=body,
        table_header=header, table_rows=rows, notes=[SAMPLE_NOTE], verify_code=verify, verify_url=VERIFY + verify,
        pages=1 + len(rows) // 25, sample_data=True)


def _certificate_content(rng: random.Random, person: Person, kind: str, today: date,
                         start_year: int) -> tuple[list[str], list[str], list[list[str]], str, str, str]:
    as_of = f"{today.year}年{today.month}月{today.day}日"
    if kind == "social_insurance_proof":
        months = (today.year - start_year) * 12 + today.month - 1
        rows = [[risk, "正常参保", f"{start_year}-{rng.randrange(1, 13):02d}", str(max(1, months - rng.randrange(0, 6)))]
                for risk in ("职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险")]
        return ([f"兹证明{{holder}}在本区参加社会保险，截至{as_of}参保情况如下："],
                ["险种", "参保状态", "参保起始年月", "累计缴费月数"], rows, "个人参保证明",
                "济南市历下区社会保险事业中心（示例）", "SB")
    if kind == "housing_fund_proof":
        base = rng.randrange(40, 150) * 100
        rows = []
        for back in range(12, 0, -1):
            index = today.year * 12 + today.month - 1 - back  # the twelve months before this one
            month = f"{index // 12}-{index % 12 + 1:02d}"
            rows.append([month, f"{base:.2f}", f"{base * 0.12:.2f}", f"{base * 0.12:.2f}", "正常缴存"])
        return (["兹证明{holder}在本中心开设住房公积金个人账户，账户状态正常。近十二个月缴存情况如下："],
                ["缴存年月", "缴存基数（元）", "单位月缴存额（元）", "个人月缴存额（元）", "缴存状态"], rows,
                "住房公积金缴存证明", "济南住房公积金中心历下管理部（示例）", "GJJ")
    if kind == "real_estate_query":
        count = rng.choice((0, 1, 1, 2))
        rows = [[f"鲁（{rng.randrange(2008, 2025)}）济南市不动产权第{rng.randrange(10**6, 10**7):07d}号",
                 f"历下区{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.randrange(1, 20)}号楼{rng.randrange(101, 2602)}室（示例）",
                 "住宅", f"{rng.randrange(45, 180)}.{rng.randrange(0, 100):02d}", f"{rng.randrange(2008, 2025)}-{rng.randrange(1, 13):02d}"]
                for _ in range(count)]
        text = (f"经查询，截至{as_of}，{{holder}}名下登记的不动产如下：" if rows
                else f"经查询，截至{as_of}，未发现{{holder}}名下有不动产登记记录。")
        return ([text], ["不动产权证号", "坐落", "用途", "建筑面积（㎡）", "登记日期"], rows,
                "不动产登记信息查询结果", "济南市不动产登记中心历下分中心（示例）", "BDC")
    rows = [["户籍地址", f"济南市历下区{rng.choice(STREETS)}{rng.randrange(1, 300)}号（示例地址）"],
            ["户别", "家庭户"], ["与户主关系", rng.choice(("户主", "配偶", "子", "女"))], ["民族", "汉族"],
            ["迁入本址日期", f"{rng.randrange(1995, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"]]
    return (["兹证明{holder}系本所辖区常住户口居民，户籍信息如下：", "特此证明。"], ["项目", "内容"], rows,
            "户籍证明", "济南市公安局历下分局示例派出所（示例）", "HJ")


def demo_facts() -> dict[str, Any]:
    """What documentation and tests need to know about the demo person."""
    return {"name": DEMO_PERSON.name, "id_number": DEMO_PERSON.id_number,
            "cases": [c[0] for c in DEMO_CASES], "certificate_kinds": 4}
