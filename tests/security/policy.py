"""The server's access policy as one table: for every route and method, who may call it.

``tests/security/test_matrix.py`` enumerates every route of the app built by ``server.app.create_app``
and checks each against this table for every principal: nobody, a signed-in user of each role in
``server.models.people.ROLES`` (read at run time, so a new role is tested at once), and device tokens
(a terminal and an evaluator of one hall, a terminal and an evaluator of another hall). A route not
in the table fails the matrix: classify it here.

The table says what the code *intends* (read from each router's dependencies and docstrings). Where
the code does something else and that looks wrong, the entry lists the principal under ``gaps``
with the reason: that cell is an expected failure (strict, so a fix turns it into a failure that
asks for the gap to be removed), and the gap is reported to the lead rather than fixed here.

Groups (resolved against the principals at run time):

- ``anyone``: every principal, devices included
- ``browser``: nobody-signed-in and every role (has a session cookie, so passes the CSRF check of
  public forms; a device without a session is refused by CSRF, which is fine)
- ``signed_in``: every role in ROLES
- ``device``: every device token; ``terminal`` / ``evaluator``: those device types
- a role name: that role only
"""
from __future__ import annotations

from dataclasses import dataclass, field

ANYONE = "anyone"
BROWSER = "browser"
SIGNED_IN = "signed_in"
DEVICE = "device"
TERMINAL = "terminal"
EVALUATOR = "evaluator"

WRITE = ("admin", "technician")  # server/dashboard/auth.py WRITE_ROLES: faults, commands, enrol codes, calls
EDIT = ("admin", "supervisor")  # staff_routes / content_routes EDIT_ROLES
SUPERVISING = ("admin", "supervisor")  # server/ratings/access.py SUPERVISING
ADMIN = ("admin",)


@dataclass(frozen=True)
class Rule:
    allow: tuple[str, ...]
    note: str = ""
    # principal name -> why the code's behaviour differs from ``allow`` (an expected failure)
    gaps: dict[str, str] = field(default_factory=dict)
    # route-level check only: the handler decides per object (department, claimant), so a
    # signed-in user reaches it with an id that does not exist (404)
    object_level: bool = False
    # status codes that mean "refused" for this route, when the route's own answer to an allowed
    # caller is 401 (the login form answers a wrong password with 401)
    refused_with: tuple[int, ...] = (401, 403)
    login_redirect_refuses: bool = True  # False where success itself leads to /login (logout)


OBJECT_LEVEL = "route-level: any signed-in user; per object the handler allows only the roles of server/ratings/access.py"

