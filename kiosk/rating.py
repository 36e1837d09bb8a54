"""好差评 ratings on site (GB/T 39046-2020, GB/T 39734/39735-2020), without any UI.

The window evaluator and the self-service terminal (after a transaction) both rate a
service, so the rules live here and not in a screen:

- five levels as an enum (:class:`Level`); 不满意 and 非常不满意 are bad ratings (差评) and
  need at least one reason from a versioned :class:`ReasonList` (the default ships in
  ``assets/rating/reasons.json``; the server can push a newer one, see :func:`install_reason_list`);
- one rating per case per visit (一次一评): :class:`RatingLedger` refuses a second rating of
  a case with ``already_rated``; a rating without a case (a consultation, 咨询) is allowed and
  marked ``consultation``; without a new case a second rating must wait
  ``min_interval_s`` (against repeated tapping), refused with ``too_soon``;
- an invitation nobody answers ends as its own outcome ``not_rated`` (未评), never as a good
  rating: the unrated share is a statistic of its own;
- the record (:class:`RatingRecord`) carries the GB/T 39046 fields, the window, the staff
  number and a unique id, and never the applicant's identity (评价人 is left out on purpose:
  the rater's identity stays confidential and the evaluator must not hold it).

Levels are stored as names; national or provincial codes (1 = 非常满意 … or the reverse) are
made only at export (:meth:`Level.national_code`).
"""
from __future__ import annotations

import datetime as dt
import enum
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from kiosk.atomic_file import write_json_atomic
from kiosk.privacy import mask_text
from kiosk.uuid7 import uuid7

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "rating"
DEFAULT_REASONS_FILE = ASSETS / "reasons.json"
PUSHED_REASONS_FILE = "rating_reasons.json"
"""Name of a server-pushed reason list in the data directory; used when newer than the default."""

CASE_NO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")
BASIC_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,10}$")  # 基本编码, up to 10 characters
IMPL_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,24}$")  # 实施编码, up to 24 characters
REASON_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_TEXT = 500
MAX_REASONS = 16


class Level(str, enum.Enum):
    """The five GB/T 39046 levels, best first (values are the wire names of kiosk.report_events)."""

    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    VERY_DISSATISFIED = "very_dissatisfied"  # 非常不满意

    @property
    def is_bad(self) -> bool:
        """差评: needs a reason, a follow-up call and rectification."""
        return self in (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]

    def national_code(self, reverse: bool = False) -> int:
        """GB/T 39046 code 1 = 非常满意 … 5 = 非常不满意; ``reverse`` for provinces using 1 = 非常不满意."""
        code = list(Level).index(self) + 1
        return 6 - code if reverse else code


_LABELS_ZH = {Level.VERY_SATISFIED: "非常满意", Level.SATISFIED: "满意", Level.BASICALLY_SATISFIED: "基本满意",
              Level.DISSATISFIED: "不满意", Level.VERY_DISSATISFIED: "非常不满意"}

Outcome = Literal["rated", "not_rated"]
Trigger = Literal["window_system", "staff", "applicant"]
"""Who asked for the rating: 主动邀请评价 (window system or staff) or the applicant themself."""


