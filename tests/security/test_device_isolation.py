"""A device token sees and changes nothing but its own device.

The device API never takes a device id from the caller: the bearer token is the identity. These
tests try the ways one device could still reach another's data: its commands (in heartbeat
answers and through ``command_ack``), its config, its events (same ids), its ratings (same rating
id), and the staff of another hall. The catalogue is the same for every device, by design.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from server.models import Command, Event, Fault
from server.models.ratings import Rating
from server.services import commands
from server.services.enrolment import ensure_default_site
from server.staff.seed import seed_staff
from tests.security.conftest import World
from tests.server.helpers import event
from tests.server.ratings.builders import payload

HEARTBEAT = {"state": "idle", "app_version": "1.0.0"}


def _heartbeat(world: World, who: str) -> dict:  # type: ignore[type-arg]
    answer = world.call(who, "POST", "/api/v1/heartbeat", json=HEARTBEAT)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _post_events(world: World, who: str, *events: dict) -> dict:  # type: ignore[type-arg]
    answer = world.call(who, "POST", "/api/v1/events", json={"events": list(events)})
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def staff(world: World) -> None:
    """The demo staff (10123, 10456, 10789, with photos) in the default hall only."""
    with world.ctx.transaction() as session:
        seed_staff(session, ensure_default_site(session))


@pytest.fixture(scope="module")
def queued(world: World) -> int:
    """A command for the terminal, queued as the dashboard does."""
    with world.ctx.transaction() as session:
        return commands.queue(session, world.principals["device_terminal"].device_id, "reload_config", {}, "user:test").id


def test_heartbeat_answers_only_own_commands(world: World, queued: int) -> None:
    assert [c["id"] for c in _heartbeat(world, "device_other")["commands"]] == []
    assert [c["id"] for c in _heartbeat(world, "device_evaluator")["commands"]] == []
    assert queued in [c["id"] for c in _heartbeat(world, "device_terminal")["commands"]]


def test_another_device_cannot_close_a_command(world: World, queued: int) -> None:
    ack = event("command_ack", {"command_id": queued, "status": "done", "detail": "closed by a stranger"})
    assert ack["id"] in _post_events(world, "device_other", ack)["accepted"]  # stored as the other's event
    with world.ctx.reading() as session:
        command = session.get(Command, queued)
        assert command is not None and command.state not in ("done", "failed") and command.acked_at is None


def test_config_is_the_callers_own(world: World) -> None:
    for who in ("device_terminal", "device_evaluator", "device_other", "device_other_evaluator"):
        principal = world.principals[who]
        answer = world.call(who, "GET", "/api/v1/config")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["device_id"] == principal.device_id and body["type"] == principal.device_type
        others = {p.device_id for p in world.principals.values() if p.device_id and p is not principal}
        assert not any(other in answer.text for other in others)
    assert world.call("device_other", "GET", "/api/v1/config").json()["site"]["slug"] == "other-hall"


def test_catalog_is_shared_by_design(world: World) -> None:
    bodies = [world.call(who, "GET", "/api/v1/catalog") for who in ("device_terminal", "device_other", "device_evaluator")]
    assert all(b.status_code == 200 for b in bodies) and len({b.text for b in bodies}) == 1


def test_events_are_recorded_against_the_sender_only(world: World) -> None:
    """A fault reported by one device never lands on another, and reusing another device's event id
    neither overwrites that event nor moves it to the sender."""
    mine = event("fault_raised", {"peripheral": "printer", "reason": "paper_out"})
    _post_events(world, "device_terminal", mine)
    copy = dict(mine, payload={"peripheral": "scanner", "reason": "jammed"})
    answer = _post_events(world, "device_other", copy)
    assert answer["accepted"] == [] and answer["duplicates"] == [mine["id"]]
    terminal, other = world.principals["device_terminal"].device_id, world.principals["device_other"].device_id
    with world.ctx.reading() as session:
        stored = session.get(Event, mine["id"])
        assert stored is not None and stored.device_id == terminal and stored.payload["peripheral"] == "printer"
        faults = {(f.device_id, f.peripheral) for f in session.scalars(select(Fault))}
    assert (terminal, "printer") in faults and (other, "scanner") not in faults and (terminal, "scanner") not in faults


def test_rating_ids_of_another_device_are_refused_not_taken_over(world: World) -> None:
    first = payload("satisfied", window="1", staff_no="")
    _post_events(world, "device_evaluator", event("rating", first))
    again = payload("very_dissatisfied", id=first["id"], window="9", staff_no="")
    answer = world.call("device_other_evaluator", "POST", "/api/v1/events", json={"events": [event("rating", again)]})
    assert answer.status_code == 200, answer.text  # the batch is never blocked, the rating is rejected
    with world.ctx.reading() as session:
        rating = session.get(Rating, first["id"])
        assert rating is not None and rating.device_id == world.principals["device_evaluator"].device_id
        assert rating.window == "1" and not rating.bad


def test_rating_cannot_name_staff_of_another_hall(world: World, staff: None) -> None:
    forged = payload("very_dissatisfied", staff_no="10123", window="3")
    _post_events(world, "device_other_evaluator", event("rating", forged))
    with world.ctx.reading() as session:
        rating = session.get(Rating, forged["id"])
    assert rating is None or rating.staff_no != "10123"


def test_staff_directory_and_photos_only_of_own_hall(world: World, staff: None) -> None:
    own = world.call("device_evaluator", "GET", "/api/v1/staff")
    assert own.status_code == 200 and {m["staff_no"] for m in own.json()["staff"]} >= {"10123"}
    other = world.call("device_other_evaluator", "GET", "/api/v1/staff")
    assert other.status_code == 200 and other.json()["staff"] == []
    assert world.call("device_evaluator", "GET", "/api/v1/staff/10123/photo").status_code == 200
    assert world.call("device_other_evaluator", "GET", "/api/v1/staff/10123/photo").status_code == 404
    assert world.call("device_terminal", "GET", "/api/v1/staff").status_code == 403


def test_a_token_is_not_accepted_anywhere_but_the_bearer_header(world: World) -> None:
    token = world.principals["device_terminal"].headers["Authorization"].split()[1]
    for url in (f"/api/v1/config?token={token}", f"/api/v1/config?access_token={token}"):
        assert world.call("anonymous", "GET", url).status_code == 401
    assert world.call("anonymous", "GET", "/api/v1/config", headers={"Authorization": f"Basic {token}"}).status_code == 401
    assert world.call("anonymous", "GET", "/api/v1/config",
                      headers={"Authorization": f"Bearer {uuid.uuid4().hex}"}).status_code == 401
