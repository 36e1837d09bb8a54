"""Content served to terminals: the service catalog (事项) with its published versions, and the
demo case source's tables: cases (办件) with progress steps, certificates per person, and the
self-service applications received with their scanned materials.

People are never stored in the clear: a person is found by ``*_key``, an HMAC of the ID number
(see ``server.content.people``), and shown only by masked name and masked ID number.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, utcnow


class CatalogTheme(Base):
    """A life-event theme (主题) the terminal groups items by, e.g. ``employment`` 就业创业."""

    __tablename__ = "catalog_themes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    audience: Mapped[str] = mapped_column(String(20), default="personal")  # personal | company
    position: Mapped[int] = mapped_column(Integer, default=0)


class CatalogItem(Base):
    """A service item. ``draft`` holds edits not yet published (``None``: none pending);
    ``published`` is the item exactly as the live catalog carries it (``None``: never published
    or withdrawn). Publishing moves every draft into ``published`` and writes a new version."""

    __tablename__ = "catalog_items"

    basic_code: Mapped[str] = mapped_column(String(10), primary_key=True)  # 基本编码
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    published: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    sample_data: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="")


class CatalogVersion(Base):
    """One published catalog, kept for history; the newest is also the ``catalog`` ContentDocument."""

    __tablename__ = "catalog_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    etag: Mapped[str] = mapped_column(String(80))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(80), default="")


class ContentCase(Base):
    """A case (办件) as the demo case source knows it; ``status`` is the last step reached."""

    __tablename__ = "content_cases"

    case_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    basic_code: Mapped[str] = mapped_column(String(10), index=True)
    impl_code: Mapped[str] = mapped_column(String(24), default="")
    item_name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    applicant_key: Mapped[str] = mapped_column(String(64), index=True)  # HMAC of the ID number
    applicant_name_masked: Mapped[str] = mapped_column(String(50), default="")
    applicant_id_masked: Mapped[str] = mapped_column(String(24), default="")
    channel: Mapped[str] = mapped_column(String(20), default="window")  # window | terminal | online
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default="received")
    delivery_method: Mapped[str] = mapped_column(String(20), default="pickup")  # pickup | post
    delivery_carrier: Mapped[str] = mapped_column(String(50), default="")
    tracking_no: Mapped[str] = mapped_column(String(40), default="")
    device_id: Mapped[str] = mapped_column(String(40), default="")  # the terminal that submitted it
    sample_data: Mapped[bool] = mapped_column(Boolean, default=False)

    steps: Mapped[list["ContentCaseStep"]] = relationship(
        back_populates="case", order_by="ContentCaseStep.position", cascade="all, delete-orphan")


class ContentCaseStep(Base):
    """One step of a case; every planned step has a row, ``at`` is set when it is reached."""

    __tablename__ = "content_case_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(ForeignKey("content_cases.case_no"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")

    case: Mapped[ContentCase] = relationship(back_populates="steps")


class ContentCertificate(Base):
    """A certificate (证明) a person may print; ``body`` paragraphs keep the ``{holder}`` placeholder
    the terminal fills with the masked name and ID number."""

    __tablename__ = "content_certificates"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # c-...
    holder_key: Mapped[str] = mapped_column(String(64), index=True)
    holder_name_masked: Mapped[str] = mapped_column(String(50), default="")
    holder_id_masked: Mapped[str] = mapped_column(String(24), default="")
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(60))
    issuer: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    body: Mapped[list[str]] = mapped_column(JSON, default=list)
    table_header: Mapped[list[str]] = mapped_column(JSON, default=list)
    table_rows: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    verify_code: Mapped[str] = mapped_column(String(40), default="")
    verify_url: Mapped[str] = mapped_column(String(300), default="")
    pages: Mapped[int] = mapped_column(Integer, default=1)
    sample_data: Mapped[bool] = mapped_column(Boolean, default=False)


class ContentApplication(Base):
    """A self-service application (自助申报) received from a terminal; it opened ``case_no``."""

    __tablename__ = "content_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(ForeignKey("content_cases.case_no"), unique=True)
    basic_code: Mapped[str] = mapped_column(String(10), index=True)
    applicant_key: Mapped[str] = mapped_column(String(64), index=True)
    applicant_name_masked: Mapped[str] = mapped_column(String(50), default="")
    applicant_id_masked: Mapped[str] = mapped_column(String(24), default="")
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    device_id: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    total_bytes: Mapped[int] = mapped_column(Integer, default=0)

    materials: Mapped[list["ContentApplicationMaterial"]] = relationship(
        back_populates="application", order_by="ContentApplicationMaterial.id", cascade="all, delete-orphan")


class ContentApplicationMaterial(Base):
    """One scanned material of an application: a PDF kept in the database, so every app replica
    (stateless, behind a load balancer) can serve it without a shared file system."""

    __tablename__ = "content_application_materials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("content_applications.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    application: Mapped[ContentApplication] = relationship(back_populates="materials")
