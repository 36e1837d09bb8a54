"""A private cupsd with a cups-pdf queue, for the demo and the tests.

Its own config folder, spool and port (on 127.0.0.1 only), so it never touches or
clashes with a system CUPS. The queue prints through the cups-pdf backend, which files
each job as a PDF in the job owner's ``Out`` folder from ``/etc/cups/cups-pdf.conf``
(``${HOME}/PDF`` on Debian; cups-pdf reads no other config), named ``<title>...job_<id>.pdf``.
The terminal config then says ``[devices.a4printer] queue = "PDF"``, ``server = launcher.server``.
"""
from __future__ import annotations

import getpass
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from kiosk.stack.process import ManagedProcess

CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"

_CUPSD_CONF = """\
Listen 127.0.0.1:{port}
LogLevel warn
WebInterface No
Browsing Off
DefaultAuthType None
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

_CUPS_FILES_CONF = """\
ServerRoot {root}
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
SystemGroup root
FileDevice No
"""


class CupsError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cups_pdf_out_dir(user: str | None = None) -> Path:
    """Where cups-pdf files jobs of ``user``: its ``Out`` setting with ``${HOME}`` expanded."""
    user = user or getpass.getuser()
    out = "${HOME}/PDF"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(errors="replace").splitlines():
            if line.strip().startswith("Out "):
                out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", pwd.getpwnam(user).pw_dir).replace("${USER}", user))


class CupsServer:
    """``with CupsServer() as cups: CupsPrinter(cups.queue, cups.server).print_pdf(pdf)``."""

    def __init__(self, root: Path | None = None, port: int = 0, queue: str = "PDF") -> None:
        # Filters run as user lp and must reach the spool and temp folders: every folder above
        # them needs o+x, which pytest's and mkdtemp's 0700 folders lack; hence /tmp/kiosk-cups-*.
        self._own_root = root is None
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        self.port = port or _free_port()
        self.queue = queue
        self.out_dir = cups_pdf_out_dir()
        self._process: ManagedProcess | None = None

    @property
    def server(self) -> str:
        """The value for ``[devices.a4printer] server``."""
        return f"127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 20.0) -> "CupsServer":
        for tool in ("cupsd", "lpadmin"):
            if shutil.which(tool) is None:
                raise CupsError(f"{tool} not found: apt-get install cups cups-bsd printer-driver-cups-pdf")
        for sub in ("spool", "cache", "state", "log", "ppd"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)
        # cupsd's filters run as user lp: they must reach the private root and write temp files in
        # tmp (sticky, like /tmp). This is the test/demo print server, never a device's data directory.
        os.chmod(self.root, 0o755)  # nosec B103
        os.chmod(self.root / "tmp", 0o1777)  # nosec B103
        (self.root / "cupsd.conf").write_text(_CUPSD_CONF.format(port=self.port))
        (self.root / "cups-files.conf").write_text(_CUPS_FILES_CONF.format(root=self.root))
        self._process = ManagedProcess("cupsd", ["cupsd", "-f", "-c", str(self.root / "cupsd.conf"),
                                                 "-s", str(self.root / "cups-files.conf")],
                                       log_path=self.root / "log" / "cupsd.out").start()
        self._wait_listening(timeout_s)
        self._add_queue()
        return self

    def _wait_listening(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is None or not self._process.running():
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        log = self.root / "log" / "error_log"
        tail = log.read_text(errors="replace")[-400:] if log.exists() else ""
        self.stop()
        raise CupsError(f"cupsd did not start on {self.server}: {tail}")

    def _add_queue(self) -> None:
        out = subprocess.run(["lpadmin", "-h", self.server, "-p", self.queue, "-v", "cups-pdf:/", "-E",
                              "-m", CUPS_PDF_PPD], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            self.stop()
            raise CupsError(f"lpadmin failed: {out.stderr.strip()}")

    def output_for(self, job_id: int, title: str, timeout_s: float = 10.0) -> Path:
        """The PDF cups-pdf wrote for a job (it may land a moment after the job completes)."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = sorted(self.out_dir.glob(f"{title}*job_{job_id}.pdf"))
            if found and found[0].stat().st_size > 0:
                return found[0]
            if time.monotonic() > deadline:
                raise CupsError(f"no PDF for job {job_id} ({title}) in {self.out_dir}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop(grace_s=5)
            self._process = None
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "CupsServer":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
