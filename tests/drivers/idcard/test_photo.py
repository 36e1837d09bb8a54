"""The optional WLT decoder: loaded by path through ctypes; a stand-in vendor library is
compiled here (the real one is proprietary) with the vendor's ``unpack`` signature."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from drivers.idcard.people import PEOPLE
from drivers.idcard.photo import BMP_SIZE, PhotoDecoderError, WltDecoder, load_decoder
from drivers.idcard.reader import SamReader

FAKE_LIB = r"""
int unpack(char *wlt, unsigned char *bmp, int flag) {
    if (flag != 708) return -1;
    bmp[0] = 'B'; bmp[1] = 'M';
    for (int i = 2; i < 38862; i++) bmp[i] = (unsigned char) wlt[i % 1024];
    return 1;
}
"""


@pytest.fixture(scope="module")
def fake_libwlt(tmp_path_factory):
    if shutil.which("gcc") is None:
        pytest.skip("no C compiler to build the stand-in library")
    folder = tmp_path_factory.mktemp("wlt")
    (folder / "wlt.c").write_text(FAKE_LIB)
    lib = folder / "libwlt.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(lib), str(folder / "wlt.c")], check=True)
    return lib


def test_decoder_unpacks_to_bmp(fake_libwlt):
    image = WltDecoder(fake_libwlt)(bytes(range(256)) * 4)
    assert image is not None and image[:2] == b"BM" and len(image) == BMP_SIZE


def test_wrong_size_photo_is_skipped(fake_libwlt):
    assert WltDecoder(fake_libwlt)(b"short") is None


def test_missing_or_bad_library(tmp_path):
    with pytest.raises(PhotoDecoderError):
        WltDecoder(tmp_path / "nope.so")
    (tmp_path / "bad.so").write_bytes(b"not a library")
    decoder, note = load_decoder(tmp_path / "bad.so")
    assert decoder is None and "without photos" in note
    assert load_decoder(None)[0] is None


def test_reader_attaches_the_photo(fake_libwlt, sam_sim):
    sam_sim.place(PEOPLE["zhang"])
    with SamReader.open(sam_sim.path, timeout_s=0.3, photo_decoder=WltDecoder(fake_libwlt)) as reader:
        identity = reader.read_identity()
    assert identity.photo_image is not None and identity.photo_image[:2] == b"BM"
    assert identity == PEOPLE["zhang"]


def test_without_decoder_there_is_no_photo(sam_reader, sam_sim):
    sam_sim.place(PEOPLE["zhang"])
    identity = sam_reader.read_identity()
    assert identity.photo_image is None and len(identity.photo_wlt) == 1024
