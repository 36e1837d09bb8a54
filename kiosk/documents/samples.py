"""Fictitious sample documents for the demo, ``kiosk print-test``, the docs PNGs and the tests.

Every person here is invented (the ID number has a valid check digit but belongs to no
one), and the hall is marked 示例 so a printout can never pass for a real document.
"""
from __future__ import annotations

from datetime import datetime

from kiosk.documents.receipts import AcceptanceReceipt, Header, PrintReceipt, QueueTicket, ServiceGuide

SAMPLE_TIME = datetime(2026, 11, 23, 14, 5)
SAMPLE_ID = "110105199003071239"
SAMPLE_NAME = "张三丰"

HEADER = Header(hall="演示区政务服务中心（示例）", terminal_id="DEMO-T-0001", phone="12345")

ACCEPTANCE = AcceptanceReceipt(
    case_number="BJ110105202611230001",
    item="城乡居民基本养老保险参保登记",
    department="演示区社会保险事业管理中心",
    applicant_name=SAMPLE_NAME,
    applicant_id=SAMPLE_ID,
    accepted_at=SAMPLE_TIME,
    materials=["居民身份证（原件，已核验）", "户口簿（复印件）1份", "参保登记表（自助填报，电子件）"],
    promised_days=5,
    query_url="https://zwfw.example.gov.cn/q?case=BJ110105202611230001",
)

TICKET = QueueTicket(number="A023", business="社保医保综合窗口", waiting_ahead=4, issued_at=SAMPLE_TIME,
                     window_hint="请到 3 号、4 号窗口办理")

GUIDE = ServiceGuide(
    item="城乡居民基本养老保险参保登记",
    item_code="110105-SB-0012",
    conditions=["年满16周岁（不含在校学生）", "非国家机关和事业单位工作人员", "未参加职工基本养老保险"],
    materials=["居民身份证或社会保障卡", "户口簿"],
    steps=["自助终端或窗口提交申请", "工作人员受理审核", "办结，短信通知"],
    time_limit_days=5,
    fee="不收费",
    online_url="https://zwfw.example.gov.cn/item/110105-SB-0012",
    printed_at=SAMPLE_TIME,
)

PRINTED = PrintReceipt(
    document_title="个人社会保险参保缴费证明",
    document_number="ZM-2026-1123-000087",
    pages=1,
    copies=1,
    verify_code="7KQ2-M9XD",
    verify_url="https://zwfw.example.gov.cn/verify?code=7KQ2-M9XD",
    owner_name=SAMPLE_NAME,
    printed_at=SAMPLE_TIME,
    notes=["证明文件请在A4出纸口取走。"],
)


def sample_certificate(years: int = 9):
    """A 参保缴费证明 with ``years`` table rows (use many to get a multi-page PDF)."""
    from kiosk.documents.certificate import Certificate

    rows = [[str(2026 - years + 1 + i), "第三档", "500.00", "60.00", "已缴费"] for i in range(years)]
    return Certificate(
        title="个人社会保险参保缴费证明",
        number=PRINTED.document_number,
        holder_name=SAMPLE_NAME,
        holder_id=SAMPLE_ID,
        body=["兹证明{holder}在本区参加城乡居民基本养老保险，参保状态为“正常参保”。"
              "其历年缴费情况如下表所示："],
        table_header=["缴费年度", "缴费档次", "个人缴费（元）", "政府补贴（元）", "缴费状态"],
        table_rows=rows,
        issuer=HEADER.hall,
        issued_at=SAMPLE_TIME,
        verify_code=PRINTED.verify_code,
        verify_url=PRINTED.verify_url,
        notes=["说明：本证明为系统演示样例，所有数据均为虚构，印章为样章，不具任何法律效力。"],
    )
