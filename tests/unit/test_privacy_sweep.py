"""The end-of-run privacy sweep finds full ID numbers in every encoding the app could write."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, strategies as st

from drivers.idcard.idnumber import check_char
from tests.fixtures.privacy_sweep import id_numbers_in, sweep

NUMBER = "11010519491231002" + check_char("11010519491231002")


def test_finds_a_number_in_utf8_gb18030_and_utf16(tmp_path: Path) -> None:
    tmp_path = tmp_path / "planted-ids"  # declared in INPUTS, so the real sweep skips what this test plants
    tmp_path.mkdir()
    (tmp_path / "a.log").write_text(f'{{"msg": "card {NUMBER} read"}}', encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(f"张三 {NUMBER}".encode("gb18030"))
    (tmp_path / "c.bin").write_bytes(("姓名张三" + NUMBER).encode("utf-16-le"))
    (tmp_path / "d.db").write_bytes(b"\x00SQLite" + b"\x01" + ("x" + NUMBER).encode("utf-16-le"))
    found = sweep([tmp_path], inputs={})
    assert len(found) == 4 and all("1101**********" in line and NUMBER not in line for line in found)


def test_masked_numbers_wrong_check_digits_and_declared_inputs_pass(tmp_path: Path) -> None:
    tmp_path = tmp_path / "planted-ids"
    tmp_path.mkdir()
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    (tmp_path / "log.txt").write_text(f"1101**********{NUMBER[-4:]} {wrong} 2026112312000012345678")
    (tmp_path / "idcard-sim-1").mkdir()
    (tmp_path / "idcard-sim-1" / "card.json").write_text(NUMBER)
    assert sweep([tmp_path], inputs={"*/idcard-sim*/*.json": "simulator input"}) == []


@given(st.binary(max_size=300))
def test_any_bytes_are_scanned_without_error(data: bytes) -> None:
    assert id_numbers_in(data) >= set()
    assert NUMBER in id_numbers_in(data + b" " + NUMBER.encode())
