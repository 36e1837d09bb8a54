"""Database models. Importing this package registers every table on ``Base.metadata``."""
from server.models.base import Base, UTCDateTime, utcnow
from server.models.content import ContentDocument
from server.models.fleet import Device, DeviceToken, EnrolCode, Site
from server.models.activity import Command, Event, Fault, StatusTransition, UsageRecord
from server.models.org import Department, Staff
from server.models.people import AuditEntry, User
from server.models.ratings import CalendarDay, DepartmentMember, MaliciousClaim, PushLog, Rating, RatingReject, RatingWindow, RectificationCase  # noqa: F401
from server.models.catalog import CatalogItem, CatalogTheme, CatalogVersion, ContentApplication, ContentApplicationMaterial, ContentCase, ContentCaseStep, ContentCertificate  # noqa: F401
from server.models.notify import EnrolClaim, NotifyOutbox, StaffCall, Webhook, WebhookAttempt, WebhookDelivery  # noqa: F401

__all__ = [
    "AuditEntry", "Base", "Command", "ContentDocument", "Department", "Device", "DeviceToken", "EnrolCode", "Event",
    "Fault", "Site", "Staff", "StatusTransition", "UTCDateTime", "UsageRecord", "User", "utcnow",
]
