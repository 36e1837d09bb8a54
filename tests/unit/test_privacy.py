"""Masking of ID numbers and names on screen and in logs."""
from __future__ import annotations

import logging

from hypothesis import given, strategies as st

from kiosk.privacy import MaskingFilter, SensitiveValues, mask_id_number, mask_name, mask_text

# Fictitious numbers with valid GB 11643 check digits.
ID_A = "11010519491231002X"
ID_B = "440308199901010012"


def test_mask_id_number_keeps_four_at_each_end():
    assert mask_id_number(ID_A) == "1101**********002X"
    assert mask_id_number("123") == "***"


def test_mask_name():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""


def test_mask_text_finds_numbers_in_free_text():
    text = f"读卡成功 {ID_A}，另一人{ID_B}。订单号 20261123000000001234567 不变"
    masked = mask_text(text)
    assert ID_A not in masked and ID_B not in masked
    assert "1101**********002X" in masked and "4403**********0012" in masked
    assert "20261123000000001234567" in masked


@given(st.text(alphabet="0123456789X张三 ,:", max_size=80))
def test_masking_is_idempotent(text):
    once = mask_text(text)
    assert mask_text(once) == once


def _record(msg: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, exc_info)


def test_filter_masks_message_args_names_and_tracebacks():
    sensitive = SensitiveValues()
    sensitive.add("李小龙")
    flt = MaskingFilter(sensitive)
    record = _record("card of %s read: %s", "李小龙", ID_B)
    flt.filter(record)
    assert record.getMessage() == "card of 李** read: 4403**********0012"
    try:
        raise ValueError(f"bad card {ID_A} for 李小龙")
    except ValueError:
        import sys

        record = _record("failed", exc_info=sys.exc_info())
    flt.filter(record)
    assert ID_A not in record.getMessage() and "李小龙" not in record.getMessage()
    assert "1101**********002X" in record.getMessage()
    sensitive.clear()
    record = _record("李小龙")
    flt.filter(record)
    assert record.getMessage() == "李小龙"
