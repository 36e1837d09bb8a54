"""The management server's content API (docs/CONTENT_API.md) as a :class:`ServiceBackend`.

Rides on :class:`kiosk.server_link.ServerLink` (timeouts, TLS, private CA, gzip) with its own link
object: the reporter's link belongs to the reporter thread, and a citizen's query must not wait
behind an event batch. The device token is the one the reporter obtained at enrolment, read from
the token file when first needed (enrolment may finish after the app started).

The catalog goes through :class:`kiosk.catalog_cache.CatalogCache`: refreshed with ``If-None-Match``
at most every ``catalog_refresh_s``, and served from the last stored copy when the server cannot be
reached, so 办事指南 works offline. Every failure is a :class:`BackendError`: ``offline`` when
no answer came, the contract's reason key for a refusal, ``bad_answer`` for a malformed answer.
ID numbers travel only in POST bodies and never appear in a log line or an error detail.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kiosk.backend import wire
from kiosk.backend.base import (
    Application,
    ApplicationReceipt,
    BackendError,
    CaseRecord,
    Catalog,
    CertificateSummary,
    VerifiedIdentity,
)
from kiosk.catalog_cache import CatalogCache, CatalogRefreshError
from kiosk.config import BackendConfig, ServerLinkConfig
from kiosk.enrolment import TokenStore
from kiosk.server_link import API_PREFIX, LinkDown, Reply, ServerLink

log = logging.getLogger(__name__)
T = TypeVar("T")

# LinkDown reasons that mean "no usable answer came": the terminal is offline for the citizen.
_OFFLINE = {"server_unreachable", "tls_error", "not_enrolled"}


class HttpBackend:
    """Thread-safe: the journeys call it from worker threads, one request at a time per backend."""

    def __init__(self, server: ServerLinkConfig, data_dir: str | Path, settings: BackendConfig | None = None,
                 link: ServerLink | None = None) -> None:
        self.settings = settings or BackendConfig()
        self.link = link or ServerLink(server)
        self.tokens = TokenStore(data_dir)
        self.cache = CatalogCache(data_dir)
        self._lock = threading.Lock()
        self._catalog: tuple[str, Catalog] | None = None  # (etag, parsed) of the stored copy
        self._next_refresh = float("-inf")  # monotonic time of the next If-None-Match check
        self.last_refresh_error = ""  # why the last refresh failed ("" when it worked): shown in maintenance

    def close(self) -> None:
        self.link.close()

    # ----- the catalog ----------------------------------------------------------------------------
    def catalog(self) -> Catalog:
        with self._lock:
            if time.monotonic() >= self._next_refresh:
                self._refresh_catalog()
            body, etag = self.cache.load()
            if body is None:
                raise BackendError(_catalog_reason(self.last_refresh_error), "no catalog stored yet")
            if self._catalog is None or self._catalog[0] != etag or not etag:
                self._catalog = (etag, wire.parse_catalog(body))
            return self._catalog[1]

    def _refresh_catalog(self) -> None:
        try:
            self._ensure_token()
            self.cache.refresh(self.link)
            self.last_refresh_error = ""
            self._next_refresh = time.monotonic() + self.settings.catalog_refresh_s
        except (CatalogRefreshError, BackendError) as exc:
            reason = exc.reason if isinstance(exc, CatalogRefreshError) else (exc.detail or exc.reason)
            self.last_refresh_error = reason
            # offline: try again soon, but not on every tap (each try may wait for the connect timeout)
            self._next_refresh = time.monotonic() + min(self.settings.catalog_refresh_s, self.settings.retry_after_s)
            log.warning("catalog refresh failed (%s): using the stored copy", reason)

    # ----- cases and certificates -----------------------------------------------------------------
    def case_by_number(self, case_no: str) -> CaseRecord:
        return self._post_json("/cases/query", {"case_no": case_no}, wire.parse_case)

    def cases_of(self, id_number: str) -> list[CaseRecord]:
        return self._post_json("/cases/mine", {"id_number": id_number}, wire.parse_cases)

    def certificates_of(self, id_number: str) -> list[CertificateSummary]:
        return self._post_json("/certificates/mine", {"id_number": id_number}, wire.parse_certificates)

    def certificate_document(self, id_number: str, certificate_id: str) -> dict[str, Any]:
        return self._post_json("/certificates/document", {"id_number": id_number, "certificate_id": certificate_id},
                               wire.parse_certificate_document)

    # ----- identity codes -----------------------------------------------------------------------
    def verify_identity_code(self, token: str) -> VerifiedIdentity:
        """The server (or its provincial platform) says whose code it is; the token travels only in the body."""
        return self._post_json("/identity/verify", {"token": token}, wire.parse_identity)

    # ----- applications -------------------------------------------------------------------------
    def submit(self, application: Application) -> ApplicationReceipt:
        """Multipart: the application JSON and one PDF part per scanned material (in memory only)."""
        import requests  # the link already imported it; kept local like the rest of the HTTP code

        self._ensure_token()
        meta = {"basic_code": application.basic_code, "id_number": application.id_number,
                "name": application.name, "form": dict(application.form)}
        files: list[tuple[str, tuple[str | None, bytes | str, str]]] = [
            ("application", (None, json.dumps(meta, ensure_ascii=False), "application/json"))]
        for material in application.materials:
            files.append((f"material.{material.code}", (f"{material.code}.pdf", material.pdf, "application/pdf")))
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self.link.token}"}
        sent = time.time()
        try:
            response = self.link.session.post(
                self.link.base_url + API_PREFIX + "/applications", files=files, headers=headers,
                timeout=(self.link.timeouts[0], max(self.link.timeouts[1], self.settings.upload_timeout_s)),
                verify=self.link.verify)
            raw = response.content
        except requests.RequestException as exc:
            log.warning("application upload failed: %s", type(exc).__name__)
            raise BackendError("offline", type(exc).__name__) from None
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        reply = Reply(response.status_code, body, sent, time.time(), None, None)
        return self._answer("/applications", reply, wire.parse_receipt)

    # ----- plumbing ---------------------------------------------------------------------------------
    def _ensure_token(self) -> None:
        """The reporter enrols in the background: pick its token up once it exists."""
        if self.link.token:
            return
        creds = self.tokens.load(self.link.base_url)
        if creds is None:
            raise BackendError("offline", "not_enrolled")
        self.link.token = creds.token

    def _post_json(self, path: str, body: dict[str, Any], parse: Callable[[Any], T]) -> T:
        self._ensure_token()
        try:
            reply = self.link.post(path, body)
        except LinkDown as exc:
            # exc.detail names the exception and URL only: the body (with an ID number) is never in it
            log.warning("content API %s: %s", path, exc.reason)
            if exc.reason in _OFFLINE:
                raise BackendError("offline", exc.reason) from None
            raise BackendError("bad_answer", f"{path}: {exc.reason}") from None
        return self._answer(path, reply, parse)

    def _answer(self, path: str, reply: Reply, parse: Callable[[Any], T]) -> T:
        if reply.status in (401, 403) and wire.error_reason(reply.status, reply.body) != "terminal_only":
            self.link.token = None  # re-read the token file next time: the device may have been re-enrolled
        if not reply.ok:
            reason = wire.error_reason(reply.status, reply.body)
            log.info("content API %s refused: HTTP %d %s", path, reply.status, reason)
            raise BackendError(reason)
        try:
            return parse(reply.body)
        except BackendError as exc:
            log.warning("content API %s: malformed answer: %s", path, exc.detail)
            raise


def _catalog_reason(refresh_error: str) -> str:
    """The BackendError reason when there is no stored catalog and the refresh failed this way."""
    if not refresh_error or refresh_error in _OFFLINE:
        return "offline"
    if refresh_error == "bad_response":
        return "bad_answer"
    return refresh_error  # http_<status>
