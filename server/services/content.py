"""Documents fetched by devices with ETags: the service catalog and each device's own config.

The ETag is a hash of the canonical JSON, so it changes exactly when the content does, and
every replica computes the same one without shared state.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from server.models import ContentDocument, Device, utcnow
from server.services import audit
from server.settings import Settings

CATALOG = "catalog"

# What terminals get before anything was published: a valid, empty catalog (CONTENT_API shape).
EMPTY_CATALOG: dict[str, Any] = {"version": "0", "sample_data": False, "departments": [], "themes": [], "items": []}


def etag_of(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32] + '"'


def catalog(session: Session) -> tuple[dict[str, Any], str]:
    """The published catalog (docs/CONTENT_API.md shape) and its ETag; empty until the first publish.

    ``server.content.catalog.publish`` writes it; readers (the terminal API, the 实时可办率 report)
    get ``items[*]["functions"]`` etc. exactly as terminals do.
    """
    doc = session.get(ContentDocument, CATALOG)
    if doc is None:
        return EMPTY_CATALOG, etag_of(EMPTY_CATALOG)
    return doc.body, doc.etag


def store(session: Session, name: str, body: dict[str, Any], version: str, actor: str) -> ContentDocument:
    doc = session.get(ContentDocument, name)
    if doc is None:
        doc = ContentDocument(name=name, version=version, etag=etag_of(body), body=body, updated_at=utcnow())
        session.add(doc)
    else:
        doc.body, doc.version, doc.etag, doc.updated_at = body, version, etag_of(body), utcnow()
    audit.record(session, actor, "content.store", name, version=version)
    return doc


def device_config(device: Device, settings: Settings) -> tuple[dict[str, Any], str]:
    """What a device should know about itself and the protocol, with its ETag."""
    body = {
        "device_id": device.id,
        "type": device.type,
        "name": device.name,
        "window": device.window,
        "location": device.location,
        "site": {"slug": device.site.slug, "name": device.site.name, "region_code": device.site.region_code},
        "heartbeat_interval_s": settings.heartbeat_interval_s,
        "max_batch_events": settings.max_batch_events,
        "max_body_bytes": settings.max_body_bytes,
    }
    return body, etag_of(body)
