"""``kiosk scan --image FILE --json``: the acceptance contract."""
from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np

from drivers.scanner.synthetic import make_scene
from kiosk.cli import main


def _write(tmp_path, image, name="code.png"):
    path = tmp_path / name
    cv2.imwrite(str(path), image)
    return str(path)


def test_json_list_with_exact_keys(tmp_path, capsys):
    payload = "不动产登记".encode("gbk")
    path = _write(tmp_path, make_scene(21, 0.1, (320, 240), payload=payload).image)
    assert main(["scan", "--image", path, "--json"]) == 0
    [obj] = json.loads(capsys.readouterr().out)
    assert obj == {"format": "QRCode", "text": "不动产登记", "bytes_hex": payload.hex(), "encoding": "gb18030"}


def test_two_codes_in_one_picture(tmp_path, capsys):
    left = make_scene(22, 0.0, (320, 240), payload=b"ZWFW:CASE:2026-000001").image
    right = make_scene(23, 0.0, (320, 240), payload="办件".encode()).image
    path = _write(tmp_path, np.hstack([left, right]), "two.jpg")
    assert main(["scan", "--image", path, "--json"]) == 0
    found = {(o["text"], o["encoding"]) for o in json.loads(capsys.readouterr().out)}
    assert found == {("ZWFW:CASE:2026-000001", "utf-8"), ("办件", "utf-8")}


def test_no_code_is_an_empty_list(tmp_path, capsys):
    path = _write(tmp_path, np.full((100, 100), 200, np.uint8))
    assert main(["scan", "--image", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unreadable_file_one_line_error_nonzero(tmp_path):
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"hello")
    for path in (str(bad), str(tmp_path / "missing.png")):
        out = subprocess.run([sys.executable, "-m", "kiosk.cli", "scan", "--image", path, "--json"],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode != 0
        assert out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
