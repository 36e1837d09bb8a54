"""Card text layouts, ID-number validation and code tables."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard.cardtext import TEXT_SIZE, build_text, layout_of, parse_text, values_of
from drivers.idcard.errors import CardDataError, InvalidIdNumber
from drivers.idcard.identity import CardType
from drivers.idcard.idnumber import check_char, make_id_number, validate_id_number
from drivers.idcard.nations import NATIONS, nation_name, sex_name
from drivers.idcard.people import PEOPLE

VALID = [p for k, p in PEOPLE.items() if k != "badcheck"]


@pytest.mark.parametrize("person", VALID, ids=[p.layout or "resident" for p in VALID])
def test_every_layout_round_trips(person):
    text = build_text(person.layout, values_of(person))
    assert len(text) == TEXT_SIZE
    assert layout_of(text) == person.layout
    assert parse_text(text, person.photo_wlt) == person


def test_resident_fields_at_their_offsets():
    p = PEOPLE["zhang"]
    text = build_text("", values_of(p))
    assert text[0:30].decode("utf-16-le").strip() == p.name
    assert text[30:32].decode("utf-16-le") == "1"
    assert text[32:36].decode("utf-16-le") == "01"
    assert text[36:52].decode("utf-16-le") == "19900307"
    assert text[122:158].decode("utf-16-le") == p.id_number
    assert text[248:250] == b" \x00"


@pytest.mark.parametrize("key, mark", [("gat", "J"), ("foreigner2017", "I"), ("foreigner2023", "Y")])
def test_type_mark_at_offset_248(key, mark):
    text = build_text(PEOPLE[key].layout, values_of(PEOPLE[key]))
    assert text[248:250].decode("utf-16-le") == mark


def test_card_types_and_open_end():
    assert PEOPLE["gat"].card_type is CardType.GAT
    assert PEOPLE["foreigner2017"].card_type is CardType.FOREIGNER
    li = parse_text(build_text("", values_of(PEOPLE["li"])))
    assert li.valid_until is None and li.public_dict("x")["valid_until"] == "长期"
    assert not li.is_expired(dt.date(2099, 1, 1))
    assert PEOPLE["expired"].is_expired(dt.date(2026, 1, 1))


def test_identity_repr_hides_personal_data():
    p = PEOPLE["zhang"]
    for text in (repr(p), str(p), f"{p}"):
        assert p.name not in text and p.id_number not in text


def test_gb11643_standard_examples():
    assert validate_id_number("11010519491231002X") == "11010519491231002X"
    assert validate_id_number("440524188001010014".replace("1880", "1980")[:17]
                              + check_char("440524198001010014"[:17])).startswith("4405")
    assert check_char("11010519491231002") == "X"


@pytest.mark.parametrize("number, reason", [
    ("1101051949123100", "length"),
    ("11010519491231002A", "format"),
    ("110105194913310021", "birth_date"),
    ("110105194912310021", "check_digit"),
])
def test_invalid_numbers_have_clear_reasons(number, reason):
    with pytest.raises(InvalidIdNumber) as info:
        validate_id_number(number)
    assert info.value.reason == reason
    assert number not in str(info.value)


def test_card_with_bad_check_digit_is_refused():
    bad = PEOPLE["badcheck"]
    with pytest.raises(InvalidIdNumber):
        parse_text(build_text("", values_of(bad)))


def test_number_must_match_birth_date():
    p = PEOPLE["zhang"]
    values = values_of(p) | {"birth": "19900308"}
    with pytest.raises(InvalidIdNumber) as info:
        parse_text(build_text("", values))
    assert info.value.reason == "birth_date"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)), st.integers(0, 999))
def test_made_numbers_validate(birth, seq):
    number = make_id_number("110101", birth, seq)
    assert validate_id_number(number) == number


def test_nation_table_is_complete():
    assert len([c for c in NATIONS if int(c) <= 56]) == 56
    assert nation_name("01") == "汉族" and nation_name("56") == "基诺族" and nation_name("1") == "汉族"
    assert nation_name("99") == "99"
    assert (sex_name("1"), sex_name("2"), sex_name("9")) == ("男", "女", "未说明")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(min_size=TEXT_SIZE, max_size=TEXT_SIZE))
def test_fuzz_text_parser_raises_only_card_data_errors(text):
    try:
        parse_text(text)
    except CardDataError:
        pass
