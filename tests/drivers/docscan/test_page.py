"""Page outline, perspective correction and enhancement on generated photos of a Chinese form."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from drivers.docscan.capture import process_photo
from drivers.docscan.enhance import enhance
from drivers.docscan.page import find_page, order_corners, rectify
from drivers.docscan.synthetic import empty_desk, photograph, render_page


def test_page_corners_found_within_a_few_pixels(page_photos):
    for photo in page_photos:
        corners = find_page(photo.image)
        assert corners is not None
        assert np.abs(corners - photo.corners).max() < 6


@pytest.mark.parametrize("seed", range(4))
def test_empty_desk_has_no_page(seed):
    assert find_page(empty_desk(seed).image) is None
    result = process_photo(empty_desk(seed).image)
    assert (result.found, result.reason) == (False, "no_page")


def test_straightened_page_has_the_page_proportions(page_photos):
    for photo in page_photos:
        flat = rectify(photo.image, find_page(photo.image))
        pw, ph = photo.page_size
        assert abs(flat.shape[0] / flat.shape[1] - ph / pw) < 0.06


def test_straightened_page_matches_the_original_layout(page_photos):
    """Correlation of the enhanced capture with the flat page it was photographed from."""
    import cv2

    photo = page_photos[0]
    result = process_photo(photo.image)
    original = render_page(seed=0)
    page = cv2.resize(result.page, (original.shape[1], original.shape[0]), interpolation=cv2.INTER_AREA)
    ink_original = cv2.GaussianBlur(255 - original, (0, 0), 3).astype(np.float32).ravel()
    ink_capture = cv2.GaussianBlur(255 - page, (0, 0), 3).astype(np.float32).ravel()
    assert np.corrcoef(ink_original, ink_capture)[0, 1] > 0.6


def test_enhance_flattens_uneven_light():
    """Paper that is 150 on one side and 230 on the other comes out evenly white."""
    page = render_page(seed=1).astype(np.float32)
    ramp = np.linspace(0.6, 0.92, page.shape[1])[None, :]
    lit = (page * ramp).astype(np.uint8)
    out = enhance(lit)
    h, w = out.shape
    left, right = out[h // 2:, : w // 10], out[h // 2:, -w // 10:]
    assert abs(float(np.median(left)) - float(np.median(right))) < 10
    assert np.median(out) > 230
    assert set(np.unique(enhance(lit, "bw"))) <= {0, 255}


@given(st.permutations(range(4)))
def test_order_corners_from_any_order(perm):
    square = np.float32([[10, 10], [110, 20], [100, 140], [5, 120]])
    assert np.array_equal(order_corners(square[list(perm)]), square)


def test_small_page_below_min_area_is_not_a_page():
    photo = photograph(render_page(seed=2), seed=2, fill=0.25)
    assert find_page(photo.image, min_area=0.15) is None
    assert find_page(photo.image, min_area=0.03) is not None


def test_a_square_card_keeps_its_own_proportions():
    from drivers.docscan.page import page_size

    assert page_size(np.float32([[0, 0], [100, 0], [100, 100], [0, 100]])) == (100, 100)
    assert page_size(np.float32([[0, 0], [100, 0], [100, 130], [0, 130]])) == (100, 141)  # snapped to A4
    assert page_size(np.float32([[0, 0], [130, 0], [130, 100], [0, 100]])) == (141, 100)  # landscape
