"""Social-security card APDU logic without pcscd (the card model called directly), and
hypothesis fuzzing of the record/status parsing: only typed card errors may escape."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard.people import PEOPLE
from drivers.smartcard import errors
from drivers.smartcard.simulator import CardFaults, SocialSecurityCard, StaffCard
from drivers.smartcard.sscard import (
    SSSE_AID,
    bcd_date,
    exchange,
    read_record_apdu,
    read_sscard,
    read_uid,
    select_aid,
)


class Direct:
    """A card model as a Transmitter, with an APDU log."""

    def __init__(self, card):
        self.card, self.log = card, []

    def transmit(self, apdu: bytes):
        self.log.append(apdu)
        response = self.card.apdu(apdu)
        return response[:-2], int.from_bytes(response[-2:], "big")


def test_aid_is_sx1_sh_shehuibaozhang_in_gbk():
    assert SSSE_AID.hex().upper() == "7378312E73682EC9E7BBE1B1A3D5CF"
    assert select_aid(SSSE_AID)[:5] == bytes.fromhex("00A404000F")


def test_read_sequence_and_values():
    card = Direct(SocialSecurityCard(PEOPLE["li"]))
    identity = read_sscard(card)
    assert identity.name == PEOPLE["li"].name and identity.nation == "回族" and identity.sex == "女"
    assert card.log[0] == select_aid(SSSE_AID)
    assert all(a[:2] in (b"\x00\xA4", b"\x00\xB2") for a in card.log)
    assert read_record_apdu(8) == bytes.fromhex("00B2080400")


def test_wrong_le_is_followed():
    card = Direct(SocialSecurityCard(PEOPLE["zhang"]))
    exchange(card, select_aid(SSSE_AID), "select")
    exchange(card, bytes.fromhex("00A4020002EF06"), "select EF06")
    value = exchange(card, read_record_apdu(9, le=5), "name")  # card answers 6C20, we resend
    assert value[:2] == b"\x09\x1e" and card.log[-1][-1] == 32


def test_get_response_is_followed():
    answers = [(b"ab", 0x6103), (b"cde", 0x9000)]

    class Chunky:
        def transmit(self, apdu):
            return answers.pop(0)

    assert exchange(Chunky(), b"\x00\xB2\x01\x04\x00", "x") == b"abcde"


@pytest.mark.parametrize("sw, cls", [(0x6A82, errors.FileNotFoundSW), (0x6A83, errors.RecordNotFoundError),
                                     (0x6982, errors.SecurityError), (0x6D00, errors.UnsupportedCommandError),
                                     (0x6F00, errors.StatusWordError)])
def test_status_words_are_typed(sw, cls):
    class Card:
        def transmit(self, apdu):
            return b"", sw

    with pytest.raises(cls) as info:
        exchange(Card(), b"\x00\xB2\x01\x04\x00", "x")
    assert info.value.sw == sw and f"{sw:04X}" in str(info.value)


def test_wrong_aid():
    with pytest.raises(errors.ApplicationNotFound):
        read_sscard(Direct(SocialSecurityCard(PEOPLE["zhang"], faults=CardFaults(wrong_aid=True))))


def test_staff_uid():
    assert read_uid(Direct(StaffCard("0A0B0C0D"))) == "0A0B0C0D"


def test_bcd_dates():
    assert bcd_date(bytes.fromhex("19900307"), "x") == dt.date(1990, 3, 7)
    with pytest.raises(errors.CardDataError):
        bcd_date(bytes.fromhex("19901307"), "x")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from([5, 6, 8, 9, 10, 11, 13]), st.binary(max_size=40)))
def test_fuzz_records_raise_only_typed_errors(records):
    model = SocialSecurityCard(PEOPLE["zhang"])
    for ef in model.files.values():
        for rec, value in records.items():
            if rec in ef:
                ef[rec] = value
    try:
        read_sscard(Direct(model))
    except errors.SmartCardError:
        pass


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.binary(max_size=40), st.integers(0, 0xFFFF)), min_size=12, max_size=12))
def test_fuzz_any_card_answers_raise_only_typed_errors(answers):
    queue = list(answers)

    class Card:
        def transmit(self, apdu):
            return queue.pop(0) if queue else (b"", 0x6F00)

    try:
        read_sscard(Card())
    except errors.SmartCardError:
        pass



class ResetsAt(Direct):
    """A card reset just before the APDUs at these positions: it answers 69 86 (no current EF)."""

    def __init__(self, card, *positions: int):
        super().__init__(card)
        self.positions = set(positions)

    def transmit(self, apdu: bytes):
        if len(self.log) in self.positions:
            self.log.append(apdu)
            return b"", 0x6986
        return super().transmit(apdu)


def test_a_reset_during_the_read_is_read_again():
    card = ResetsAt(SocialSecurityCard(PEOPLE["li"]), 5)
    assert read_sscard(card).id_number == PEOPLE["li"].id_number
    assert card.log.count(card.log[0]) == 2  # the application was selected again


def test_a_card_that_keeps_resetting_is_a_typed_error():
    from drivers.smartcard.errors import StatusWordError

    card = ResetsAt(SocialSecurityCard(PEOPLE["li"]), 5, 12)  # once in each attempt
    with pytest.raises(StatusWordError):
        read_sscard(card)
