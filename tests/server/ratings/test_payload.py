"""The rating payload reader: valid payloads pass, anything else is a one-line ValueError (never a crash)."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.models.ratings import RatingLevel
from server.ratings import payload as wire
from tests.server.ratings.builders import payload

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=20)
FIELDS = list(payload().keys())


@settings(deadline=None, max_examples=300)
@given(st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=12) | JSON)
def test_arbitrary_input_is_refused_cleanly(raw: Any) -> None:
    try:
        wire.parse(raw)
    except ValueError as exc:
        assert "\n" not in str(exc) and len(str(exc)) <= 300


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([*RatingLevel, None]), st.sampled_from(FIELDS), JSON)
def test_a_valid_payload_with_one_field_changed_is_read_or_refused(level, field: str, value: Any) -> None:  # type: ignore[no-untyped-def]
    body = payload(level.value if level else None)
    assert wire.parse(body).level == level
    body[field] = value
    try:
        wire.parse(body)
    except ValueError:
        pass


@pytest.mark.parametrize(("change", "message"), [
    ({"rated_at": "20260230T093000"}, "rated_at"), ({"rated_at": "2026-11-23T09:30"}, "rated_at"),
    ({"level": "great"}, "level"), ({"bad": True}, "bad"), ({"outcome": "maybe"}, "outcome"),
    ({"item_basic_code": "12345678901"}, "item_basic_code"), ({"reasons": ["Not A Code"]}, "reasons"),
])
def test_refusals_name_the_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wire.parse({**payload("satisfied"), **change})


def test_not_rated_must_carry_no_level() -> None:
    with pytest.raises(ValueError, match="not_rated"):
        wire.parse({**payload(None), "level": "satisfied", "bad": False})
    assert wire.parse(payload(None)).outcome == "not_rated"
