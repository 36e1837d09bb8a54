"""Frame codec of the SAM protocol, checked against byte strings from the protocol itself
(as readers and vendor SDKs send them), not only against our own encoder."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import errors
from drivers.idcard.protocol import (
    PREAMBLE,
    CardRecord,
    Command,
    FrameDecoder,
    Response,
    build_read_data,
    decode_response,
    encode_command,
    encode_response,
    parse_read_data,
)

H = bytes.fromhex


@pytest.mark.parametrize("command, wire", [
    (Command.FIND_CARD, "AAAAAA9669 0003 2001 22"),
    (Command.SELECT_CARD, "AAAAAA9669 0003 2002 21"),
    (Command.READ_TEXT_PHOTO, "AAAAAA9669 0003 3001 32"),
    (Command.READ_WITH_FINGERPRINT, "AAAAAA9669 0003 3010 23"),
    (Command.SAM_ID, "AAAAAA9669 0003 12FF EE"),
    (Command.RESET_SAM, "AAAAAA9669 0003 10FF EC"),
])
def test_commands_are_the_documented_bytes(command, wire):
    assert encode_command(command) == H(wire.replace(" ", ""))


def test_find_card_answer_from_a_real_reader_decodes():
    # length 8 = SW1 SW2 SW3 + 4 data + check; check = XOR of 00 08 00 00 9F 00 00 00 00
    r = decode_response(H("AAAAAA96690008 00009F 00000000 97"))
    assert (r.sw1, r.sw2, r.sw3, r.data) == (0, 0, 0x9F, bytes(4))
    assert r.check(Command.FIND_CARD) is r


def test_no_card_answer_raises_typed_error():
    r = decode_response(H("AAAAAA9669 0004 000080 84"))
    with pytest.raises(errors.NoCardError):
        r.check(Command.FIND_CARD)


def test_length_counts_sw_data_and_check_byte():
    frame = encode_response(0x90, b"\x01\x02")
    assert frame[5:7] == (3 + 2 + 1).to_bytes(2, "big")


@pytest.mark.parametrize("code, cls", sorted(errors.STATUS_ERRORS.items()))
def test_every_status_code_has_its_exception(code, cls):
    with pytest.raises(cls) as info:
        Response(0, 0, code, b"").check(Command.READ_TEXT_PHOTO)
    assert info.value.code == code and f"0x{code:02X}" in str(info.value)


def test_unknown_status_is_still_typed():
    with pytest.raises(errors.StatusError):
        Response(0, 0, 0x77, b"").check(Command.SAM_ID)


def test_success_code_depends_on_command():
    with pytest.raises(errors.StatusError):
        Response(0, 0, 0x90, b"").check(Command.FIND_CARD)  # find must say 9F
    with pytest.raises(errors.StatusError):
        Response(0, 0, 0x9F, b"").check(Command.SELECT_CARD)


def test_resync_after_garbage_and_split_feeds():
    frame = encode_response(0x90, b"abc")
    d = FrameDecoder()
    for i, byte in enumerate(b"\x00\xAA\x13\xAA\xAA" + frame):
        d.feed(bytes([byte]))
        body = d.next_body()
        if body is not None:
            break
    assert body == b"\x00\x00\x90abc"
    assert d.skipped_bytes == 5


def test_checksum_error_then_next_frame_still_decodes():
    bad = bytearray(encode_response(0x90, b"x"))
    bad[-1] ^= 0x55
    good = encode_response(0x9F, bytes(4))
    d = FrameDecoder()
    d.feed(bytes(bad) + good)
    with pytest.raises(errors.ChecksumError):
        d.next_body()
    assert Response.from_body(d.next_body()).sw3 == 0x9F


def test_impossible_length_is_a_length_error_and_resyncs():
    d = FrameDecoder()
    d.feed(PREAMBLE + b"\xFF\xFF" + encode_response(0x90))
    with pytest.raises(errors.FrameLengthError):
        d.next_body()
    assert d.next_body() == b"\x00\x00\x90"


def test_read_data_uses_the_length_fields():
    record = CardRecord(b"T" * 256, b"P" * 1024)
    data = build_read_data(record)
    assert data[:4] == H("01000400")  # text 256, photo 1024, big-endian
    assert parse_read_data(data) == record
    fp = CardRecord(b"T" * 256, b"P" * 1024, b"F" * 1024)
    assert build_read_data(fp, True)[:6] == H("010004000400")
    assert parse_read_data(build_read_data(fp, True), True) == fp
    with pytest.raises(errors.UnexpectedResponse):
        parse_read_data(data[:-1])


# --- fuzzing: only typed protocol errors may escape the decoder -------------------------
@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_fuzz_decoder_raises_only_protocol_errors(chunks):
    d = FrameDecoder()
    for chunk in chunks:
        d.feed(chunk)
        for _ in range(50):
            try:
                body = d.next_body()
            except errors.ProtocolError:
                continue
            if body is None:
                break
            try:
                Response.from_body(body)
            except errors.ProtocolError:
                pass


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.binary(max_size=8).filter(lambda b: 0xAA not in b),
                          st.integers(0, 255), st.binary(max_size=300)), max_size=6),
       st.integers(1, 50))
def test_fuzz_frames_in_noise_are_all_recovered(items, chunk):
    frames = [encode_response(sw3, data) for _, sw3, data in items]
    stream = b"".join(noise + frame for (noise, _, _), frame in zip(items, frames))
    d = FrameDecoder()
    got = []
    for i in range(0, len(stream), chunk):
        d.feed(stream[i:i + chunk])
        while (body := d.next_body()) is not None:
            got.append(body)
    assert got == [f[7:-1] for f in frames]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(min_size=8, max_size=200), st.integers(0, 10_000))
def test_fuzz_corrupted_frames_never_escape_untyped(data, flip):
    frame = bytearray(encode_response(0x90, data))
    frame[flip % len(frame)] ^= 1 << (flip % 8)
    d = FrameDecoder()
    d.feed(bytes(frame))
    try:
        while d.next_body() is not None:
            pass
    except errors.ProtocolError:
        pass


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(max_size=2400), st.booleans())
def test_fuzz_read_data_parser(data, fp):
    try:
        parse_read_data(data, fp)
    except errors.ProtocolError:
        pass
