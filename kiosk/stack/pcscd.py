"""pcscd with the vsmartcard-vpcd virtual readers, for the demo and the tests.

pcscd has one fixed socket per machine (``/run/pcscd/pcscd.comm``), so this launcher
starts ``pcscd -f -i`` only if none answers yet, and then owns (and later stops) exactly
that process; a pcscd started by someone else is used but never stopped. ``start()``
returns once the vpcd readers are listed, i.e. virtual cards can connect on 127.0.0.1.
"""
from __future__ import annotations

import shutil
import subprocess
import time

from kiosk.stack.process import terminate


class PcscdError(RuntimeError):
    pass


def _readers() -> list[str] | None:
    """Reader names, or None if pcscd does not answer."""
    try:
        from smartcard import scard as s
    except ImportError as exc:
        raise PcscdError("pyscard is not installed") from exc
    rv, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
    if rv != s.SCARD_S_SUCCESS:
        return None
    try:
        rv, names = s.SCardListReaders(ctx, [])
        return list(names) if rv == s.SCARD_S_SUCCESS else []
    finally:
        s.SCardReleaseContext(ctx)


class Pcscd:
    def __init__(self, args: tuple[str, ...] = ("-f", "-i")) -> None:
        self.args = args
        self.proc: subprocess.Popen | None = None

    @property
    def owned(self) -> bool:
        return self.proc is not None

    def start(self, timeout_s: float = 15.0) -> "Pcscd":
        if _readers() is None:
            exe = shutil.which("pcscd") or "/usr/sbin/pcscd"
            if not shutil.which(exe):
                raise PcscdError("pcscd not found: apt-get install pcscd vsmartcard-vpcd")
            self.proc = subprocess.Popen([exe, *self.args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         start_new_session=True)
        self.wait_for_vpcd(timeout_s)
        return self

    def wait_for_vpcd(self, timeout_s: float = 15.0) -> list[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            names = _readers()
            if names and any("Virtual PCD" in n for n in names):
                return names
            if self.proc is not None and self.proc.poll() is not None:
                # lost a start race with another pcscd: use that one
                self.proc = None
            time.sleep(0.1)
        raise PcscdError("pcscd did not list the vpcd readers (is vsmartcard-vpcd installed?)")

    def restart(self, timeout_s: float = 15.0) -> None:
        """Stop and start our pcscd (tests of context rebuilding); needs an owned pcscd."""
        if not self.owned:
            raise PcscdError("pcscd was started by someone else; not restarting it")
        self.stop()
        self.start(timeout_s)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            terminate(proc)

    def __enter__(self) -> "Pcscd":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
