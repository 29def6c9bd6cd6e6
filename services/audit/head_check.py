"""Checking a file of signed chain heads (as /public/<code>/heads.json gives it): first with the
file alone (each statement's signature under the certificate in the file, its time-stamp, the
links between the statements), then, on the instance, against the organisation and its chain.

What a held statement proves on the instance: if the chain no longer passes through its head,
or the office's statements now say something else for the same entry, history up to that head
was rewritten after the statement was made; the statement is signed by the office itself, so
the proof does not depend on trusting the instance's database or its keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from documents.pdf.signing_certificate import SigningIdentityProblem, certificate_facts
from documents.pdf.statement_signing import signature_holds
from documents.pdf.timestamp_token import TimestampFacts, read_timestamp
from models import AuditEntry, HeadStatement, Memo, Organisation, Publication
from models.head_statement import DOCUMENT_FORMAT, BadStatement, read_statement, text_sha256
from services.audit.audit_verify import statement_problems, verify_in

GENUINE, SIGNED, REWRITTEN, FORGED = "genuine", "signed", "rewritten", "forged"


class BadHeadsFile(ValueError):
    """A file that is not a statements file (not JSON, another format, fields missing)."""


class UnknownOrganisation(LookupError):
    """The file's organisation is not one of this instance's."""


@dataclass(frozen=True)
class HeldStatement:
    """One statement as the file gives it."""

    text: str
    sha256: str
    signature: str
    certificate_pem: str
    timestamp_token: str


@dataclass(frozen=True)
class HeadsFile:
    organisation: str  # its code
    statements: list[HeldStatement]


@dataclass
class StatementCheck:
    seq: int
    head: str
    sha256: str
    made_at: str  # as the statement says (the office's clock)
    certificate_sha256: str
    certificate_subject: str
    previous_sha256: str
    verdict: str  # GENUINE | SIGNED | REWRITTEN | FORGED
    reasons: list[str] = field(default_factory=list)  # Thai and English, one per line
    timestamp: TimestampFacts | None = None


@dataclass
class HeadsReport:
    organisation: str
    statements: list[StatementCheck]
    on_instance: bool = False  # False: the file alone was checked
    instance_problems: list[str] = field(default_factory=list)  # the audit trail's own, as `audit verify`

    @property
    def verdict(self) -> str:
        order = [FORGED, REWRITTEN, SIGNED, GENUINE]
        found = {c.verdict for c in self.statements}
        if self.instance_problems and found <= {GENUINE}:
            return REWRITTEN
        return next((v for v in order if v in found), GENUINE)


# --- the file alone ----------------------------------------------------------------------------


def read_heads_file(data: bytes) -> HeadsFile:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadHeadsFile(f"ไฟล์ไม่ใช่ JSON (the file is not JSON): {error}") from error
    try:
        if document["format"] != DOCUMENT_FORMAT:
            raise BadHeadsFile(
                f"ไม่ใช่ไฟล์หัวห่วงโซ่ {DOCUMENT_FORMAT} (not a {DOCUMENT_FORMAT} file: {document['format']!r})"
            )
        certificates = document["certificates"]
        statements = [
            HeldStatement(
                s["statement"],
                s["sha256"],
                s["signature"],
                certificates.get(s["certificate_sha256"], ""),
                s.get("timestamp_token") or "",
            )
            for s in document["statements"]
        ]
        organisation = str(document["organisation"]["code"])
    except (KeyError, TypeError, AttributeError) as error:
        raise BadHeadsFile(
            f"ไฟล์หัวห่วงโซ่ขาดข้อมูล (the statements file lacks a field: {error}); ดาวน์โหลดใหม่จากหน้าประกาศ "
            "(download it again from the public page)"
        ) from error
    if not statements:
        raise BadHeadsFile("ไฟล์ไม่มีข้อความรับรอง (the file holds no statement)")
    return HeadsFile(organisation, statements)


def check_file(held: HeadsFile) -> HeadsReport:
    """What the file proves by itself: each statement signed by the certificate it names, the
    statements linked one to the next. Whether that certificate is the office's is for the reader
    to compare (the fingerprint on the public page, in the PDFs) or for `check_on_instance`."""
    checks = sorted((_check_one(held.organisation, s) for s in held.statements), key=lambda c: c.seq)
    for earlier, later in zip(checks, checks[1:], strict=False):
        if later.verdict != FORGED and later.previous_sha256 != earlier.sha256:
            # Not a refusal: a file of one statement, or of some, is a normal thing to keep.
            later.reasons.append(
                "ไม่ได้อ้างถึงฉบับก่อนหน้าในไฟล์ (it does not name the statement before it in the file: "
                "the ones in between are not in the file)"
            )
    return HeadsReport(held.organisation, checks)


def _check_one(organisation: str, held: HeldStatement) -> StatementCheck:
    try:
        fields = read_statement(held.text)
        subject = certificate_facts(held.certificate_pem.encode("ascii")).subject if held.certificate_pem else ""
    except (BadStatement, SigningIdentityProblem, UnicodeEncodeError) as error:
        return StatementCheck(0, "", text_sha256(held.text), "", "", "", "", FORGED, [str(error)])
    check = StatementCheck(
        fields["seq"],
        fields["head"],
        text_sha256(held.text),
        fields["made_at"],
        fields["certificate_sha256"],
        subject,
        fields["previous"],
        SIGNED,
    )
    if fields["organisation"] != organisation:
        _refuse(
            check, f"ข้อความรับรองเป็นของหน่วยงานอื่น (the statement is {fields['organisation']}'s, not {organisation}'s)"
        )
    if (
        not held.certificate_pem
        or certificate_facts(held.certificate_pem.encode("ascii")).sha256 != fields["certificate_sha256"]
    ):
        _refuse(check, "ไม่มีใบรับรองที่ข้อความระบุ (the file lacks the certificate the statement names)")
    elif not signature_holds(held.certificate_pem, held.text, held.signature):
        _refuse(
            check,
            "ลายมือชื่อไม่ถูกต้อง ข้อความถูกแก้ไขหรือลงนามด้วยกุญแจอื่น (the signature does not verify: the statement "
            "was edited, or signed with another key)",
        )
    else:
        check.reasons.append("ลายมือชื่อถูกต้องตามใบรับรอง (the signature verifies with the certificate)")
    if held.timestamp_token:
        check.timestamp = read_timestamp(held.timestamp_token, check.sha256)
        if not (check.timestamp.matches and check.timestamp.intact):
            _refuse(check, "ตราประทับเวลาไม่ใช่ของข้อความนี้ (the time-stamp is not this statement's, or is broken)")
    return check


def _refuse(check: StatementCheck, reason: str) -> None:
    check.verdict = FORGED
    check.reasons.append(reason)


# --- on the instance ---------------------------------------------------------------------------


def check_on_instance(session: Session, report: HeadsReport) -> HeadsReport:
    """The file's statements against the organisation's certificates, its own statements and the
    audit chain (the whole trail is verified too, as `saraban audit verify` does)."""
    org = session.exec(select(Organisation).where(Organisation.code == report.organisation)).first()
    if org is None:
        raise UnknownOrganisation(
            f"ไม่มีหน่วยงาน {report.organisation} ในระบบนี้ (no organisation '{report.organisation}' on this instance)"
        )
    entries = {e.seq: e for e in session.exec(select(AuditEntry).order_by(AuditEntry.seq))}
    ours = list(session.exec(select(HeadStatement).where(HeadStatement.organisation_id == org.id)))
    certificates = _certificates_of(session, org) | {s.certificate_sha256 for s in ours}
    for check in report.statements:
        if check.verdict != FORGED:
            _against_instance(check, ours, entries, certificates)
    audit = verify_in(session)
    own = statement_problems(session, entries)
    report.instance_problems = [str(p) for p in audit.problems if p.org_id in (org.id, None)]
    report.instance_problems += [str(p) for p in own if str(p) not in report.instance_problems]
    report.on_instance = True
    return report


def _certificates_of(session: Session, org: Organisation) -> set[str]:
    # The certificates the office signed its PDFs with, as its publications recorded them.
    return set(
        session.exec(
            select(Publication.signing_certificate_sha256)
            .join(Memo, Memo.id == Publication.memo_id)
            .where(Memo.organisation_id == org.id, Publication.signing_certificate_sha256 != "")
        )
    )


def _against_instance(
    check: StatementCheck, ours: list[HeadStatement], entries: dict[int, AuditEntry], certificates: set[str]
) -> None:
    if check.certificate_sha256 not in certificates:
        _refuse(
            check,
            "ใบรับรองนี้ไม่ใช่ของหน่วยงาน (signed with a certificate the organisation never used: not the office's statement)",
        )
        return
    same = [s for s in ours if s.sha256 == check.sha256]
    rival = [s for s in ours if s.seq == check.seq and s.sha256 != check.sha256]
    entry = entries.get(check.seq)
    reasons = []
    if rival:
        reasons.append(
            f"หน่วยงานลงนามรับรองรายการที่ {check.seq} ไว้สองแบบที่ขัดกัน ฉบับที่ท่านถือกับฉบับในระบบ ({rival[0].head[:16]}) "
            f"(CONFLICT: the office signed two different heads for entry {check.seq}, the one you hold and "
            f"{rival[0].head[:16]} on the instance: history up to it was rewritten)"
        )
    elif not same:
        reasons.append(
            "ระบบไม่มีข้อความรับรองฉบับนี้แล้ว (the instance no longer has this statement: it was removed or replaced)"
        )
    if entry is None:
        reasons.append(f"ห่วงโซ่ไม่มีรายการที่ {check.seq} แล้ว (the chain no longer has entry {check.seq})")
    elif entry.hash != check.head:
        reasons.append(
            f"ห่วงโซ่ไม่ผ่านหัวนี้แล้ว (the chain no longer passes through this head: entry {check.seq} is now "
            f"{entry.hash[:16]}, history up to it was rewritten)"
        )
    if reasons:
        check.verdict = REWRITTEN
        check.reasons += reasons
        return
    check.verdict = GENUINE
    check.reasons.append(
        f"ห่วงโซ่ยังผ่านหัวนี้ และระบบมีข้อความรับรองฉบับเดียวกัน (the chain still passes through entry {check.seq} "
        "with this MAC, and the instance holds this very statement)"
    )
