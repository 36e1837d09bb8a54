"""The 好差评 routes the matrix can only check at route level (``Rule.object_level``), on real objects.

Which case or claim a user may act on depends on the object (server/ratings/access.py): admin and
supervisor act on every department's bad ratings, a ``department`` user only on its own
department's, technician and viewer on none. A bad rating of department ``gaj`` is planted with a
claim on it; every role (and a department user of ``gaj`` itself) then tries every action on it.
The refusal must come before any state check, so the answer tells allowed from refused whatever
state earlier cells left the case in.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server.models.people import ROLES
from server.models.ratings import DepartmentMember, MaliciousClaim, RectificationCase
from server.ratings import access, claims
from tests.security.conftest import World, sign_in_user
from tests.server.helpers import add_user
from tests.server.ratings.builders import add_rating, org

SUPERVISING = set(access.SUPERVISING)
OWN = "department_own"  # a department user of the rating's department
WHO = [*ROLES, OWN]
# action -> who may: every department-level action admits the own department too
ACTIONS = {
    "visit": SUPERVISING | {OWN},
    "review": SUPERVISING,
    "reassign": SUPERVISING,
    "claim": SUPERVISING | {OWN},
    "decide": SUPERVISING - {"admin"},  # admin filed the claim; nobody decides their own claim
    "evidence": SUPERVISING | {OWN},
}


@pytest.fixture(scope="module")
def case(world: World) -> dict[str, object]:
    ctx = world.ctx
    with ctx.transaction() as session:
        org(session)
        rating = add_rating(session, "very_dissatisfied", department="gaj")
        rating.contact_phone = "13812345678"  # as the QR page stores a phone the rater leaves
        session.flush()
        case_id = session.scalar(select(RectificationCase.id).where(RectificationCase.rating_id == rating.id))
        admin = access.Actor("sec_admin", "admin")
        claim = claims.claim(session, rating.id, admin, "录音证明为恶意差评", file=b"evidence text",
                             filename="e.txt", content_type="text/plain")
        rating_id, claim_id = rating.id, claim.id
    add_user(ctx, "sec_gaj", "department")
    with ctx.transaction() as session:
        from server.models import User

        uid = session.scalar(select(User.id).where(User.username == "sec_gaj"))
        session.add(DepartmentMember(user_id=uid, department_code="gaj"))
    world.principals[OWN] = sign_in_user(world.client, "sec_gaj", "department")
    return {"case": case_id, "rating": rating_id, "claim": claim_id}


def _act(world: World, who: str, action: str, ids: dict[str, object]):  # type: ignore[no-untyped-def]
    csrf = world.principals[who].csrf
    if action in ("visit", "review"):
        return world.call(who, "POST", f"/ratings/cases/{ids['case']}/{action}",
                          data={"csrf": csrf, "note": "已电话回访群众", "satisfied": "yes"})
    if action == "reassign":
        return world.call(who, "POST", f"/ratings/cases/{ids['case']}/reassign", data={"csrf": csrf, "department": "gaj"})
    if action == "claim":
        return world.call(who, "POST", f"/ratings/{ids['rating']}/claim", data={"csrf": csrf, "evidence": "x"})
    if action == "decide":
        return world.call(who, "POST", f"/ratings/claims/{ids['claim']}/decide",
                          data={"csrf": csrf, "decision": "reject", "note": "x"})
    return world.call(who, "GET", f"/ratings/claims/{ids['claim']}/evidence")


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", WHO)
def test_object_level_rule(world: World, case: dict[str, object], who: str, action: str) -> None:
    answer = _act(world, who, action, case)
    assert answer.status_code < 500, answer.text[:300]
    if who in ACTIONS[action]:
        assert answer.status_code != 403, f"{who} refused {action}: {answer.text[:200]}"
    else:
        assert answer.status_code == 403, f"{who} allowed {action}: {answer.status_code} {answer.text[:200]}"


@pytest.mark.parametrize("who", WHO)
def test_rater_phone_is_clear_only_for_who_acts_on_the_case(world: World, case: dict[str, object], who: str) -> None:
    page = world.call(who, "GET", f"/ratings/cases/{case['case']}")
    if who == "department":  # a user of another department does not see the case at all (test below)
        assert page.status_code == 404
        return
    assert page.status_code == 200
    clear = "13812345678" in page.text
    assert clear == (who in SUPERVISING | {OWN}), f"{who} sees the phone {'in clear' if clear else 'masked'}"
    if not clear:
        assert access.mask_phone("13812345678") in page.text


def test_claim_was_never_decided_by_its_claimant(world: World, case: dict[str, object]) -> None:
    with world.ctx.reading() as session:
        row = session.get(MaliciousClaim, case["claim"])
        assert row is not None and row.decided_by != "user:sec_admin"


def test_department_user_cannot_open_another_departments_case(world: World, case: dict[str, object]) -> None:
    assert world.call("department", "GET", f"/ratings/cases/{case['case']}").status_code in (403, 404)
