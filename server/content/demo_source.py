"""The shipped :class:`CaseSource`: answers from the demo tables that ``generator.seed`` fills and
that received applications add to. It stores people only as ``person_key`` HMACs plus masked forms.
"""
from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.clock import LOCAL
from server.content import identity_codes
from server.content.adapter import (STEP_NAMES, CaseSource, CaseView, CertificateDocument, CertificateSummary,
                                    Delivery, IdentityView, Receipt, Step, Submission)
from server.content.generator import case_number
from server.content.people import mask_id_number, mask_name, person_key
from server.models import (ContentApplication, ContentApplicationMaterial, ContentCase, ContentCaseStep,
                           ContentCertificate, Department)

QUERY_URL = "https://zwfw.example.gov.cn"  # where the receipt's QR points when no public_url is set
PLANNED = ("received", "accepted", "reviewed", "issued")


def case_view(row: ContentCase, department_name: str) -> CaseView:
    delivery = None
    if row.delivery_method == "post":
        delivery = Delivery("post", row.delivery_carrier, row.tracking_no)
    return CaseView(
        case_no=row.case_no, item_name=row.item_name, basic_code=row.basic_code, impl_code=row.impl_code,
        department=row.department_code, department_name=department_name,
        applicant_masked=row.applicant_name_masked, submitted_at=row.submitted_at, channel=row.channel,
        status=row.status, steps=tuple(Step(s.code, s.name, s.at, s.note) for s in row.steps), delivery=delivery)


class DemoCaseSource(CaseSource):
    def _key(self, id_number: str) -> str:
        return person_key(self.settings.secret_key, id_number)

    def _department_names(self) -> dict[str, str]:
        return dict(self.session.execute(select(Department.code, Department.name)).tuples().all())

    def case_by_number(self, case_no: str) -> CaseView | None:
        row = self.session.scalar(select(ContentCase).options(selectinload(ContentCase.steps))
                                  .where(ContentCase.case_no == case_no.strip().upper()))
        if row is None:
            return None
        return case_view(row, self._department_names().get(row.department_code, ""))

    def cases_of(self, id_number: str) -> list[CaseView]:
        rows = self.session.scalars(
            select(ContentCase).options(selectinload(ContentCase.steps))
            .where(ContentCase.applicant_key == self._key(id_number))
            .order_by(ContentCase.submitted_at.desc(), ContentCase.case_no.desc())).all()
        names = self._department_names()
        return [case_view(row, names.get(row.department_code, "")) for row in rows]

    def certificates_of(self, id_number: str) -> list[CertificateSummary]:
        rows = self.session.scalars(select(ContentCertificate).where(ContentCertificate.holder_key == self._key(id_number))
                                    .order_by(ContentCertificate.issued_at.desc(), ContentCertificate.id)).all()
        return [CertificateSummary(r.id, r.kind, r.title, r.issuer, r.issued_at, r.pages) for r in rows]

    def certificate_document(self, id_number: str, certificate_id: str) -> CertificateDocument | None:
        row = self.session.get(ContentCertificate, certificate_id)
        if row is None or row.holder_key != self._key(id_number):
            return None
        return CertificateDocument(
            title=row.title, number=row.number, holder_name=row.holder_name_masked, holder_id=row.holder_id_masked,
            body=list(row.body), table_header=list(row.table_header), table_rows=[list(r) for r in row.table_rows],
            issuer=row.issuer, issued_at=row.issued_at, verify_code=row.verify_code, verify_url=row.verify_url,
            notes=list(row.notes))

    def verify_identity_code(self, token: str) -> IdentityView:
        return identity_codes.verify_demo(token)

    def submit(self, submission: Submission) -> Receipt:
        item = submission.item
        day = submission.received_at.astimezone(LOCAL).date()
        name_masked, id_masked = mask_name(submission.name), mask_id_number(submission.id_number)
        key = self._key(submission.id_number)
        for _attempt in range(5):  # two terminals may take the same sequence number at once: retry
            number = case_number(item["department"], day, self._next_sequence(item["department"], day))
            try:
                with self.session.begin_nested():
                    self._store(submission, number, key, name_masked, id_masked)
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("could not allocate a case number")
        base = (self.settings.public_url or QUERY_URL).rstrip("/")
        return Receipt(
            case_no=number, accepted_at=submission.received_at, item_name=item["name"],
            department_name=submission.department_name, promised_days=int(item.get("promised_days", 0)),
            materials=[m.name for m in submission.materials], query_url=f"{base}/case/{number}",
            applicant_masked=name_masked, applicant_id_masked=id_masked)

    def _next_sequence(self, department: str, day: date) -> int:
        prefix = case_number(department, day, 0)[:-6]
        taken = self.session.scalar(select(func.max(ContentCase.case_no)).where(ContentCase.case_no.like(prefix + "%")))
        return int(taken[-6:]) + 1 if taken else 1

    def _store(self, submission: Submission, number: str, key: str, name_masked: str, id_masked: str) -> None:
        item = submission.item
        case = ContentCase(
            case_no=number, basic_code=item["basic_code"], impl_code=item.get("impl_code", ""), item_name=item["name"],
            department_code=item["department"], applicant_key=key, applicant_name_masked=name_masked,
            applicant_id_masked=id_masked, channel="terminal", submitted_at=submission.received_at,
            status="received", device_id=submission.device_id)
        for position, code in enumerate(PLANNED):
            case.steps.append(ContentCaseStep(position=position, code=code, name=STEP_NAMES[code],
                                              at=submission.received_at if code == "received" else None,
                                              note="自助终端提交" if code == "received" else ""))
        self.session.add(case)
        self.session.flush()
        application = ContentApplication(
            case_no=number, basic_code=item["basic_code"], applicant_key=key, applicant_name_masked=name_masked,
            applicant_id_masked=id_masked, form=dict(submission.form), device_id=submission.device_id,
            received_at=submission.received_at, total_bytes=sum(len(m.pdf) for m in submission.materials))
        for material in submission.materials:
            application.materials.append(ContentApplicationMaterial(
                code=material.code, name=material.name, size=len(material.pdf),
                sha256=hashlib.sha256(material.pdf).hexdigest(), pdf=material.pdf))
        self.session.add(application)
        self.session.flush()

