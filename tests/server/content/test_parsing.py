"""Property tests of what the content side parses: ID numbers, application forms, the item editor's text."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.content import demo_catalog, itemform
from server.content.adapter import Refusal
from server.content.intake import check_form
from server.content.people import CHECK_CHARS, check_char, valid_id_number

FORM = demo_catalog.FORMS["card"] + demo_catalog.FORMS["fund_rent"][1:2]


@given(st.text(max_size=40))
def test_any_text_is_just_not_an_id_number(text: str) -> None:
    assert valid_id_number(text) in (True, False)


@given(st.sampled_from(["370102", "110105", "440305"]), st.dates(date(1900, 1, 1), date(2025, 12, 31)),
       st.integers(0, 999))
def test_the_check_character_decides(region: str, born: date, sequence: int) -> None:
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    right = check_char(first17)
    assert valid_id_number(first17 + right) and valid_id_number((first17 + right).lower())
    for wrong in set(CHECK_CHARS) - {right}:
        assert not valid_id_number(first17 + wrong)


@given(st.dictionaries(st.sampled_from(["reason", "start_date", "phone", "monthly_rent", "x", "Bad Key"]),
                       st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=6))
def test_forms_are_accepted_or_refused_by_key(sent: dict) -> None:
    try:
        values = check_form(FORM, sent)
    except Refusal as refusal:
        assert refusal.status == 422 and refusal.reason.startswith("form_invalid:")
        key = refusal.reason.split(":", 1)[1]
        assert key in {f["key"] for f in FORM} | set(sent) | {"unknown"}
    else:
        assert set(values) == {f["key"] for f in FORM}
        assert values["reason"] in FORM[0]["options"] and len(values["phone"]) == 11


@pytest.mark.parametrize("row", demo_catalog.ITEMS, ids=[row[0] for row in demo_catalog.ITEMS])
def test_editor_text_round_trips(row: demo_catalog.Item) -> None:
    item = demo_catalog.item_body(row)
    values = {**itemform.to_text(item), **{k: str(item[k]) for k in ("impl_code", "name", "name_en", "fee",
                                                                      "legal_days", "promised_days", "online_url")},
              "department": item["department"], "themes": item["themes"], "functions": item["functions"]}
    assert itemform.parse(values) == item
