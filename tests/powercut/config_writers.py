"""The device's settings writers, driven in a loop for the power-cut tests, and their checks.

Run as ``python -m tests.powercut.config_writers WRITER DATA_DIR URL FIRST [LAST]``: the child opens the
stores as the app does at start (which also cleans up temporary files of dead writers),
checks what it finds (exits 3 when the state on disk is not whole), prints ``ready STATE``,
then applies updates one after the other, printing ``done N`` after each one returned,
until it is killed. The test process reads the same files with :meth:`Writer.read` after
every kill.

Every writer uses the real device code (``CatalogCache.refresh``, ``ScheduleStore.save``,
``ReasonsSync.refresh``, ``StaffSync.refresh``, ``LockState.lock/unlock``,
``TokenStore.save``). The three that fetch from the management server get their updates
from :class:`UpdateServer`, a loopback server speaking the same wire format that hands out
a new version on every request, so every refresh writes.
"""
from __future__ import annotations

import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from kiosk.catalog_cache import CATALOG_FILE, CatalogCache
from kiosk.config import ServerLinkConfig
from kiosk.enrolment import TOKEN_FILE, Credentials, TokenStore
from kiosk.lock_state import LOCK_FILE, LockState
from kiosk.rating import DEFAULT_REASONS_FILE, PUSHED_REASONS_FILE, ReasonList
from kiosk.reasons_sync import ETAG_FILE as REASONS_ETAG_FILE
from kiosk.reasons_sync import ReasonsSync
from kiosk.screen_schedule import SCHEDULE_FILE, ScheduleStore, ScreenSchedule
from kiosk.server_link import ServerLink
from kiosk.staff import STAFF_FILE, StaffDirectory, parse_directory
from kiosk.staff_sync import ETAG_FILE as STAFF_ETAG_FILE
from kiosk.staff_sync import JPEG_MAGIC, StaffSync, photo_file_name

TOKEN_URL = "http://127.0.0.1:1"  # the token writer never connects; its file is bound to this URL
STAFF_COUNT = 4
CATALOG_ITEMS = 3000  # ~0.5 MB of JSON: the write takes long enough for kills to land inside it
PHOTO_BYTES = 120_000


class Torn(AssertionError):
    """What a reader found is not one whole version."""


# ----- what the update server hands out, version by version ----------------------------------------
def catalog_body(n: int) -> dict[str, Any]:
    items = [{"code": f"{n:05d}{i:05d}", "name": f"事项{i} 第{n}版", "dept": "政务服务中心" * 2}
             for i in range(CATALOG_ITEMS)]
    return {"version": n, "items": items, "digest": _digest(items)}


def reasons_body(n: int) -> dict[str, Any]:
    raw = json.loads(DEFAULT_REASONS_FILE.read_text(encoding="utf-8"))
    raw["version"] = 100 + n
    raw["name"] = f"powercut v{100 + n}"
    return raw


def photo_etag(n: int, staff_no: str) -> str:
    return f"p{n}-{staff_no}"


