"""Role x endpoint matrix: every route of the app against every principal, from ``policy.POLICY``.

A cell passes when a principal the policy allows gets through the authorisation check (any answer
but 401, 403 or a redirect to the login page) and one it does not allow is refused by it. No cell
may answer 5xx. A route missing from the policy fails with the instruction to classify it; a
policy entry for a route that no longer exists fails too, so the table stays the truth.
"""
from __future__ import annotations

import pytest

from server.models.people import ROLES
from tests.security import policy
from tests.security.conftest import World, security_settings
from tests.security.routes import AppRoute, app_routes, concrete_path, form_fields

ROUTES = app_routes(security_settings("sqlite://"))
PRINCIPALS = ["anonymous", *ROLES, "device_terminal", "device_evaluator", "device_other", "device_other_evaluator"]
CELLS = [(route, who) for route in ROUTES for who in PRINCIPALS]
MATRIX_SIZE = (len(ROUTES), len(PRINCIPALS), len(CELLS))  # recorded in the README's Reliability section


def refused(answer, rule: policy.Rule | None = None) -> bool:  # type: ignore[no-untyped-def]
    """Refused by authentication/authorisation: 401, 403, or sent to the login page."""
    rule = rule or policy.Rule(())
    if answer.status_code in rule.refused_with:
        return True
    return rule.login_redirect_refuses and answer.status_code in (302, 303, 307) and answer.headers.get("location", "").startswith("/login")


def request_as(world: World, route: AppRoute, who: str):  # type: ignore[no-untyped-def]
    principal = world.principals[who]
    url = concrete_path(route)
    if route.method == "GET":
        return world.call(principal, "GET", url)
    if route.path.startswith("/api/"):
        return world.call(principal, route.method, url, json={})
    data, files = form_fields(route)
    data["csrf"] = principal.csrf or "no-session"  # a device has no session: CSRF must refuse it
    return world.call(principal, route.method, url, data=data, files=files or None)


def test_every_route_is_classified() -> None:
    """Fails loudly on a route nobody classified and on a policy row whose route is gone."""
    keys = {route.key for route in ROUTES}
    missing = sorted(keys - policy.POLICY.keys())
    stale = sorted(policy.POLICY.keys() - keys)
    assert not missing, ("routes missing from tests/security/policy.py POLICY; classify each (who may call it, "
                         f"read from its router's dependencies): {missing}")
    assert not stale, f"POLICY rows for routes the app no longer has; remove or rename them: {stale}"


def test_matrix_is_the_size_recorded() -> None:
    routes, principals, cells = MATRIX_SIZE
    assert principals == len(ROLES) + 5 and cells == routes * principals and routes >= 80


@pytest.mark.parametrize(("route", "who"), CELLS, ids=[f"{r.key}-{w}" for r, w in CELLS])
def test_cell(world: World, route: AppRoute, who: str, request: pytest.FixtureRequest) -> None:
    rule = policy.POLICY.get(route.key)
    if rule is None:
        pytest.fail(f"{route.key} is not in tests/security/policy.py POLICY: classify it (who may call it)")
    principal = world.principals[who]
    if who in rule.gaps:
        request.applymarker(pytest.mark.xfail(strict=True, reason=rule.gaps[who]))
    allowed = policy.may(rule, who, principal.kind, principal.role, principal.device_type)
    answer = request_as(world, route, who)
    assert answer.status_code < 500, f"{route.key} as {who}: {answer.status_code} {answer.text[:300]}"
    if allowed:
        assert not refused(answer, rule), f"{route.key} should let {who} through, got {answer.status_code} {answer.text[:200]}"
    else:
        assert refused(answer, rule), (f"{route.key} should refuse {who}, got {answer.status_code} "
                                 f"{answer.headers.get('location', '')} {answer.text[:200]}")
