"""Reading the holder's identity from a social-security card (社会保障卡).

The card's SSSE application is selected by its AID (``sx1.sh.社会保障`` in GBK); the
identity lives in two elementary files read record by record with ``00 B2``:

* EF05 (card data): 05 issue date, 06 expiry date (BCD ``YYYYMMDD``), 07 card number.
* EF06 (holder): 08 social-security number = the ID number (ASCII), 09 name (GBK, space
  padded), 0A sex (``1``/``2``), 0B nation (one byte, the GB 3304 code in BCD),
  0D birth date (BCD).

Records come back as TLV (record tag, length, value). ``61 xx`` (more data: GET RESPONSE)
and ``6C xx`` (wrong Le: resend with xx) are handled as ISO 7816-4 says, so T=0 cards work.
"""
from __future__ import annotations

import datetime as dt
from typing import Protocol

from drivers.idcard.identity import CardType, Identity
from drivers.idcard.idnumber import birth_date_of, validate_id_number
from drivers.idcard.nations import nation_name, sex_name
from drivers.idcard.errors import InvalidIdNumber
from drivers.smartcard.errors import (
    ApplicationNotFound,
    CardDataError,
    FileNotFoundSW,
    StatusWordError,
    status_word_error,
)

SSSE_AID = bytes.fromhex("7378312E73682E") + "社会保障".encode("gbk")
EF05, EF06 = b"\xEF\x05", b"\xEF\x06"
REC_ISSUE_DATE, REC_EXPIRY, REC_CARD_NO = 0x05, 0x06, 0x07
REC_ID_NUMBER, REC_NAME, REC_SEX, REC_NATION, REC_BIRTH = 0x08, 0x09, 0x0A, 0x0B, 0x0D
SS_LAYOUT = "SSC"  # marks an Identity that came from a social-security card


class Transmitter(Protocol):
    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...


def select_aid(aid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid


def select_file(fid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x00, len(fid)]) + fid


def read_record_apdu(record: int, le: int = 0) -> bytes:
    # P2 = 04: P1 is a record number in the currently selected EF.
    return bytes([0x00, 0xB2, record, 0x04, le])


def exchange(card: Transmitter, apdu: bytes, what: str) -> bytes:
    """Send an APDU, follow 61xx/6Cxx, and raise a typed error for any other non-9000."""
    data, sw = card.transmit(apdu)
    if sw >> 8 == 0x6C:  # wrong Le: the card says how many bytes it has
        data, sw = card.transmit(apdu[:-1] + bytes([sw & 0xFF]))
    chunks = [data]
    while sw >> 8 == 0x61:  # more data waiting
        data, sw = card.transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]))
        chunks.append(data)
    if sw != 0x9000:
        raise status_word_error(sw, what)
    return b"".join(chunks)


def _tlv_value(record: int, raw: bytes) -> bytes:
    if len(raw) >= 2 and raw[0] == record and raw[1] == len(raw) - 2:
        return raw[2:]
    return raw  # some cards return the bare value


def read_record(card: Transmitter, record: int) -> bytes:
    return _tlv_value(record, exchange(card, read_record_apdu(record), f"record {record:02X}"))


def bcd_date(raw: bytes, what: str) -> dt.date:
    digits = raw[:4].hex()
    try:
        return dt.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        raise CardDataError(f"{what} is not a BCD YYYYMMDD date") from None


SW_NO_CURRENT_EF = 0x6986


def read_sscard(card: Transmitter, today: dt.date | None = None) -> Identity:
    """Select the application and read the holder's identity; typed errors on failure.

    A card that is reset while we read (re-seated, or a late power-up by the reader after
    insertion) forgets its selected file and answers 69 86; the read is then done once more
    from the start rather than reported as a card fault.
    """
    try:
        return _read_sscard_once(card, today)
    except StatusWordError as exc:
        if exc.sw != SW_NO_CURRENT_EF:
            raise
    return _read_sscard_once(card, today)


def _read_sscard_once(card: Transmitter, today: dt.date | None) -> Identity:
    try:
        exchange(card, select_aid(SSSE_AID), "select SSSE")
    except FileNotFoundSW as exc:
        raise ApplicationNotFound(exc.sw, "not a social-security card") from None
    exchange(card, select_file(EF05), "select EF05")
    issued = bcd_date(read_record(card, REC_ISSUE_DATE), "issue date")
    expiry = bcd_date(read_record(card, REC_EXPIRY), "expiry date")
    exchange(card, select_file(EF06), "select EF06")
    raw_number = read_record(card, REC_ID_NUMBER).decode("ascii", errors="replace").strip(" \x00")
    name = read_record(card, REC_NAME).decode("gbk", errors="replace").strip(" \x00")
    sex_code = read_record(card, REC_SEX).decode("ascii", errors="replace").strip(" \x00")
    nation_code = read_record(card, REC_NATION)[:1].hex()
    birth = bcd_date(read_record(card, REC_BIRTH), "birth date")
    try:
        number = validate_id_number(raw_number, today)
    except InvalidIdNumber as exc:
        raise CardDataError(str(exc)) from None
    if birth_date_of(number) != birth:
        raise CardDataError("ID number does not match the card's birth date")
    return Identity(
        card_type=CardType.RESIDENT, name=name, sex=sex_name(sex_code), nation=nation_name(nation_code),
        birth_date=birth, address="", id_number=number, issuer="", valid_from=issued, valid_until=expiry,
        layout=SS_LAYOUT, sex_code=sex_code, nation_code=nation_code,
    )


GET_UID = bytes.fromhex("FFCA000000")


def read_uid(card: Transmitter) -> str:
    """The contactless card's UID (PC/SC part 3 GET DATA), as upper-case hex."""
    uid = exchange(card, GET_UID, "get UID")
    if not uid:
        raise CardDataError("empty UID")
    return uid.hex().upper()
