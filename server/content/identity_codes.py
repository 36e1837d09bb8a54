"""The demo identity codes (示例身份码) the shipped :class:`DemoCaseSource` answers for.

A real hall verifies an electronic licence (扫码亮证) or a 政务 App identity code with the
provincial licence platform; a :class:`server.content.adapter.CaseSource` for that platform
implements ``verify_identity_code``. The demo has no such platform, so it knows three fixed,
documented tokens (docs/CONTENT_API.md, "Demo identity codes") for its demo person 李建华:
an e-licence, an app code and an expired e-licence. Every other token is unknown. They are
fixed (not derived from the server secret) so a demonstration can print them and the terminal's
sample backend can answer the same ones.

Tokens are credentials: nothing here logs one; :func:`token_hint` is the only form a log may show.
"""
from __future__ import annotations

from datetime import date

from server.content.adapter import IdentityView, Refusal
from server.content.generator import DEMO_PERSON

DEMO_LICENCE_TOKEN = "DEMO-LJH-ELICENCE-2026-0001"  # QR: DZZZ:DEMO-LJH-ELICENCE-2026-0001
DEMO_APP_TOKEN = "DEMO-LJH-APP-2026-0002"  # QR: ZWFW:ID:DEMO-LJH-APP-2026-0002
DEMO_EXPIRED_TOKEN = "DEMO-LJH-EXPIRED-2026-0003"  # QR: DZZZ:DEMO-LJH-EXPIRED-2026-0003 (410 code_expired)
DEMO_CARD_VALID_UNTIL = "2038-04-02"  # the demo person's ID card (the terminal's ID-card simulator has the same)
_KINDS = {DEMO_LICENCE_TOKEN: "licence", DEMO_APP_TOKEN: "app"}


def token_hint(token: str) -> str:
    """``DEMO…(27)``: enough to tell codes apart in a log, not enough to replay one."""
    return f"{token[:4]}…({len(token)})"


def verify_demo(token: str) -> IdentityView:
    """The demo person for a demo token; ``code_expired`` / ``code_unknown`` refusals otherwise."""
    if token == DEMO_EXPIRED_TOKEN:
        raise Refusal(410, "code_expired")
    kind = _KINDS.get(token)
    if kind is None:
        raise Refusal(404, "code_unknown")
    return IdentityView(name=DEMO_PERSON.name, id_number=DEMO_PERSON.id_number, code_kind=kind,
                        valid_until=date.fromisoformat(DEMO_CARD_VALID_UNTIL), issuer="济南市公安局历下分局")
