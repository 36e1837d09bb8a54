"""Print-then-commit: a certificate counts as printed only when the printer confirmed it."""
from __future__ import annotations

import pytest

from drivers.printer.cups import A4PrintFailed
from kiosk.journeys.printing import PrintError, fetch_certificate, print_certificate
from kiosk.journeys.rating import JourneyRating, terminal_ledger
from kiosk.journeys.sample_backend import CERTIFICATES, ID_NUMBER, SampleBackend
from kiosk.backend.base import BackendError


class Printer:
    def __init__(self, fail: str = "") -> None:
        self.fail = fail
        self.jobs: list[tuple[bytes, str]] = []

    def print_pdf(self, pdf: bytes, title: str = ""):
        if self.fail:
            raise A4PrintFailed(self.fail, "test")
        self.jobs.append((pdf, title))


@pytest.fixture(scope="module")
def document():
    return fetch_certificate(SampleBackend(), ID_NUMBER, CERTIFICATES[0])


def test_fetch_renders_a_pdf_with_masked_holder(document):
    cert, pdf = document
    assert pdf.startswith(b"%PDF") and cert.holder_id.startswith("1101") and "*" in cert.holder_id
    with pytest.raises(BackendError) as refused:
        fetch_certificate(SampleBackend(), "110101199003070000", CERTIFICATES[0])
    assert refused.value.reason == "certificate_not_found"


def test_success_records_print_job_and_usage_after_the_printer(document):
    cert, pdf = document
    events: list[tuple[str, dict]] = []
    printer = Printer()
    printed = print_certificate(printer, cert, pdf, 1, lambda kind, payload: events.append((kind, payload)))
    assert len(printer.jobs) == 1 and printed.pages == 1
    assert [k for k, _ in events] == ["print_job", "usage"]
    assert events[1][1]["outcome"] == "success" and events[1][1]["pages"] == 1
    receipt = printed.receipt(cert.issued_at)
    assert receipt.verify_code == "ABCD-1234" and receipt.owner_name == "张*"


def test_failure_never_counts_as_printed(document):
    cert, pdf = document
    events: list[tuple[str, dict]] = []
    with pytest.raises(PrintError) as failed:
        print_certificate(Printer("media-empty"), cert, pdf, 1, lambda kind, payload: events.append((kind, payload)))
    assert failed.value.reason == "print_failed"
    assert [k for k, _ in events] == ["usage"]
    assert events[0][1]["outcome"] == "failure" and events[0][1]["pages"] == 0


def test_journey_rating_once_and_unanswered_is_not_good(tmp_path, make_config):
    config = make_config()
    stored = []
    rating = JourneyRating(terminal_ledger(config), stored.append)
    assert rating.skip().outcome == "not_rated"
    assert rating.skip() is None and rating.rate("very_satisfied").outcome == "not_rated"  # one outcome only
    second = JourneyRating(terminal_ledger(config), stored.append, "SB20261123000001", "社会保障卡申领")
    record = second.rate("satisfied")
    assert record.context.channel == "terminal" and record.case.case_no == "SB20261123000001"
    assert [r.outcome for r in stored] == ["not_rated", "rated"]
