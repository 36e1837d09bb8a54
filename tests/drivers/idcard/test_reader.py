"""The driver against the simulator over a real pty: every card, every fault."""
from __future__ import annotations

import pytest

from drivers.idcard import errors
from drivers.idcard.link import SerialLink
from drivers.idcard.people import PEOPLE
from drivers.idcard.reader import SamReader


@pytest.mark.parametrize("key", ["zhang", "li", "gat", "foreigner2017", "foreigner2023"])
def test_reads_every_layout(sam_sim, sam_reader, key):
    sam_sim.place(PEOPLE[key])
    assert sam_reader.read_identity() == PEOPLE[key]


def test_sam_id_and_reset(sam_reader):
    assert sam_reader.sam_id() == "05.01-20101206-0012345678-0987654321"
    sam_reader.reset_sam()


def test_read_with_fingerprint(sam_sim, sam_reader):
    sam_sim.place(PEOPLE["zhang"])
    assert sam_reader.find_card()
    sam_reader.select_card()
    record = sam_reader.read_record(with_fingerprint=True)
    assert len(record.text) == 256 and len(record.photo) == 1024 and len(record.fingerprint) == 1024


def test_no_card(sam_reader):
    assert sam_reader.find_card() is False
    with pytest.raises(errors.NoCardError):
        sam_reader.read_identity()


def test_checksum_errors_are_counted_and_retried(sam_sim, sam_reader):
    sam_sim.place(PEOPLE["zhang"])
    sam_sim.faults.checksum_every = 3
    for _ in range(3):
        assert sam_reader.read_identity() == PEOPLE["zhang"]
    assert sam_reader.link.stats.garbled_frames >= 2
    assert sam_reader.link.stats.retries >= 2


def test_slow_answers_within_deadline(sam_sim, sam_reader):
    sam_sim.place(PEOPLE["li"])
    sam_sim.faults.delay_s = 0.05
    assert sam_reader.read_identity() == PEOPLE["li"]


def test_too_slow_answers_time_out_after_bounded_retries(sam_sim, sam_reader):
    sam_sim.faults.delay_s = 3.0  # far beyond the 0.3 s deadline: a silent reader
    with pytest.raises(errors.FrameTimeout):
        sam_reader.sam_id()
    assert sam_reader.link.stats.timeouts == 3  # one try + two retries, then give up


def test_sam_self_test_failure(sam_sim, sam_reader):
    sam_sim.faults.sam_failed = True
    with pytest.raises(errors.SamSelfTestError):
        sam_reader.sam_id()


def test_card_removed_mid_read(sam_sim, sam_reader):
    sam_sim.place(PEOPLE["gat"])
    sam_sim.faults.remove_mid_read = True
    with pytest.raises(errors.NoCardError):
        sam_reader.read_identity()
    assert sam_reader.link.stats.timeouts >= 1
    sam_sim.place(PEOPLE["gat"])
    assert sam_reader.read_identity() == PEOPLE["gat"]


def test_invalid_card_is_a_clear_error(sam_sim, sam_reader):
    sam_sim.place(PEOPLE["badcheck"])
    with pytest.raises(errors.InvalidIdNumber) as info:
        sam_reader.read_identity()
    assert info.value.reason == "check_digit"


def test_unplug_and_replug(sam_sim, sam_reader):
    sam_sim.place(PEOPLE["zhang"])
    sam_sim.unplug()
    with pytest.raises(errors.ReaderUnavailable):
        sam_reader.find_card()
    with pytest.raises(errors.ReaderUnavailable):
        SamReader.open(sam_sim.path)
    sam_sim.replug()
    assert sam_reader.find_card()  # the link reopens the same (symlinked) path itself
    assert sam_reader.link.stats.reopens == 1


def test_missing_port_is_reader_unavailable(tmp_path):
    with pytest.raises(errors.ReaderUnavailable):
        SamReader.open(str(tmp_path / "nothing"))


def test_garbage_on_the_line_is_skipped(sam_sim, sam_reader):
    import os

    sam_sim.place(PEOPLE["zhang"])
    os.write(sam_sim._master, b"\x00\xAA\xAA\x55 noise after hot-plug")
    assert sam_reader.read_identity() == PEOPLE["zhang"]


def test_baudrate_fallback_is_tried():
    speeds = []

    class FakeSerial:
        def __init__(self, port, baudrate):
            self.baudrate = baudrate

    link = SerialLink("/dev/fake", 115200, 9600, serial_factory=FakeSerial)
    link.open()

    def probe():
        speeds.append(link.baudrate)
        if link.baudrate != 9600:
            raise errors.FrameTimeout("silent at this speed")

    assert link.negotiate_baudrate(probe) == 9600
    assert speeds == [115200, 9600]


def test_simulator_answers_a_corrupted_command_with_status_10(sam_sim):
    import serial

    from drivers.idcard.protocol import decode_response, encode_command, Command

    bad = bytearray(encode_command(Command.SAM_ID))
    bad[-1] ^= 0x01
    with serial.Serial(sam_sim.path, timeout=1) as port:
        port.write(bytes(bad))
        answer = port.read(11)
        assert decode_response(answer).sw3 == 0x10
        port.write(encode_command((0x55, 0x01)))
        assert decode_response(port.read(11)).sw3 == 0x21


def test_simulator_control_lines(sam_sim):
    from drivers.idcard.simulator import _control

    assert _control(sam_sim, "place gat") == "OK" and sam_sim._card == PEOPLE["gat"]
    assert _control(sam_sim, "fault checksum 4") == "OK" and sam_sim.faults.checksum_every == 4
    assert _control(sam_sim, "fault clear") == "OK" and sam_sim.faults.checksum_every == 0
    assert _control(sam_sim, "bogus").startswith("ERR")
    assert _control(sam_sim, "quit") is None
