"""XSS and SQL-injection payloads in every free-text field a user, a device or a citizen can fill.

Each field gets a payload that would break out of an attribute (``'"``), open a script and end a
SQL statement (``;--``), with a marker naming the field. The payloads go in through the real
interfaces (dashboard forms, the device API, the public rating page), then:

- the database holds each exactly as typed (parameterised SQL: no error, nothing cut or doubled),
  on SQLite and on PostgreSQL;
- every dashboard page that can show it (all parameterless pages plus the detail pages of the
  planted objects, fetched as admin) shows it escaped: the raw ``<script>`` never appears, and the
  escaped form appears somewhere, so a field that is shown nowhere cannot pass by accident;
- query parameters echoed back by a page (search boxes, filters, ``next``) are escaped too.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from server.models import CatalogItem, Device, EnrolCode, Fault, Staff, User
from server.models.notify import Webhook
from server.models.ratings import MaliciousClaim, Rating, RatingWindow, RectificationCase
from server.ratings.levels import reason_labels
from server.services import enrolment
from tests.security.conftest import World, clean_postgres, make_world
from tests.security.routes import app_routes, concrete_path
from tests.server.content.builders import seed
from tests.server.helpers import event
from tests.server.ratings.builders import payload as rating_payload


def xss(marker: str) -> str:
    return f"'\"><script>{marker}</script>;--"


SQL = "x'); DROP TABLE users;--"


@dataclass
class Planted:
    field: str
    value: str
    marker: str | None  # None: a SQL-only payload, not looked for on pages
    stored: Callable[[Any], str | None]  # reads the value back from a session


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = clean_postgres(request.getfixturevalue("security_postgres"))
    yield from make_world(url)


def _form(world: World, who: str, path: str, **data: Any):  # type: ignore[no-untyped-def]
    answer = world.call(who, "POST", path, data={**data, "csrf": world.principals[who].csrf})
    assert answer.status_code == 303, f"{path}: {answer.status_code} {answer.text[:300]}"
    return answer


def _events(world: World, who: str, *events: dict[str, Any]) -> None:
    answer = world.call(who, "POST", "/api/v1/events", json={"events": list(events)})
    assert answer.status_code == 200 and not answer.json().get("duplicates"), answer.text


@pytest.fixture(scope="module")
def planted(world: World) -> dict[str, Planted]:
    """Put every payload in through the interface a real user, device or citizen would use."""
    ctx, out = world.ctx, {}

    def plant(field: str, value: str, stored: Callable[[Any], str | None], marker: str | None = None) -> None:
        out[field] = Planted(field, value, marker, stored)

    seed(ctx)  # departments and the demo catalogue, as the content tests use

    # devices: name (enrol request) and location (enrol code), then a fault with a device-sent detail
    with ctx.transaction() as session:
        issued = enrolment.issue_code(session, actor="test", ttl_hours=1, location=xss("x05"), window="7")
    enrolled = world.call("anonymous", "POST", "/api/v1/devices/enrol", json={"code": issued.code, "name": xss("x03")})
    assert enrolled.status_code == 200, enrolled.text
    device_id, token = enrolled.json()["device_id"], enrolled.json()["token"]
    plant("device name", xss("x03"), lambda s: s.get(Device, device_id).name, "x03")
    plant("device location", xss("x05"), lambda s: s.get(Device, device_id).location, "x05")
    fault = event("fault_raised", {"peripheral": "printer", "reason": "paper_out", "detail": xss("x13")})
    answer = world.client.post("/api/v1/events", json={"events": [fault]}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    with ctx.reading() as session:
        fault_id = session.scalar(select(Fault.id).where(Fault.device_id == device_id))
    plant("fault detail (device)", xss("x13"), lambda s: s.get(Fault, fault_id).detail, "x13")

    # fault resolution note (technician)
    _form(world, "technician", f"/faults/{fault_id}/resolve", note=xss("x01") + "\n" + SQL)
    plant("fault resolution note", xss("x01") + "\n" + SQL, lambda s: s.get(Fault, fault_id).resolution_note, "x01")

    # enrol-code location typed in the dashboard: not shown on the codes page; it becomes the
    # enrolled device's location, which is checked on pages above (x05)
    _form(world, "admin", "/enrol-codes", site=enrolment.DEFAULT_SITE_SLUG, device_type="terminal", window="8", location=xss("x04"))
    plant("enrol-code location", xss("x04"),
          lambda s: s.scalar(select(EnrolCode.location).where(EnrolCode.window == "8")))

    # user display name
    _form(world, "admin", "/users", username="xss_user", password="correct-horse-battery", role="viewer",
          display_name=xss("x02"))
    plant("user display name", xss("x02"),
          lambda s: s.scalar(select(User.display_name).where(User.username == "xss_user")), "x02")

    # staff name and title (32 characters at most)
    _form(world, "supervisor", "/staff", staff_no="X9", name=xss("x09"), title=SQL[:32])
    plant("staff name", xss("x09"), lambda s: s.get(Staff, "X9").name, "x09")
    plant("staff title", SQL[:32], lambda s: s.get(Staff, "X9").title)

    # content: a new catalogue item with a payload name and material name
    _form(world, "supervisor", "/content/catalog/new", basic_code="000909901", impl_code="37010201000909901",
          name=xss("x06"), department="mzj", themes=["elderly"], functions=["guide"], legal_days="10",
          promised_days="5", materials=f"id_card | {xss('x15')} | 1 | 是 | 否")
    plant("catalogue item name", xss("x06"), lambda s: (s.get(CatalogItem, "000909901").draft or {}).get("name"), "x06")
    plant("catalogue material name", xss("x15"),
          lambda s: ((s.get(CatalogItem, "000909901").draft or {}).get("materials") or [{}])[0].get("name"), "x15")

    # webhook name and URL
    _form(world, "admin", "/webhooks", name=xss("x10"), url="http://127.0.0.1:9/<script>x11</script>?k=1",
          format="generic")
    plant("webhook name", xss("x10"), lambda s: s.scalar(select(Webhook.name)), "x10")
    plant("webhook url", "http://127.0.0.1:9/<script>x11</script>?k=1", lambda s: s.scalar(select(Webhook.url)),
          "x11")

    # a bad rating from an evaluator: free text, item name, naming staff X9 (so its name shows on the case)
    bad = rating_payload("very_dissatisfied", text=xss("x07") + " " + SQL, item_name=xss("x14"), staff_no="X9",
                         window="3")
    _events(world, "device_evaluator", event("rating", bad))
    plant("rating text (device)", xss("x07") + " " + SQL, lambda s: s.get(Rating, bad["id"]).text, "x07")
    plant("rating item name (device)", xss("x14"), lambda s: s.get(Rating, bad["id"]).item_name, "x14")

    # the public rating page: a window (supervisor), then a citizen's bad rating with free text
    with ctx.reading() as session:
        site_id = session.scalar(select(Device.site_id).where(Device.id == world.principals["device_evaluator"].device_id))
    _form(world, "supervisor", "/ratings/windows", site=str(site_id), window="<script>x12</script>")
    plant("rating window name", "<script>x12</script>",
          lambda s: s.scalar(select(RatingWindow.window).where(RatingWindow.window.like("%x12%"))), "x12")
    with ctx.reading() as session:
        token = session.scalar(select(RatingWindow.token).where(RatingWindow.window.like("%x12%")))
    reason = next(iter(reason_labels()))
    answer = world.call("anonymous", "POST", f"/rate/{token}", data={
        "csrf": world.principals["anonymous"].csrf, "case_no": "QR" + uuid.uuid4().hex[:10],
        "level": "very_dissatisfied", "reasons": [reason], "text": xss("x08") + " " + SQL})
    assert answer.status_code == 200, answer.text[:500]
    plant("rating text (QR page)", xss("x08") + " " + SQL,
          lambda s: s.scalar(select(Rating.text).where(Rating.text.like("%x08%"))), "x08")

    # handling the device's bad rating: 回访 note, a 恶意差评 claim with a file, the decision note
    with ctx.reading() as session:
        case_id = session.scalar(select(RectificationCase.id).where(RectificationCase.rating_id == bad["id"]))
    _form(world, "admin", f"/ratings/cases/{case_id}/visit", note=xss("x16") + " " + SQL)
    plant("case visit note", xss("x16") + " " + SQL, lambda s: s.get(RectificationCase, case_id).visit_note, "x16")
    claimed = world.call("admin", "POST", f"/ratings/{bad['id']}/claim",
                         data={"csrf": world.principals["admin"].csrf, "evidence": xss("x17")},
                         files={"file": ("<script>x20</script>.txt", b"recording transcript", "text/plain")})
    assert claimed.status_code == 303, claimed.text[:300]
    with ctx.reading() as session:
        claim_id = session.scalar(select(MaliciousClaim.id).where(MaliciousClaim.rating_id == bad["id"]))
    plant("claim evidence text", xss("x17"), lambda s: s.get(MaliciousClaim, claim_id).evidence_text, "x17")
    plant("claim evidence file name", "<script>x20</script>.txt",
          lambda s: s.get(MaliciousClaim, claim_id).evidence_filename, "x20")
    _form(world, "supervisor", f"/ratings/claims/{claim_id}/decide", decision="reject", note=xss("x18"))
    plant("claim decision note", xss("x18"), lambda s: s.get(MaliciousClaim, claim_id).decision_note, "x18")
    return out


def _pages(world: World) -> list[str]:
    """Every parameterless dashboard page, and the detail pages of everything planted."""
    urls = [r.path for r in app_routes(world.ctx.settings)
            if r.method == "GET" and "{" not in r.path and not r.path.startswith(("/api/", "/docs", "/redoc", "/openapi",
                                                                                    "/static", "/metrics", "/healthz"))]
    urls += ["/faults?show=all", "/ratings/cases?show=all", "/ratings/claims?show=all", "/staff/X9",
             "/content/catalog/000909901"]
    with world.ctx.reading() as session:
        urls += [f"/devices/{d}" for d in session.scalars(select(Device.id))]
        urls += [f"/ratings/cases/{c}" for c in session.scalars(select(RectificationCase.id))]
        urls += [f"/rate/{t}" for t in session.scalars(select(RatingWindow.token))]
    return urls


def test_payloads_are_stored_verbatim(world: World, planted: dict[str, Planted]) -> None:
    with world.ctx.reading() as session:
        wrong = {p.field: p.stored(session) for p in planted.values() if p.stored(session) != p.value}
        tables = set(sa_inspect(session.get_bind()).get_table_names())
    assert not wrong, f"stored differently from what was typed: {wrong}"
    assert "users" in tables


def test_every_page_shows_payloads_escaped(world: World, planted: dict[str, Planted]) -> None:
    seen: set[str] = set()
    raw_hits: list[str] = []
    errors: list[str] = []
    for url in _pages(world):
        for who in ("admin", "supervisor"):
            answer = world.call(who, "GET", url)
            if answer.status_code >= 500:
                errors.append(f"{url} as {who}: {answer.status_code}")
            if "html" not in answer.headers.get("content-type", ""):
                continue
            for p in planted.values():
                if p.marker is None:
                    continue
                if f"<script>{p.marker}" in answer.text:
                    raw_hits.append(f"{p.field} unescaped on {url}")
                if f"&lt;script&gt;{p.marker}" in answer.text:
                    seen.add(p.field)
    assert not errors, errors
    assert not raw_hits, raw_hits
    shown_nowhere = sorted(p.field for p in planted.values() if p.marker and p.field not in seen)
    assert not shown_nowhere, f"planted but shown on no page (the escaping check saw nothing): {shown_nowhere}"


def test_exports_carry_payloads_as_data(world: World, planted: dict[str, Planted]) -> None:
    """CSV/XLSX exports keep the text (a spreadsheet is not HTML) and never fail on it."""
    for url in ("/ratings/export.csv", "/reports/usage.csv"):
        answer = world.call("admin", "GET", url)
        assert answer.status_code == 200, f"{url}: {answer.status_code} {answer.text[:200]}"
    assert "x07" in world.call("admin", "GET", "/ratings/export.csv").text


REFLECTED = "<script>r01</script>"


def test_query_parameters_are_never_reflected_raw(world: World) -> None:
    """Every string query parameter of every dashboard page (filters, search, ``next``) gets the payload."""
    import inspect
    import typing

    hits, errors = [], []
    for route in app_routes(world.ctx.settings):
        if route.method != "GET" or route.path.startswith(("/api/", "/docs", "/redoc", "/openapi", "/static")):
            continue
        hints = typing.get_type_hints(route.endpoint) if route.endpoint else {}
        names = [n for n, p in inspect.signature(route.endpoint).parameters.items()
                 if hints.get(n) is str and f"{{{n}}}" not in route.path] if route.endpoint else []
        if not names:
            continue
        url = concrete_path(route)
        for who in ("anonymous", "admin"):
            answer = world.call(who, "GET", url, params={n: REFLECTED for n in names})
            if answer.status_code >= 500:
                errors.append(f"{url}?{names} as {who}: {answer.status_code}")
            kind = answer.headers.get("content-type", "")
            if "<script>r01" in answer.text and "json" not in kind:  # JSON is never rendered as a page
                hits.append(f"{route.key} reflects {names} raw as {kind}")
    assert not errors, errors
    assert not hits, hits


# --- characters a database may refuse: NUL (PostgreSQL text cannot hold it) and NaN (not JSON) ------

NUL = "before\x00after"
NAN_EVENT = ('{"events": [{"id": "%s", "type": "custom_note", "seq": 1, '
             '"occurred_at": "2026-11-23T09:00:00+08:00", "payload": {"v": NaN}}]}')


def _device_case(world: World, case: str):  # type: ignore[no-untyped-def]
    raw = {"Content-Type": "application/json"}
    if case == "heartbeat NUL":
        return world.call("device_terminal", "POST", "/api/v1/heartbeat", json={"app_version": NUL})
    if case == "heartbeat NaN":
        return world.call("device_terminal", "POST", "/api/v1/heartbeat",
                          content=b'{"temperature_c": NaN, "extra": Infinity}', headers=raw)
    if case == "event NUL detail":
        return world.call("device_terminal", "POST", "/api/v1/events", json={"events": [
            event("fault_raised", {"peripheral": "printer", "reason": "jam", "detail": NUL})]})
    if case == "event NUL in unknown type":
        return world.call("device_terminal", "POST", "/api/v1/events", json={"events": [
            event("custom_note", {"text": NUL})]})
    if case == "event NaN payload":
        return world.call("device_terminal", "POST", "/api/v1/events",
                          content=(NAN_EVENT % uuid.uuid4()).encode(), headers=raw)
    if case == "rating NUL text":
        return world.call("device_evaluator", "POST", "/api/v1/events", json={"events": [
            event("rating", rating_payload("dissatisfied", text=NUL, staff_no=""))]})
    assert case == "enrol NUL name"
    return world.call("anonymous", "POST", "/api/v1/devices/enrol", json={"code": NUL, "name": NUL})


def _form_case(world: World, case: str):  # type: ignore[no-untyped-def]
    csrf = world.principals["admin"].csrf
    if case == "user display name":
        return world.call("admin", "POST", "/users", data={
            "csrf": csrf, "username": "nuluser", "password": "correct-horse-battery", "role": "viewer",
            "display_name": NUL})
    if case == "staff name":
        return world.call("admin", "POST", "/staff", data={"csrf": csrf, "staff_no": "N1", "name": NUL})
    if case == "webhook name":
        return world.call("admin", "POST", "/webhooks", data={"csrf": csrf, "name": NUL, "url": "http://127.0.0.1:9/h",
                                                             "format": "generic"})
    if case == "login user name":
        return world.call("anonymous", "POST", "/login", data={
            "csrf": world.principals["anonymous"].csrf, "username": NUL, "password": NUL})
    assert case == "catalogue search"
    return world.call("admin", "GET", "/content/catalog", params={"q": NUL})


# Found by this suite and fixed in server/db.py: a NUL character in text, or NaN in a JSON payload,
# reached PostgreSQL, which refuses both, and the request answered 500 (for a device a poison
# batch its outbox would retry for ever). Both databases now store U+FFFD and null instead.
DEVICE_CASES = ["heartbeat NUL", "heartbeat NaN", "event NUL detail", "event NUL in unknown type",
                "event NaN payload", "rating NUL text", "enrol NUL name"]
FORM_CASES = ["user display name", "staff name", "webhook name", "login user name", "catalogue search"]


@pytest.mark.parametrize("case", DEVICE_CASES)
def test_nul_and_nan_from_devices_never_cause_a_5xx(world: World, case: str) -> None:
    answer = _device_case(world, case)
    assert answer.status_code < 500, f"{case}: {answer.status_code} {answer.text[:120]}"


@pytest.mark.parametrize("case", FORM_CASES)
def test_nul_in_dashboard_input_never_causes_a_5xx(world: World, case: str) -> None:
    answer = _form_case(world, case)
    assert answer.status_code < 500, f"{case}: {answer.status_code} {answer.text[:120]}"
