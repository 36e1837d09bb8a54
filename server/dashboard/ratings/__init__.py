"""好差评 dashboard pages (Chinese): statistics, rectification queue, malicious claims, export and
push, rating-QR windows, holidays; plus the public rating-QR page ``/rate/<token>``."""
from __future__ import annotations

from fastapi import APIRouter

from server.dashboard.ratings import admin_pages, case_pages, export_pages, qr_pages, stats_pages

router = APIRouter(include_in_schema=False)
for _module in (stats_pages, case_pages, export_pages, qr_pages, admin_pages):
    router.include_router(_module.router)