class RatingRefused(Exception):
    """A rating or invitation the rules do not allow; ``reason`` is a stable key the UI translates."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


class ReasonListError(ValueError):
    """A reason list file or push that is not usable; the previous list stays in force."""


# ----- reasons -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    code: str
    zh_CN: str
    en: str
    free_text: bool = False  # 其他: the applicant may add a text

    def label(self, language: str) -> str:
        return self.zh_CN if language == "zh_CN" else self.en


@dataclass(frozen=True)
class ReasonList:
    """A versioned list of bad-rating reasons; ``version`` is an integer that only goes up."""

    version: int
    reasons: tuple[Reason, ...]
    name: str = ""

    @classmethod
    def from_dict(cls, raw: Any) -> "ReasonList":
        """Validate a list as pushed by the server or shipped in assets; raises ReasonListError."""
        if not isinstance(raw, Mapping):
            raise ReasonListError("a reason list is a JSON object")
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ReasonListError("version must be a positive integer")
        items = raw.get("reasons")
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_REASONS:
            raise ReasonListError(f"reasons must be a list of 1 to {MAX_REASONS} entries")
        reasons = []
        for item in items:
            if not isinstance(item, Mapping):
                raise ReasonListError("each reason is an object")
            code, zh, en = item.get("code"), item.get("zh_CN"), item.get("en")
            if not isinstance(code, str) or not REASON_CODE_RE.match(code):
                raise ReasonListError(f"bad reason code {code!r}")
            if not (isinstance(zh, str) and isinstance(en, str) and 0 < len(zh) <= 40 and 0 < len(en) <= 80):
                raise ReasonListError(f"reason {code}: zh_CN and en labels are required (≤40/80 characters)")
            reasons.append(Reason(code, zh, en, bool(item.get("free_text", False))))
        codes = [r.code for r in reasons]
        if len(set(codes)) != len(codes):
            raise ReasonListError("duplicate reason codes")
        if sum(r.free_text for r in reasons) != 1:
            raise ReasonListError("exactly one reason (其他) must allow free text")
        return cls(version, tuple(reasons), str(raw.get("name", ""))[:80])

    @classmethod
    def load(cls, path: Path) -> "ReasonList":
        try:
            return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ReasonListError(f"{path}: {exc}") from None

    def get(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)


def current_reason_list(data_dir: Path | None = None) -> ReasonList:
    """The pushed list in ``data_dir`` when it is valid and newer than the shipped default."""
    default = ReasonList.load(DEFAULT_REASONS_FILE)
    if data_dir is None:
        return default
    pushed_path = Path(data_dir) / PUSHED_REASONS_FILE
    if not pushed_path.exists():
        return default
    try:
        pushed = ReasonList.load(pushed_path)
    except ReasonListError:
        return default  # a damaged file must not take the bad-rating screen down
    return pushed if pushed.version > default.version else default


def install_reason_list(data_dir: Path, raw: Any, current: ReasonList | None = None) -> ReasonList:
    """Validate a pushed list and write it atomically; an older or equal version is refused."""
    new = ReasonList.from_dict(raw)
    current = current or current_reason_list(data_dir)
    if new.version <= current.version:
        raise ReasonListError(f"version {new.version} is not newer than {current.version}")
    _write_json_atomic(Path(data_dir) / PUSHED_REASONS_FILE, raw)
    return new


def _write_json_atomic(path: Path, value: Any) -> None:
    write_json_atomic(path, value)  # temp + fsync + replace + fsync of the folder


# ----- cases and invitations ----------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """A case (办件) being handled at the window, as the window system announces it.

    ``applicant_masked`` is for the screen only (``张*``); it is never part of a rating.
    """

    case_no: str
    item_name: str = ""
    basic_code: str = ""  # 基本编码
    impl_code: str = ""  # 实施编码
    applicant_masked: str = ""

    def __post_init__(self) -> None:
        if not CASE_NO_RE.match(self.case_no):
            raise ValueError("case_no: 1-64 letters, digits and _ . : / -")
        if self.basic_code and not BASIC_CODE_RE.match(self.basic_code):
            raise ValueError("basic_code (基本编码): up to 10 letters or digits")
        if self.impl_code and not IMPL_CODE_RE.match(self.impl_code):
            raise ValueError("impl_code (实施编码): up to 24 letters or digits")
        if len(self.item_name) > 100:
            raise ValueError("item_name: at most 100 characters")


@dataclass(frozen=True)
class Invitation:
    """One request for a rating; the result is looked up by ``id``."""

    id: str
    case: Case | None
    trigger: Trigger
    invited_at: float  # monotonic seconds
    timeout_s: float

    @property
    def consultation(self) -> bool:
        return self.case is None

    def expired(self, now: float) -> bool:
        return now - self.invited_at >= self.timeout_s


@dataclass(frozen=True)
class Context:
    """Where the rating happens: fixed per device, plus who is serving."""

    device_id: str
    region_code: str = ""  # 行政区划, 6 or 9 digits
    window: str = ""
    staff_no: str = ""
    channel: str = "evaluator"  # hall evaluator; the terminal uses "terminal"; codes are mapped at export


def rating_time(moment: dt.datetime) -> str:
    """GB/T 39046 评价时间: ``YYYYMMDDThhmmss`` in local time."""
    return moment.strftime("%Y%m%dT%H%M%S")


@dataclass(frozen=True)
class RatingRecord:
    """What is written to the outbox and sent to the server as a ``rating`` event."""

    id: str
    invitation_id: str
    outcome: Outcome
    level: Level | None
    reasons: tuple[str, ...]
    reason_list_version: int | None
    text: str
    rated_at: str  # YYYYMMDDThhmmss
    case: Case | None
    context: Context
    trigger: Trigger
    rating_count: int = 1  # 评价次数: one on site (一次一评)

    def payload(self) -> dict[str, Any]:
        """The event payload; the applicant is absent by construction (not even masked)."""
        case = self.case
        return {
            "id": self.id, "invitation_id": self.invitation_id, "outcome": self.outcome,
            "level": self.level.value if self.level else None,
            "bad": bool(self.level and self.level.is_bad),
            "reasons": list(self.reasons), "reason_list_version": self.reason_list_version, "text": self.text,
            "rated_at": self.rated_at, "rating_count": self.rating_count,
            "case_no": case.case_no if case else "", "consultation": case is None,
            "item_name": case.item_name if case else "", "item_basic_code": case.basic_code if case else "",
            "item_impl_code": case.impl_code if case else "",
            "channel": self.context.channel, "region_code": self.context.region_code,
            "window": self.context.window, "staff_no": self.context.staff_no, "device_id": self.context.device_id,
            "trigger": self.trigger,
        }


Persist = Callable[[RatingRecord], None]
"""Writes a record durably (the outbox) or raises; the ledger commits only after it returned."""


@dataclass(frozen=True)
class RatingRules:
    min_interval_s: float = 30.0  # between ratings without a new case
    invite_timeout_s: float = 60.0  # unanswered invitation -> not rated
    remember_cases: int = 2000  # rated case numbers kept for 一次一评


@dataclass
class _State:
    rated_cases: OrderedDict[str, str] = field(default_factory=OrderedDict)  # case_no -> record id
    last_rated_at: float | None = None
    new_case_since_last: bool = True


class RatingLedger:
    """The one-rating-per-visit rules for one device. Thread-safe (API thread and UI thread).

    ``clock`` is monotonic time and ``wall`` local wall time, injectable for tests.
    """

    def __init__(self, context: Context, reasons: ReasonList, rules: RatingRules = RatingRules(), *,
                 rated_file: Path | None = None, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.context = context
        self.reasons = reasons
        self.rules = rules
        self._clock = clock
        self._wall = wall
        self._lock = threading.RLock()
        self._state = _State()
        # rated case numbers survive a restart of the app (a case number is not personal data)
        self._rated_file = rated_file
        self._load_rated()

    def _load_rated(self) -> None:
        if self._rated_file is None:
            return
        try:
            raw = json.loads(self._rated_file.read_text(encoding="utf-8"))
            items = [(str(no), str(rid)) for no, rid in raw["rated"]][-self.rules.remember_cases:]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError):
            return  # a damaged file: start empty rather than refuse to rate
        self._state.rated_cases = OrderedDict(items)

    def _save_rated(self) -> None:
        if self._rated_file is not None:
            try:
                _write_json_atomic(self._rated_file, {"rated": list(self._state.rated_cases.items())})
            except OSError:
                pass  # the rating itself is in the outbox; only the restart guard is weaker

    # -- context -------------------------------------------------------------------------------
    def set_staff(self, staff_no: str) -> None:
        with self._lock:
            self.context = replace(self.context, staff_no=staff_no)

    def set_reasons(self, reasons: ReasonList) -> None:
        with self._lock:
            self.reasons = reasons

    def case_started(self, case_no: str) -> None:
        """A new case at the window lifts the minimum interval (a rated case announced again does not)."""
        with self._lock:
            if case_no not in self._state.rated_cases:
                self._state.new_case_since_last = True

    def is_rated(self, case_no: str) -> bool:
        with self._lock:
            return case_no in self._state.rated_cases

    # -- rules -----------------------------------------------------------------------------------
    def invite(self, case: Case | None, trigger: Trigger = "window_system") -> Invitation:
        """A new invitation, or RatingRefused(``already_rated`` / ``too_soon``)."""
        with self._lock:
            now = self._clock()
            self._check_allowed(case, now)
            return Invitation(str(uuid7()), case, trigger, now, self.rules.invite_timeout_s)

    def _check_allowed(self, case: Case | None, now: float) -> None:
        state = self._state
        if case is not None and case.case_no in state.rated_cases:
            raise RatingRefused("already_rated", case.case_no)
        if (case is None and not state.new_case_since_last and state.last_rated_at is not None
                and now - state.last_rated_at < self.rules.min_interval_s):
            raise RatingRefused("too_soon", f"{self.rules.min_interval_s - (now - state.last_rated_at):.0f} s left")

    def rate(self, invitation: Invitation, level: Level, persist: Persist, reasons: Sequence[str] = (),
             text: str = "") -> RatingRecord:
        """Validate, persist, then commit one rating; nothing is committed if ``persist`` raises."""
        level = Level(level)
        with self._lock:
            self._check_allowed(invitation.case, self._clock())
            codes, text = self._check_reasons(level, reasons, text)
            record = self._record(invitation, "rated", level, codes, text)
            persist(record)
            self._commit(record)
            return record

    def not_rated(self, invitation: Invitation, persist: Persist) -> RatingRecord:
        """Record an unanswered invitation as 未评; the case may be invited again later."""
        with self._lock:
            record = self._record(invitation, "not_rated", None, (), "")
            persist(record)
            return record

    def _check_reasons(self, level: Level, reasons: Sequence[str], text: str) -> tuple[tuple[str, ...], str]:
        codes = tuple(dict.fromkeys(reasons))  # keep order, drop repeats
        if len(text) > MAX_TEXT:
            raise RatingRefused("text_too_long", f"at most {MAX_TEXT} characters")
        unknown = [c for c in codes if self.reasons.get(c) is None]
        if unknown:
            raise RatingRefused("unknown_reason", ",".join(unknown))
        if level.is_bad and not codes:
            raise RatingRefused("reason_required")
        if not level.is_bad and codes:
            raise RatingRefused("reasons_only_for_bad")
        if text and not any(self.reasons.get(c).free_text for c in codes):  # type: ignore[union-attr]
            raise RatingRefused("text_needs_other")
        return codes, mask_text(text.strip())

    def _record(self, invitation: Invitation, outcome: Outcome, level: Level | None, codes: tuple[str, ...],
                text: str) -> RatingRecord:
        return RatingRecord(
            id=str(uuid7()), invitation_id=invitation.id, outcome=outcome, level=level, reasons=codes,
            reason_list_version=self.reasons.version if codes else None, text=text,
            rated_at=rating_time(self._wall()), case=invitation.case, context=self.context,
            trigger=invitation.trigger)

    def _commit(self, record: RatingRecord) -> None:
        state = self._state
        state.last_rated_at = self._clock()
        state.new_case_since_last = False
        if record.case is not None:
            state.rated_cases[record.case.case_no] = record.id
            while len(state.rated_cases) > self.rules.remember_cases:
                state.rated_cases.popitem(last=False)
            self._save_rated()
