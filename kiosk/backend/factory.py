"""Build the terminal's content backend from its configuration.

A terminal with a ``[server]`` gets :class:`kiosk.backend.http.HttpBackend`; ``[backend] source =
"sample"`` gives the in-memory 示例 content of the demo and the UI tests. One without either has no
source of content: :class:`NoBackend` refuses every call with ``no_server`` (the home screen
greys the tiles that need it, see :mod:`kiosk.functions`), so a journey shows a clear message
instead of inventing data.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.backend.base import (
    Application,
    ApplicationReceipt,
    BackendError,
    CaseRecord,
    Catalog,
    CertificateSummary,
    ServiceBackend,
    VerifiedIdentity,
)
from kiosk.config import KioskConfig


class NoBackend:
    """The backend of a terminal without a management server: every call is refused."""

    def _refuse(self) -> BackendError:
        return BackendError("no_server", "no [server] in the configuration")

    def catalog(self) -> Catalog:
        raise self._refuse()

    def case_by_number(self, case_no: str) -> CaseRecord:
        raise self._refuse()

    def cases_of(self, id_number: str) -> list[CaseRecord]:
        raise self._refuse()

    def certificates_of(self, id_number: str) -> list[CertificateSummary]:
        raise self._refuse()

    def certificate_document(self, id_number: str, certificate_id: str) -> dict[str, Any]:
        raise self._refuse()

    def submit(self, application: Application) -> ApplicationReceipt:
        raise self._refuse()

    def verify_identity_code(self, token: str) -> VerifiedIdentity:
        raise self._refuse()

    def close(self) -> None:
        pass


def make_backend(config: KioskConfig, data_dir: str | Path | None = None) -> ServiceBackend:
    """The backend for ``config``; ``data_dir`` (default: the config's) holds the token and catalog copy."""
    if config.backend.source == "sample":
        from kiosk.journeys.sample_backend import SampleBackend  # fictitious 示例 content, in memory

        return SampleBackend()
    if config.server is None:
        return NoBackend()
    from kiosk.backend.http import HttpBackend  # imports requests: only when a server is configured

    return HttpBackend(config.server, data_dir or config.paths.data_dir, config.backend)
