"""``kiosk read-card --idcard`` and ``kiosk sim idcard`` end to end, as child processes,
plus the ``kiosk doctor`` probe."""
from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

from drivers.idcard.people import PEOPLE
from drivers.idcard.probe import probe

KEYS = ["card_type", "name", "sex", "nation", "birth_date", "address", "id_number_masked", "issuer",
        "valid_from", "valid_until"]


def read_card(*args):
    return subprocess.run([sys.executable, "-m", "kiosk.cli", "read-card", *args], capture_output=True,
                          text=True, timeout=60)


def test_read_card_json_contract(idcard_sim_process):
    idcard_sim_process.place("li")
    out = read_card("--idcard", idcard_sim_process.path, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == KEYS
    li = PEOPLE["li"]
    assert data["id_number_masked"] == li.id_number[:4] + "*" * 10 + li.id_number[-4:]
    assert li.id_number not in out.stdout
    assert data["valid_until"] == "长期" and data["birth_date"] == "1958-11-20" and data["nation"] == "回族"

    unmasked = json.loads(read_card("--idcard", idcard_sim_process.path, "--json", "--unmasked").stdout)
    assert unmasked["id_number"] == li.id_number


def test_read_card_errors_are_one_line_and_non_zero(idcard_sim_process, tmp_path):
    out = read_card("--idcard", idcard_sim_process.path, "--json", "--timeout", "0.5")
    assert out.returncode != 0 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert "no card" in out.stderr

    idcard_sim_process.fault("sam", "on")
    out = read_card("--idcard", idcard_sim_process.path, "--json", "--timeout", "0.5")
    assert out.returncode != 0 and "self-test" in out.stderr and len(out.stderr.strip().splitlines()) == 1

    out = read_card("--idcard", str(tmp_path / "missing"), "--json")
    assert out.returncode != 0 and len(out.stderr.strip().splitlines()) == 1


def test_sim_survives_unplug_replug_behind_its_link(idcard_sim_process):
    idcard_sim_process.place("gat")
    idcard_sim_process.unplug()
    idcard_sim_process.replug()
    out = read_card("--idcard", idcard_sim_process.path, "--json")
    assert json.loads(out.stdout)["card_type"] == "gat"


def _config(port, decoder=None):
    return SimpleNamespace(port=port, baudrate=115200, fallback_baudrate=9600, photo_decoder=decoder, timeout_s=0.3)


def test_doctor_probe(sam_sim, tmp_path):
    health = probe(_config(sam_sim.path))
    assert health.is_ok and "05.01-" in health.detail and "without photos" in health.detail
    health = probe(_config(sam_sim.path, tmp_path / "libwlt.so"))
    assert health.state.value == "degraded" and health.reason == "photo_decoder_unusable"
    sam_sim.faults.sam_failed = True
    assert probe(_config(sam_sim.path)).reason == "sam_self_test"
    assert probe(_config(str(tmp_path / "nope"))).reason == "port_missing"


def test_doctor_probe_registered():
    from kiosk.probes import PROBES, resolve

    assert PROBES["idcard"] == "drivers.idcard.probe:probe"
    assert resolve("idcard") is probe
