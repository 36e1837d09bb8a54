"""The window line protocol (drivers/windowline) mapped onto the evaluator's actions.

The same actions and the same rules as the local HTTP API (:mod:`kiosk.window_api`): a case
is validated by the same model and its applicant masked on arrival, refusals come back with
the same reason keys (``ERR paused``, ``ERR already_rated`` …), and when an invitation ends
the result is pushed as a ``RESULT`` line (the serial equivalent of the HTTP callback).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable

from drivers.windowline.link import WindowLine
from drivers.windowline.protocol import Request, err, ok, result_fields
from kiosk.evaluator import EvaluatorService, Result
from kiosk.rating import Invitation, RatingRefused
from kiosk.window_api import ApiError, parse_case

log = logging.getLogger(__name__)

CASE_FIELDS = ("case_no", "item_name", "applicant_name", "basic_code", "impl_code")


class WindowSerial:
    """Answers protocol requests for ``service``; ``attach(line)`` also pushes results to it."""

    def __init__(self, service: EvaluatorService) -> None:
        self.service = service
        self._push: Callable[[str], bool] = lambda _line: False
        self._handlers: dict[str, Callable[[Request], str]] = {
            "CASE": self._case, "END": self._plain(service.end_case), "INVITE": self._invite,
            "CANCEL": self._plain(service.cancel_invitation), "PAUSE": self._plain(service.pause),
            "RESUME": self._plain(service.resume), "STATUS?": self._status, "RESULT?": self._result,
            "PING": lambda _r: ok("PONG"),
        }
        service.on_result(self._result_ready)

    def attach(self, line: WindowLine) -> None:
        self._push = line.push

    def answer(self, request: Request) -> str:
        """The answer line to one parsed request (never raises for a refusal)."""
        try:
            return self._handlers[request.verb](request)
        except RatingRefused as exc:
            return err(exc.reason)
        except ApiError as exc:
            return err(exc.error)

    @staticmethod
    def _plain(action: Callable[[], object]) -> Callable[[Request], str]:
        def run(_request: Request) -> str:
            action()
            return ok()
        return run

    def _case(self, request: Request) -> str:
        fields = dict(zip(CASE_FIELDS, request.args))
        case = parse_case(json.dumps(fields, ensure_ascii=False).encode())  # the HTTP API's validation
        self.service.start_case(case)
        return ok("CASE", case.case_no, f"rated={int(self.service.ledger.is_rated(case.case_no))}")

    def _invite(self, request: Request) -> str:
        invitation = self.service.invite("window_system", consultation=bool(request.args))
        return ok("INVITE", invitation.id, str(round(invitation.timeout_s)))

    def _status(self, _request: Request) -> str:
        status = self.service.status()
        staff, case, invitation = status["staff"], status["case"], status["invitation"]
        return ok("STATUS", f"staff={staff['staff_no'] if staff else '-'}", f"paused={int(status['paused'])}",
                  f"case={case['case_no'] if case else '-'}",
                  f"invitation={invitation['invitation_id'] if invitation else '-'}")

    def _result(self, request: Request) -> str:
        result = self.service.result(request.args[0])
        if result is None:
            return err("unknown_invitation")
        return ok("RESULT", *result_fields(result.invitation_id, result.state, result.level, result.reasons))

    def _result_ready(self, _invitation: Invitation, result: Result) -> None:
        line = " ".join(["RESULT", *result_fields(result.invitation_id, result.state, result.level, result.reasons)])
        if not self._push(line):
            log.info("result %s not pushed (line down); it can be asked with RESULT?", result.invitation_id)


def start_window_serial(service: EvaluatorService, port: str, baudrate: int = 9600,
                        reconnect_s: float = 2.0) -> WindowLine:
    """Open the line in its own thread (it keeps retrying while the port is missing)."""
    mapper = WindowSerial(service)
    line = WindowLine(port, mapper.answer, baudrate=baudrate, reconnect_s=reconnect_s)
    mapper.attach(line)
    return line.start()
