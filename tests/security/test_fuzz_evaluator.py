"""Fuzzing the device API as an *evaluator*, which tests/server/test_schemathesis.py does not do.

That suite calls every operation with a terminal's token, so the evaluator-only operations
(``/api/v1/staff``, staff photos) stop at 403 there, and no rating event is ever generated. Here:
schemathesis over the operations an evaluator uses, with an evaluator's token, and hypothesis over
the ``rating`` event payload (every field replaced by arbitrary JSON). Nothing may answer 5xx, and
a rating event either becomes a rating or is kept as a rejected one: it never blocks the batch.
"""
from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from sqlalchemy import func, select

from server.models.ratings import Rating, RatingReject
from server.services.enrolment import ensure_default_site
from server.staff.seed import seed_staff
from tests.security.conftest import World
from tests.server.helpers import event
from tests.server.ratings.builders import payload

EVALUATOR_PATHS = ("/api/v1/staff", "/api/v1/staff/{staff_no}/photo", "/api/v1/rating-reasons",
                   "/api/v1/events", "/api/v1/heartbeat", "/api/v1/config")
FUZZ = settings(max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def test_evaluator_operations_never_fail(world: World) -> None:
    with world.ctx.transaction() as session:
        seed_staff(session, ensure_default_site(session))
    auth = world.principals["device_evaluator"].headers
    api = schemathesis.openapi.from_asgi("/openapi.json", world.client.app)
    operations = [r.ok() for r in api.get_all_operations()]
    chosen = [op for op in operations if op.path in EVALUATOR_PATHS]
    assert {op.path for op in chosen} == set(EVALUATOR_PATHS), "an evaluator operation left the OpenAPI document"
    for operation in chosen:
        @given(case=operation.as_strategy())
        @FUZZ
        def check(case: Any) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        check()


JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(max_size=30), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
FIELDS = sorted(payload("dissatisfied"))


@given(level=st.sampled_from(["very_satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied", None]),
       broken=st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=3),
       dropped=st.sets(st.sampled_from(FIELDS), max_size=2))
@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_any_rating_payload_is_stored_or_rejected_never_a_5xx(world: World, level: str | None,
                                                               broken: dict[str, Any], dropped: set[str]) -> None:
    body = {k: v for k, v in payload(level, staff_no="").items() if k not in dropped}
    body.update(broken)
    sent = event("rating", body)
    before = _counts(world)
    answer = world.call("device_evaluator", "POST", "/api/v1/events", json={"events": [sent]})
    assert answer.status_code == 200, f"{answer.status_code} {answer.text[:300]} for {body}"
    assert answer.json()["accepted"] == [sent["id"]]
    ratings, rejects = _counts(world)
    assert (ratings - before[0]) + (rejects - before[1]) == 1, "a rating event must become a rating or a reject"


def _counts(world: World) -> tuple[int, int]:
    with world.ctx.reading() as session:
        return (int(session.scalar(select(func.count()).select_from(Rating)) or 0),
                int(session.scalar(select(func.count()).select_from(RatingReject)) or 0))