def photo_bytes(etag: str) -> bytes:
    """A JPEG-tagged blob that names its ETag and is checkable whole (the digest is at the end)."""
    seed = hashlib.sha256(etag.encode()).digest()
    body = JPEG_MAGIC + etag.encode() + b"\n" + seed * (PHOTO_BYTES // len(seed))
    return body + hashlib.sha256(body).digest()


def staff_body(n: int) -> dict[str, Any]:
    staff = []
    for i in range(STAFF_COUNT):
        no = f"S{i:03d}"
        etag = photo_etag(n, no)
        staff.append({"staff_no": no, "name": f"示例{i}号 v{n}", "title": "窗口", "pin_hash": "",
                      "card_uid_hash": hashlib.sha256(f"{n}-{i}".encode()).hexdigest(),
                      "photo_etag": etag, "photo_url": f"/api/v1/staff/{no}/photo?e={etag}"})
    return {"version": n, "staff": staff}


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class UpdateServer(BaseHTTPRequestHandler):
    """Catalog, reason list, staff directory and photos; a new version on every directory GET.

    ``served[kind]`` is the highest version handed out so far (class-wide: one server per test).
    With ``frozen`` set it behaves like a server whose data does not change: the same version
    again, and 304 to a matching ``If-None-Match``.
    """

    served: dict[str, int] = {}
    frozen = False
    lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.served = {"catalog": 0, "reasons": 0, "staff": 0}
            cls.frozen = False

    def _next(self, kind: str) -> int:
        with self.lock:
            if not self.frozen or not self.served[kind]:
                self.served[kind] += 1
            return self.served[kind]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0]
        bodies = {"/api/v1/catalog": ("catalog", "c", catalog_body), "/api/v1/staff": ("staff", "s", staff_body),
                  "/api/v1/rating-reasons": ("reasons", "r", reasons_body)}
        if path in bodies:
            kind, letter, body = bodies[path]
            n = self._next(kind)
            if self.headers.get("If-None-Match") == f'"{letter}{n}"':
                self.send_response(304)
                self.send_header("ETag", f'"{letter}{n}"')
                self.end_headers()
                return
            self._send(json.dumps(body(n), ensure_ascii=False).encode(), f'"{letter}{n}"')
        elif path.startswith("/api/v1/staff/") and path.endswith("/photo"):
            etag = self.path.split("?e=", 1)[1]
            self._send(photo_bytes(etag), f'"{etag}"', "image/jpeg")
        else:
            self.send_error(404)

    def _send(self, body: bytes, etag: str, ctype: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        try:
            self.wfile.write(body)
        except ConnectionError:
            pass  # the client was killed mid-download: that is the test

    def log_message(self, *_args: object) -> None:
        pass


# ----- the writers ------------------------------------------------------------------------------------
class Writer:
    """One settings file (or set of files). ``files`` are the names whose temporaries a kill may leave."""

    files: tuple[str, ...] = ()
    fetched = False  # True: versions come from the update server, not from the step number

    def __init__(self, data_dir: Path, url: str) -> None:
        self.data_dir = data_dir
        self.url = url

    def open(self) -> None:
        """Construct the device's stores as the app does at start."""

    def step(self, n: int) -> int:
        """Apply update ``n``; returns the version now on disk (``n`` itself for local writers)."""
        raise NotImplementedError

    def read(self) -> Any:
        """The state on disk as one comparable value; raises :class:`Torn` when it is not whole."""
        raise NotImplementedError

    def expected(self, n: int) -> Any:
        """The state after step ``n`` (local writers); 0 = before the first step."""
        raise NotImplementedError

    def link(self) -> ServerLink:
        link = ServerLink(ServerLinkConfig(url=self.url, timeout_s=10))
        link.token = "powercut-test"
        return link


class ScheduleWriter(Writer):
    files = (SCHEDULE_FILE,)

    def open(self) -> None:
        self.store = ScheduleStore(self.data_dir)

    @staticmethod
    def _schedule(n: int) -> ScreenSchedule:
        on, off = n % 720, 720 + n % 720
        days = tuple(d for d in range(1, 8) if d != n % 7 + 1)
        return ScreenSchedule(f"{on // 60:02d}:{on % 60:02d}", f"{off // 60:02d}:{off % 60:02d}", days)

    def step(self, n: int) -> int:
        self.store.save(self._schedule(n))
        return n

    def expected(self, n: int) -> Any:
        return self._schedule(n) if n else None

    def read(self) -> Any:
        loaded = ScheduleStore(self.data_dir).load()
        if loaded is None and (self.data_dir / SCHEDULE_FILE).exists():
            raise Torn(f"{SCHEDULE_FILE} exists but does not load")
        return loaded


class LockWriter(Writer):
    """Odd steps lock (with the step in the message), even steps unlock."""

    files = (LOCK_FILE,)

    def open(self) -> None:
        self.state = LockState(self.data_dir)

    def step(self, n: int) -> int:
        if n % 2:
            self.state.lock(f"维护中 m{n}")
        else:
            self.state.unlock()
        return n

    def expected(self, n: int) -> Any:
        return f"locked 维护中 m{n}" if n % 2 else "unlocked"

    def read(self) -> Any:
        state = LockState(self.data_dir)
        if not state.locked:
            return "unlocked"
        if not state.message:
            raise Torn(f"{LOCK_FILE} exists without its message")
        return f"locked {state.message}"


class TokenWriter(Writer):
    files = (TOKEN_FILE,)

    def open(self) -> None:
        self.store = TokenStore(self.data_dir)

    @staticmethod
    def _creds(n: int) -> Credentials:
        return Credentials(f"dev-{n}", f"tok-{n}-" + hashlib.sha256(str(n).encode()).hexdigest() * 4, TOKEN_URL)

    def step(self, n: int) -> int:
        self.store.save(self._creds(n))
        return n

    def expected(self, n: int) -> Any:
        return self._creds(n) if n else None

    def read(self) -> Any:
        path = self.data_dir / TOKEN_FILE
        creds = TokenStore(self.data_dir).load(TOKEN_URL)
        if path.exists():
            if creds is None:
                raise Torn(f"{TOKEN_FILE} exists but does not load")
            if path.stat().st_mode & 0o077:
                raise Torn(f"{TOKEN_FILE} is readable by others: {oct(path.stat().st_mode)}")
        return creds


class CatalogWriter(Writer):
    files = (CATALOG_FILE,)
    fetched = True

    def open(self) -> None:
        self.cache = CatalogCache(self.data_dir)
        self._link = self.link()

    def step(self, n: int) -> int:
        if not self.cache.refresh(self._link):
            raise RuntimeError("the update server always has a new catalog")
        return int(self.cache.load()[1].strip('"c'))

    def read(self) -> Any:
        catalog, etag = CatalogCache(self.data_dir).load()
        if catalog is None:
            if (self.data_dir / CATALOG_FILE).exists():
                raise Torn(f"{CATALOG_FILE} exists but does not load")
            return 0
        if etag != f'"c{catalog["version"]}"' or _digest(catalog["items"]) != catalog["digest"] \
                or len(catalog["items"]) != CATALOG_ITEMS:
            raise Torn(f"catalog v{catalog['version']} with etag {etag} is not whole")
        return catalog["version"]


class ReasonsWriter(Writer):
    files = (PUSHED_REASONS_FILE, REASONS_ETAG_FILE)
    fetched = True

    def open(self) -> None:
        self.sync = ReasonsSync(self.data_dir)
        self._link = self.link()

    def step(self, n: int) -> int:
        installed = self.sync.refresh(self._link)
        if installed is None:
            raise RuntimeError("the update server always has a newer reason list")
        return installed.version - 100

    def read(self) -> Any:
        pushed = self.data_dir / PUSHED_REASONS_FILE
        if not pushed.exists():
            return 0
        try:
            reasons = ReasonList.load(pushed)  # strict: current_reason_list() would hide damage behind the default
        except Exception as exc:
            raise Torn(f"{PUSHED_REASONS_FILE}: {exc}") from None
        if reasons.name != f"powercut v{reasons.version}":
            raise Torn(f"reason list v{reasons.version} is not whole")
        etag_path = self.data_dir / REASONS_ETAG_FILE
        if etag_path.exists():
            etag = etag_path.read_text(encoding="ascii")
            if not (etag.startswith('"r') and etag.endswith('"') and etag[2:-1].isdigit()):
                raise Torn(f"{REASONS_ETAG_FILE} holds {etag!r}")
        return reasons.version - 100


class StaffWriter(Writer):
    files = (STAFF_FILE, STAFF_ETAG_FILE, "staff_photo_*.jpg")
    fetched = True

    def open(self) -> None:
        self.sync = StaffSync(StaffDirectory(self.data_dir / STAFF_FILE))
        self._link = self.link()

    def step(self, n: int) -> int:
        if not self.sync.refresh(self._link):
            raise RuntimeError("the update server always has a new directory")
        return self.sync.directory.version

    def read(self) -> Any:
        path = self.data_dir / STAFF_FILE
        if not path.exists():
            return 0
        try:
            version, members = parse_directory(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise Torn(f"{STAFF_FILE}: {exc}") from None
        directory = StaffDirectory(path)  # what sign-in would use after this start
        if directory.version != version or len(directory) != STAFF_COUNT:
            raise Torn(f"{STAFF_FILE} v{version} loads as v{directory.version} with {len(directory)} staff")
        for member in directory.members():
            etag = photo_etag(version, member.staff_no)
            photo = directory.photo_path(member)
            if member.photo != photo_file_name(member.staff_no, etag) or photo is None:
                raise Torn(f"staff {member.staff_no} of v{version}: photo {member.photo!r} missing")
            if photo.read_bytes() != photo_bytes(etag):
                raise Torn(f"staff {member.staff_no} of v{version}: photo {photo.name} is not whole")
            if member.name != f"示例{int(member.staff_no[1:])}号 v{version}":
                raise Torn(f"staff {member.staff_no}: name of another version")
        return version


WRITERS: dict[str, type[Writer]] = {"catalog": CatalogWriter, "schedule": ScheduleWriter, "reasons": ReasonsWriter,
                                    "staff": StaffWriter, "lock": LockWriter, "token": TokenWriter}


def main(argv: list[str]) -> int:
    name, data_dir, url, first = argv[0], Path(argv[1]), argv[2], int(argv[3])
    last = int(argv[4]) if len(argv) > 4 else None  # a bounded run (the syscall-order test)
    writer = WRITERS[name](data_dir, url)
    writer.open()
    try:
        state = writer.read()
    except Torn as exc:
        print(f"torn at start: {exc}", file=sys.stderr, flush=True)
        return 3
    print("ready", repr(state)[:80], flush=True)
    n = first
    while last is None or n <= last:
        # one write() per line: with PYTHONUNBUFFERED print() writes "done", " ", N and "\n" apart,
        # and a kill between them left a "done " line without its number (seen once in a run)
        sys.stdout.write(f"done {writer.step(n)}\n")
        sys.stdout.flush()
        n += 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