POLICY: dict[str, Rule] = {
    # --- operations and API documentation (device API only; dashboard routes are not in the schema)
    "GET /openapi.json": Rule((ANYONE,), "device API description"),
    "GET /docs": Rule((ANYONE,)),
    "GET /docs/oauth2-redirect": Rule((ANYONE,)),
    "GET /redoc": Rule((ANYONE,)),
    "GET /healthz": Rule((ANYONE,), "load balancer liveness"),
    "GET /metrics": Rule((ANYONE,), "Prometheus scrape; fleet counts only, no personal data; "
                                    "restrict by network in production (see report)"),
    "GET /static": Rule((ANYONE,), "CSS/JS of the dashboard"),
    # --- device API (bearer token); the token is the only identity, routes act on that device only
    "POST /api/v1/devices/enrol": Rule((ANYONE,), "the one-time enrol code is the credential"),
    "POST /api/v1/heartbeat": Rule((DEVICE,)),
    "GET /api/v1/config": Rule((DEVICE,)),
    "GET /api/v1/catalog": Rule((DEVICE,)),
    "POST /api/v1/events": Rule((DEVICE,)),
    "GET /api/v1/rating-reasons": Rule((DEVICE,)),
    "GET /api/v1/staff": Rule((EVALUATOR,), "staff of the evaluator's own hall only"),
    "GET /api/v1/staff/{staff_no}/photo": Rule((EVALUATOR,), "staff of the evaluator's own hall only"),
    "POST /api/v1/identity/verify": Rule((TERMINAL,), "identity codes are for the citizen at a terminal"),
    "POST /api/v1/cases/query": Rule((TERMINAL,)),
    "POST /api/v1/cases/mine": Rule((TERMINAL,)),
    "POST /api/v1/certificates/mine": Rule((TERMINAL,)),
    "POST /api/v1/certificates/document": Rule((TERMINAL,)),
    "POST /api/v1/applications": Rule((TERMINAL,)),
    # --- sign-in
    "GET /login": Rule((ANYONE,)),
    "POST /login": Rule((BROWSER,), "CSRF-protected login form; a wrong password is its own 401",
                        refused_with=(403,)),
    "POST /logout": Rule((BROWSER,), "CSRF-protected; anyone with a session may end it",
                         login_redirect_refuses=False),
    # --- fleet (server/dashboard/routes.py)
    "GET /": Rule((SIGNED_IN,)),
    "GET /fleet": Rule((SIGNED_IN,)),
    "GET /devices/{device_id}": Rule((SIGNED_IN,)),
    "POST /devices/{device_id}/commands": Rule(WRITE),
    "GET /faults": Rule((SIGNED_IN,)),
    "POST /faults/{fault_id}/{action}": Rule(WRITE),
    "GET /enrol-codes": Rule(WRITE),
    "POST /enrol-codes": Rule(WRITE),
    # --- reports (every signed-in role reads them)
    "GET /reports/usage": Rule((SIGNED_IN,)),
    "GET /reports/usage.csv": Rule((SIGNED_IN,)),
    "GET /reports/usage.xlsx": Rule((SIGNED_IN,)),
    "GET /reports/reliability": Rule((SIGNED_IN,)),
    # --- users (admin only)
    "GET /users": Rule(ADMIN),
    "POST /users": Rule(ADMIN),
    "POST /users/{user_id}/{action}": Rule(ADMIN),
    # --- notifications
    "POST /calls/{call_id}/{action}": Rule(WRITE),
    "GET /webhooks": Rule(ADMIN),
    "POST /webhooks": Rule(ADMIN),
    "POST /webhooks/{hook_id}/{action}": Rule(ADMIN),
    # --- staff and 差评 reasons (admin, supervisor)
    "GET /staff": Rule(EDIT),
    "POST /staff": Rule(EDIT),
    "GET /staff/{staff_no}": Rule(EDIT),
    "GET /staff/{staff_no}/photo.jpg": Rule(EDIT),
    "POST /staff/{staff_no}/photo": Rule(EDIT),
    "POST /staff/{staff_no}/{action}": Rule(EDIT),
    "GET /reasons": Rule(EDIT),
    "POST /reasons": Rule(EDIT),
    # --- content: catalogue, cases, applications (read: signed in; change: admin, supervisor)
    "GET /content/catalog": Rule((SIGNED_IN,)),
    "POST /content/catalog/publish": Rule(EDIT),
    "GET /content/catalog/new": Rule(EDIT),
    "GET /content/catalog/{code}": Rule((SIGNED_IN,)),
    "POST /content/catalog/{code}": Rule(EDIT),
    "POST /content/catalog/{code}/{action}": Rule(EDIT),
    "GET /content/cases": Rule((SIGNED_IN,)),
    "GET /content/cases/{case_no}": Rule((SIGNED_IN,)),
    "POST /content/cases/{case_no}/advance": Rule(EDIT),
    "GET /content/applications": Rule(EDIT, "citizens' applications with scanned materials"),
    "GET /content/applications/{application_id}/materials/{material_id}.pdf": Rule(EDIT),
    # --- 好差评 (server/dashboard/ratings; who may act on which case: server/ratings/access.py)
    "GET /ratings": Rule((SIGNED_IN,)),
    "GET /ratings/cases": Rule((SIGNED_IN,)),
    "GET /ratings/cases/{case_id}": Rule((SIGNED_IN,), "phone masked unless access.sees_contact"),
    "POST /ratings/cases/{case_id}/reassign": Rule((SIGNED_IN,), OBJECT_LEVEL, object_level=True),
    "POST /ratings/cases/{case_id}/{action}": Rule((SIGNED_IN,), OBJECT_LEVEL, object_level=True),
    "POST /ratings/{rating_id}/claim": Rule((SIGNED_IN,), OBJECT_LEVEL, object_level=True),
    "GET /ratings/claims": Rule((SIGNED_IN,)),
    "POST /ratings/claims/{claim_id}/decide": Rule((SIGNED_IN,), OBJECT_LEVEL, object_level=True),
    "GET /ratings/claims/{claim_id}/evidence": Rule((SIGNED_IN,), OBJECT_LEVEL, object_level=True),
    "GET /ratings/export": Rule((SIGNED_IN,)),
    "GET /ratings/export.{fmt}": Rule((SIGNED_IN,)),
    "POST /ratings/push": Rule(SUPERVISING),
    "GET /ratings/push/{log_id}": Rule((SIGNED_IN,)),
    "GET /ratings/windows": Rule((SIGNED_IN,)),
    "POST /ratings/windows": Rule(SUPERVISING),
    "GET /ratings/windows/{window_id}/qr.{fmt}": Rule((SIGNED_IN,)),
    "GET /rate/{token}": Rule((ANYONE,), "public rating page behind a window's QR code"),
    "POST /rate/{token}": Rule((BROWSER,), "public rating form, CSRF-protected"),
    "GET /ratings/settings": Rule(ADMIN),
    "POST /ratings/holidays": Rule(ADMIN),
    "POST /ratings/members": Rule(ADMIN),
}


def may(rule: Rule, principal_name: str, kind: str, role: str, device_type: str) -> bool:
    """Whether ``rule`` lets this principal through."""
    for group in rule.allow:
        if group == ANYONE:
            return True
        if group == BROWSER and kind in ("anonymous", "user"):
            return True
        if group == SIGNED_IN and kind == "user":
            return True
        if group == DEVICE and kind == "device":
            return True
        if group in (TERMINAL, EVALUATOR) and kind == "device" and device_type == group:
            return True
        if kind == "user" and group == role:
            return True
    return False
