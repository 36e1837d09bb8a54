"""Receipt templates: the right fields, masked personal data, Chinese dates, and both paper widths."""
from __future__ import annotations

from datetime import datetime

import pytest

from drivers.printer.profiles import get_profile
from drivers.printer.virtual.events import QrStore, Raster
from drivers.printer.width import text_columns
from kiosk.documents import receipts, samples
from kiosk.documents.cn_format import cn_date, cn_datetime, cn_weekday, working_days
from tests.drivers.printer.helpers import events_of, page_of

TEMPLATES = [(receipts.acceptance_receipt, samples.ACCEPTANCE), (receipts.queue_ticket, samples.TICKET),
             (receipts.service_guide, samples.GUIDE), (receipts.print_receipt, samples.PRINTED)]


def test_chinese_dates():
    assert cn_datetime(datetime(2026, 11, 23, 14, 5)) == "2026年11月23日 14:05"
    assert cn_date(datetime(2026, 1, 5)) == "2026年1月5日"
    assert cn_weekday(datetime(2026, 11, 23)) == "星期一"
    assert working_days(5) == "5个工作日" and working_days(0) == "即办"


def test_acceptance_receipt_fields_and_masking():
    data = receipts.acceptance_receipt(samples.ACCEPTANCE, samples.HEADER)
    page = page_of(data)
    text = "\n".join(page.text_lines())
    for field in ("受理凭证", samples.ACCEPTANCE.case_number, "城乡居民基本养老保险参保登记", "张**",
                  "1101**********1239", "2026年11月23日 14:05", "5个工作日", "1. 居民身份证（原件，已核验）",
                  "扫码查询办件进度"):
        assert field in text, field
    assert samples.SAMPLE_NAME not in text and samples.SAMPLE_ID not in text
    assert samples.SAMPLE_ID.encode() not in data
    assert page.qr_codes() == [samples.ACCEPTANCE.query_url.encode()]
    assert page.cut is not None


@pytest.mark.parametrize("template, sample", TEMPLATES)
@pytest.mark.parametrize("profile_name", ["default", "xprinter-58"])
def test_every_template_fits_its_paper(template, sample, profile_name):
    profile = get_profile(profile_name)
    page = page_of(template(sample, samples.HEADER, profile), profile.dots_per_line)
    assert page.text_lines()
    for line in page.lines:
        assert line.used <= profile.dots_per_line  # nothing wrapped by the printer itself
    size_one = [line.text for line in page.lines if all(g.width == 1 for g in line.glyphs)]
    assert all(text_columns(t) <= profile.columns for t in size_one)


def test_qr_is_native_or_raster_by_profile():
    data = samples.GUIDE
    native = events_of(receipts.service_guide(data, samples.HEADER, get_profile("default")))
    raster = events_of(receipts.service_guide(data, samples.HEADER, get_profile("xprinter-58")))
    assert any(isinstance(e, QrStore) for e in native)
    assert not any(isinstance(e, QrStore) for e in raster) and any(isinstance(e, Raster) for e in raster)


def test_queue_ticket_number_is_big():
    page = page_of(receipts.queue_ticket(samples.TICKET, samples.HEADER))
    line = next(line for line in page.lines if line.text == "A023")
    assert line.glyphs[0].width == 4 and line.align == 1


def test_print_receipt_has_the_verification_code():
    text = "\n".join(page_of(receipts.print_receipt(samples.PRINTED, samples.HEADER)).text_lines())
    assert "7KQ2-M9XD" in text and "1页 × 1份" in text and "张**" in text


@pytest.mark.parametrize("profile_name", ["POS-5890", "TM-U220", "TM-T88V"])
def test_templates_print_on_python_escpos_profiles(profile_name):
    profile = get_profile(profile_name)
    for template, sample in TEMPLATES:
        page = page_of(template(sample, samples.HEADER, profile), profile.dots_per_line)
        assert page.text_lines() and page.y > 0
