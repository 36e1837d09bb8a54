"""自助申报 rules: form validation, pages per material, the in-memory PDFs and the application."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.journeys.declare import Declaration, acceptance_receipt, check_field, encode_page, shown_value
from kiosk.journeys.sample_backend import CATALOG, ID_NUMBER, SampleBackend

ITEM = CATALOG.items[0]  # 社会保障卡申领: reason (choice), start_date (date), phone (11 digits)
REASON, START, PHONE = ITEM.form


@pytest.mark.parametrize("spec, value, error", [
    (REASON, "首次申领", ""), (REASON, "随便", "declare.invalid.choice"), (REASON, "", "declare.invalid.required"),
    (START, "20261123", ""), (START, "20260230", "declare.invalid.date"), (START, "2026112", "declare.invalid.date"),
    (PHONE, "13800000000", ""), (PHONE, "1380000", "declare.invalid.length"), (PHONE, "1380000000X", "declare.invalid.digits"),
])
def test_fields(spec, value, error):
    assert check_field(spec, value) == error


@given(st.text(max_size=12))
def test_date_check_never_raises(value):
    assert check_field(START, value) in ("", "declare.invalid.date", "declare.invalid.required")


def test_date_is_shown_the_chinese_way():
    assert shown_value(START, "20261123") == "2026年11月23日"


def test_application_needs_form_and_every_scanned_material():
    declaration = Declaration(ITEM)
    assert not declaration.complete
    assert declaration.set_value("reason", "首次申领") == ""
    declaration.set_value("start_date", "20261201")
    declaration.set_value("phone", "13800000000")
    assert [m.code for m in declaration.missing_materials()] == ["id_card", "photo"]
    page = encode_page(np.full((120, 90, 3), 255, dtype=np.uint8))
    assert declaration.add_page("id_card", page) == 1 and declaration.add_page("id_card", page) == 2
    assert declaration.retake("id_card") == 1
    declaration.add_page("photo", page)
    application = declaration.application(ID_NUMBER, "张测试")
    assert application.form == {"reason": "首次申领", "start_date": "2026-12-01", "phone": "13800000000"}
    assert [(m.code, m.pages) for m in application.materials] == [("id_card", 1), ("photo", 1)]
    assert all(m.pdf.startswith(b"%PDF") for m in application.materials)
    assert ID_NUMBER not in repr(application)
    receipt = acceptance_receipt(SampleBackend().submit(application))
    assert receipt.applicant_id.startswith("1101") and "*" in receipt.applicant_id and receipt.applicant_name == "张**"
    declaration.discard()
    assert not declaration.pages and not declaration.values
