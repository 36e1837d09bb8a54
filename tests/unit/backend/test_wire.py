"""Parsing the content API's JSON: the contract's examples parse; anything else is ``bad_answer`` with its path."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.backend import wire
from kiosk.backend.base import BackendError
from tests.unit.backend.contract import sample

PARSERS = {
    "catalog": (wire.parse_catalog, lambda: sample("CATALOG")),
    "case": (wire.parse_case, lambda: {"case": sample("CASE")}),
    "cases": (wire.parse_cases, lambda: {"cases": [sample("CASE")]}),
    "certificates": (wire.parse_certificates, lambda: {"certificates": [sample("CERTIFICATE_SUMMARY")]}),
    "certificate": (wire.parse_certificate_document, lambda: sample("CERTIFICATE")),
    "receipt": (wire.parse_receipt, lambda: sample("RECEIPT")),
}


def test_catalog_parses_every_field():
    catalog = wire.parse_catalog(sample("CATALOG"))
    assert catalog.version == "2026.11.23-1" and catalog.sample_data
    item = catalog.items[0]
    assert item.name == "社会保障卡申领" and item.pinyin == "SHBZKSL" and item.department == "rsj"
    assert item.materials[0].scan and item.materials[0].copies == 1
    assert [f.kind for f in item.form] == ["choice", "date", "digits"]
    assert item.form[0].options == ("首次申领", "损坏换领", "遗失补领")
    assert item.form[2].min_len == item.form[2].max_len == 11
    assert item.locations[0].windows == "B区 12-15号窗口" and item.promised_days == 5


def test_case_steps_and_delivery():
    case = wire.parse_case({"case": sample("CASE")})
    assert case.status == "reviewed" and [s.code for s in case.steps] == ["received", "accepted", "reviewed", "issued"]
    assert case.steps[0].at is not None and case.steps[0].at.utcoffset().total_seconds() == 8 * 3600
    assert case.steps[2].at is None
    assert case.delivery is not None and case.delivery.tracking_no == "1190012345678"
    pickup = sample("CASE")
    pickup["delivery"] = None
    assert wire.parse_case({"case": pickup}).delivery is None


def test_certificate_document_has_the_certificate_fields():
    from kiosk.documents.certificate import Certificate

    fields = wire.parse_certificate_document(sample("CERTIFICATE"))
    certificate = Certificate(**fields)  # the journeys build the PDF from exactly these
    assert certificate.table_rows == [["养老保险", "2010-01"], ["医疗保险", "2010-01"]]
    assert certificate.issued_at.year == 2026


def test_receipt():
    receipt = wire.parse_receipt(sample("RECEIPT"))
    assert receipt.case_no == "SB20261123000001" and receipt.materials == ("居民身份证",)


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda c: c.pop("version"), "version: missing"),
    (lambda c: c.__setitem__("items", {}), "items: not a list"),
    (lambda c: c["items"][0].pop("name"), "items[0].name: missing"),
    (lambda c: c["items"][0]["materials"][0].__setitem__("copies", "1"), "items[0].materials[0].copies: not an integer"),
    (lambda c: c["items"][0]["materials"][0].__setitem__("copies", True), "items[0].materials[0].copies: not an integer"),
    (lambda c: c["items"][0]["form"][1].__setitem__("kind", "text"), "items[0].form[1].kind: not one of"),
    (lambda c: c["items"][0]["form"][0].__setitem__("options", []), "items[0].form[0].options: a choice needs options"),
    (lambda c: c["items"][0].__setitem__("department", "nosuch"), "items[0].department: unknown department"),
    (lambda c: c["departments"][0].__setitem__("name", 7), "departments[0].name: not a string"),
])
def test_malformed_catalog_names_the_field(mutate, path):
    catalog = sample("CATALOG")
    mutate(catalog)
    with pytest.raises(BackendError) as caught:
        wire.parse_catalog(catalog)
    assert caught.value.reason == "bad_answer"
    assert caught.value.detail.startswith(path)


@pytest.mark.parametrize(("value", "reason"), [("2026-11-20T09:31:00", "time without offset"),
                                               ("yesterday", "not an ISO-8601 time"), (12, "not an ISO-8601 time")])
def test_bad_times(value, reason):
    case = sample("CASE")
    case["steps"][0]["at"] = value
    with pytest.raises(BackendError) as caught:
        wire.parse_case({"case": case})
    assert caught.value.detail == f"case.steps[0].at: {reason}"


def test_error_reason_takes_only_contract_keys():
    assert wire.error_reason(404, {"detail": "case_not_found"}) == "case_not_found"
    assert wire.error_reason(422, {"detail": "form_invalid:start_date"}) == "form_invalid:start_date"
    assert wire.error_reason(404, {"detail": "Not Found"}) == "http_404"  # a missing route, not a refusal
    assert wire.error_reason(422, {"detail": [{"loc": ["body"], "msg": "x"}]}) == "http_422"
    assert wire.error_reason(502, "<html>bad gateway</html>") == "http_502"
    assert wire.error_reason(400, {"detail": "form_invalid:<script>"}) == "http_400"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children,
                                                                                       max_size=5),
                    max_leaves=25)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=JSON)
def test_arbitrary_json_only_ever_raises_bad_answer(name, data):
    parse, _valid = PARSERS[name]
    try:
        parse(data)
    except BackendError as exc:
        assert exc.reason == "bad_answer"


def _paths(value, prefix=()):
    """Every (path, leaf-or-container) inside a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=200, deadline=None)
@given(data=st.data(), replacement=JSON)
def test_valid_answer_with_one_field_replaced_never_crashes(name, data, replacement):
    """Near-miss answers (one field garbled somewhere deep) are the realistic failure: still only bad_answer."""
    parse, valid = PARSERS[name]
    answer = valid()
    paths = [p for p in _paths(answer) if p]
    path = data.draw(st.sampled_from(paths))
    holder = answer
    for step in path[:-1]:
        holder = holder[step]
    if data.draw(st.booleans()) and isinstance(holder, dict):
        del holder[path[-1]]
    else:
        holder[path[-1]] = replacement
    try:
        parse(json.loads(json.dumps(answer)))
    except BackendError as exc:
        assert exc.reason == "bad_answer"
        assert ": " in exc.detail  # "<path>: reason"
