"""示例 content for the terminal's journeys: an in-memory :class:`ServiceBackend`.

The screenshot gallery and the UI tests show the journeys with it; every record is
fictitious and marked 示例. The person is the ID-card simulator's 张测试 (a valid GB 11643
number that belongs to nobody), so a card placed on the simulated reader finds cases and
certificates here. A real terminal talks to the management server (``kiosk.backend.http``).

Identity codes (扫码亮证, 政务 App 身份码) are the documented demo codes of docs/CONTENT_API.md
("Demo identity codes"), the same the management server's demo source answers: they belong to
the server's demo person 李建华 (the ID-card simulator's ``demo`` card), one is expired.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from drivers.idcard.people import PEOPLE
from kiosk.backend.base import (
    Application,
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
)
from kiosk.privacy import mask_id_number, mask_name

CST = timezone(timedelta(hours=8))
PERSON = PEOPLE["zhang"]  # the ID-card simulator's 张测试
ID_NUMBER = PERSON.id_number
CASE_NO = "SB20261120000123"
# The documented demo identity codes (the token part; the QR holds ``DZZZ:`` / ``ZWFW:ID:`` before it).
DEMO_LICENCE_TOKEN = "DEMO-LJH-ELICENCE-2026-0001"
DEMO_APP_TOKEN = "DEMO-LJH-APP-2026-0002"
DEMO_EXPIRED_TOKEN = "DEMO-LJH-EXPIRED-2026-0003"
DEMO_HOLDER = PEOPLE["demo"]  # 李建华, as the management server's demo data has him
OTHER_CASE_NO = "GJ20261118000045"


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CST)


HALL = Location(name="市民中心二楼社保专区", address="示例路 1 号", windows="B区 12-15号窗口",
                hours="工作日 9:00-17:00", phone="0531-12345678")

CATALOG = Catalog(
    version="2026.11.23-sample", sample_data=True,
    departments=(Department("rsj", "人力资源和社会保障局", "Human Resources and Social Security"),
                 Department("gjj", "住房公积金管理中心", "Housing Provident Fund Centre"),
                 Department("gaj", "公安局", "Public Security Bureau")),
    themes=(Theme("employment", "就业创业"), Theme("housing", "住房保障"), Theme("retirement", "退休养老"),
            Theme("birth", "出生"), Theme("move", "迁移落户")),
    items=(
        CatalogItem(
            basic_code="000201001", impl_code="11370102MB2857130X000201001000", name="社会保障卡申领",
            name_en="Social security card application", department="rsj", pinyin="SHBZKSL",
            themes=("employment",), conditions=("本市参保人员", "持有效居民身份证"),
            materials=(Material("id_card", "居民身份证", 1, True, True),
                       Material("photo", "近期免冠证件照", 1, True, True)),
            fee="不收费", legal_days=20, promised_days=5, locations=(HALL,),
            online_url="https://zwfw.example.gov.cn/item/000201001",
            functions=("guide", "progress", "print", "declare"),
            form=(FormField("reason", "申领原因", "choice", "Reason", options=("首次申领", "损坏换领", "遗失补领")),
                  FormField("start_date", "开始日期", "date", "Start date"),
                  FormField("phone", "联系电话", "digits", "Phone", min_len=11, max_len=11))),
        CatalogItem(
            basic_code="000201002", impl_code="11370102MB2857130X000201002000", name="个人参保证明打印",
            name_en="Printing a proof of social insurance", department="rsj", pinyin="GRCBZMDY",
            themes=("employment", "retirement"), conditions=("本市参保人员",),
            materials=(Material("id_card", "居民身份证"),), fee="不收费", legal_days=1, promised_days=0,
            locations=(HALL,), online_url="https://zwfw.example.gov.cn/item/000201002", functions=("guide", "print")),
        CatalogItem(
            basic_code="000301001", impl_code="11370102MB2857131X000301001000", name="住房公积金提取",
            name_en="Housing provident fund withdrawal", department="gjj", pinyin="ZFGJJTQ",
            themes=("housing", "retirement"), conditions=("连续足额缴存满 3 个月", "购买、建造或租赁自住住房"),
            materials=(Material("id_card", "居民身份证"), Material("contract", "购房合同或租赁合同", 1, False)),
            fee="不收费", legal_days=3, promised_days=1,
            locations=(Location("市民中心三楼公积金专区", "示例路 1 号", "C区 1-6号窗口", "工作日 9:00-17:00"),),
            online_url="https://zwfw.example.gov.cn/item/000301001", functions=("guide", "progress")),
        CatalogItem(
            basic_code="000101001", impl_code="11370102MB2857132X000101001000", name="出生登记",
            name_en="Birth registration", department="gaj", pinyin="CSDJ", themes=("birth", "move"),
            conditions=("新生儿父母一方为本市户籍",),
            materials=(Material("birth_cert", "出生医学证明"), Material("hukou", "户口簿"),
                       Material("marriage", "结婚证")),
            fee="不收费", legal_days=10, promised_days=3,
            locations=(Location("市民中心一楼公安户政窗口", "示例路 1 号", "A区 3-5号窗口", "工作日 9:00-17:00"),),
            online_url="https://zwfw.example.gov.cn/item/000101001", functions=("guide",)),
    ),
)

CASES = (
    CaseRecord(case_no=CASE_NO, item_name="社会保障卡申领", department_name="人力资源和社会保障局",
               applicant_masked="张*", submitted_at=_at(20, 9, 31), status="reviewed",
               steps=(CaseStep("received", "收件", _at(20, 9, 31)), CaseStep("accepted", "受理", _at(20, 10, 2)),
                      CaseStep("reviewed", "审查", None), CaseStep("issued", "出证", None)),
               basic_code="000201001", department="rsj", channel="window",
               delivery=Delivery("post", "中国邮政EMS", "1190012345678")),
    CaseRecord(case_no=OTHER_CASE_NO, item_name="住房公积金提取", department_name="住房公积金管理中心",
               applicant_masked="张*", submitted_at=_at(18, 14, 5), status="issued",
               steps=(CaseStep("received", "收件", _at(18, 14, 5)), CaseStep("accepted", "受理", _at(18, 14, 20)),
                      CaseStep("reviewed", "审查", _at(19, 9, 0)), CaseStep("issued", "办结", _at(19, 16, 0))),
               basic_code="000301001", department="gjj", channel="terminal"),
)

CERTIFICATES = (CertificateSummary("c-0001", "social_insurance_proof", "个人参保证明", "示例市社会保险事业中心",
                                   _at(20, 9), 1),
                CertificateSummary("c-0002", "social_insurance_record", "个人参保缴费明细", "示例市社会保险事业中心",
                                   _at(20, 9), 3))

CERTIFICATE = {
    "title": "个人参保证明", "number": "SB-2026-000123", "holder_name": "张*", "holder_id": mask_id_number(ID_NUMBER),
    "body": ["兹证明 {holder} 在本市参加社会保险，缴费情况如下。"], "table_header": ["险种", "起始年月", "状态"],
    "table_rows": [["养老保险", "2010-01", "正常参保"], ["医疗保险", "2010-01", "正常参保"]],
    "issuer": "示例市社会保险事业中心", "issued_at": _at(20, 9), "verify_code": "ABCD-1234",
    "verify_url": "https://zwfw.example.gov.cn/verify/ABCD-1234", "notes": ["本证明为示例数据"],
}

# 缴费明细: one row a month since 2021, long enough for a three-page document (the preview pages through it)
RECORD_MONTHS = [f"{2021 + m // 12}-{m % 12 + 1:02d}" for m in range(70)]
CONTRIBUTION_RECORD = {
    **CERTIFICATE, "title": "个人参保缴费明细", "number": "SB-2026-000124",
    "body": ["{holder} 在本市参加社会保险的逐月缴费记录如下。"],
    "table_header": ["缴费年月", "养老保险（元）", "医疗保险（元）", "缴费状态"],
    "table_rows": [[month, "760.00", "190.00", "已缴费"] for month in RECORD_MONTHS],
    "verify_code": "ABCD-1235", "verify_url": "https://zwfw.example.gov.cn/verify/ABCD-1235",
}
DOCUMENTS = {"c-0001": CERTIFICATE, "c-0002": CONTRIBUTION_RECORD}


class SampleBackend:
    """Answers from the 示例 records above; refuses like the content API (``case_not_found`` …)."""

    def _enter(self, method: str, arg: str = "") -> None:
        """A hook for test doubles (scripted failures, call log)."""

    def catalog(self) -> Catalog:
        self._enter("catalog")
        return CATALOG

    def case_by_number(self, case_no: str) -> CaseRecord:
        self._enter("case_by_number", case_no)
        for case in CASES:
            if case.case_no == case_no:
                return case
        raise BackendError("case_not_found")

    def cases_of(self, id_number: str) -> list[CaseRecord]:
        self._enter("cases_of", id_number)
        return list(CASES) if id_number == ID_NUMBER else []

    def certificates_of(self, id_number: str) -> list[CertificateSummary]:
        self._enter("certificates_of", id_number)
        return list(CERTIFICATES) if id_number == ID_NUMBER else []

    def certificate_document(self, id_number: str, certificate_id: str) -> dict[str, Any]:
        self._enter("certificate_document", id_number)
        if id_number != ID_NUMBER or certificate_id not in DOCUMENTS:
            raise BackendError("certificate_not_found")
        return dict(DOCUMENTS[certificate_id])

    def submit(self, application: Application) -> ApplicationReceipt:
        self._enter("submit", application.basic_code)
        item = next((i for i in CATALOG.items if i.basic_code == application.basic_code), None)
        if item is None:
            raise BackendError("item_not_found")
        return ApplicationReceipt(case_no="SB20261123000001", accepted_at=_at(23, 10), item_name=item.name,
                                  department_name=department_name(item.department), promised_days=item.promised_days,
                                  materials=tuple(m.name for m in item.materials),
                                  query_url="https://zwfw.example.gov.cn/case/SB20261123000001",
                                  applicant_masked=mask_name(application.name),
                                  applicant_id_masked=mask_id_number(application.id_number))

    def verify_identity_code(self, token: str) -> VerifiedIdentity:
        self._enter("verify_identity_code", token[:4])  # never the whole token, even in a test's call log
        kinds = {DEMO_LICENCE_TOKEN: "licence", DEMO_APP_TOKEN: "app"}
        if token == DEMO_EXPIRED_TOKEN:
            raise BackendError("code_expired")
        if token not in kinds:
            raise BackendError("code_unknown")
        return VerifiedIdentity(name=DEMO_HOLDER.name, id_number=DEMO_HOLDER.id_number, code_kind=kinds[token],
                                valid_until=DEMO_HOLDER.valid_until, issuer=DEMO_HOLDER.issuer)

    def close(self) -> None:
        pass


def department_name(code: str) -> str:
    return next((d.name for d in CATALOG.departments if d.code == code), code)
