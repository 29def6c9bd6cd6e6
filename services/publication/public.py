"""What an organisation shows the public: its published announcements, titled and worded as on
paper, with what lets anyone check that the posted file is the one that was approved. Nothing
internal: no drafts, no memo subject ("ขออนุมัติประกาศ..."), and minutes only when the
organisation chooses.

The words come from services.printing.rendering.announcement_words, the one function that gives an
announcement's text for every kind (the files are built from it too), checked against the hash
the signers approved: a template edited after publication would otherwise put other words on
the page than on the paper. If they differ, the page reads the published .docx itself.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import docx
import jinja2
from sqlmodel import Session, col, select

from documents.context import Signatory
from documents.docx.nonbreaking import NBSP
from documents.pdf.signing_certificate import certificate_facts
from documents.text.announcement_reading import ReadingParagraph, announcement_title, reading_paragraphs
from documents.thai_format import signature_lines
from models import Decision, Memo, MemoAttachment, Organisation, Publication, Revision
from models.decision_words import decision_word, steps_in_round
from models.digits import arabic_digits
from models.document_kinds import acknowledges
from models.enums import DecisionKind
from services.errors import BadInput
from services.printing.document_context import decision_signatory, decision_step_title
from services.printing.file_labels import announcement_download_name
from services.printing.rendering import announcement_text_sha256, announcement_words, final_approval
from services.publication.cancellation import cancellation_of, cancelled_text
from services.publication.chain_heads import PublicHead, head_of_publication
from services.publication.published_attachments import (
    PublicAttachment,
    public_attachment_file,
    publication_attachments,
)


@dataclass(frozen=True)
class Approval:
    step: int
    position: str
    signer: str  # the full name
    capacity: str
    at: dt.datetime
    minute: str | None  # None unless the organisation publishes minutes
    rank: str = ""  # printed above the name: "ว่าที่ร้อยตรี"
    printed_title: str = ""  # the position lines under the signature: "ปลัดเทศบาล ปฏิบัติหน้าที่ นายก..."
    final: bool = False  # the last step: its sign-off approves (อนุมัติ); the steps before agree (เห็นชอบ)
    acknowledging: bool = False  # a report memo's: its last step acknowledges (ทราบ)
    escalated: bool = False  # signed by the position above, the step being overdue

    @property
    def signer_as_printed(self) -> str:
        """Rank and name as the signature block prints them: "ว่าที่ร้อยตรี ภาคภูมิ อนุศาสตร์"."""
        return f"{self.rank} {self.signer}" if self.rank else self.signer

    @property
    def verb(self) -> str:
        return decision_word(
            DecisionKind.APPROVE, last_step=self.final, acknowledges=self.acknowledging
        )  # only approved revisions are published

    @property
    def capacity_note(self) -> str:
        """The capacity in words, once: "" when the signer acted in their own position or the
        printed title already says it ("ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรี...")."""
        if self.capacity == "self" or self.capacity in self.printed_title:
            return ""
        return self.capacity


@dataclass(frozen=True)
class PublicAnnouncement:
    publication_id: int
    title: str  # "ประกาศเทศบาลตำบลโคกพุทรา เรื่อง มาตรการ...": as on paper
    subject: str  # the announcement's own subject (never the memo's "ขออนุมัติประกาศ...")
    register_number: str
    fiscal_year: int  # BE, e.g. 2569
    announcement_date: dt.date
    published_at: dt.datetime
    file_sha256: str
    revision_sha256: str
    approvals: list[Approval]
    files: list[str]
    pdf_sha256: str = ""  # the announcement PDF frozen at publication, when LibreOffice made one
    audit_head: str = ""  # "SEQ:MAC": the audit chain as it stood when this was published
    signature: PublicSignature | None = None  # who signed the PDFs, when they were signed
    paragraphs: list[ReadingParagraph] = field(default_factory=list)  # the body, as printed
    signed_by: list[str] = field(default_factory=list)  # the signature block's lines, as printed
    cancelled: str = ""  # "ยกเลิกประกาศนี้แล้วเมื่อ ... เหตุผล: ..." once an administrator cancelled it
    signed_head: PublicHead | None = None  # `audit_head` signed by the office (chain_heads)
    attachments: list[PublicAttachment] = field(default_factory=list)  # published with it (สิ่งที่ส่งมาด้วย)
    downloads: list[PublicFile] = field(default_factory=list)  # `files`, each with its name as on paper
    document_kind: str = "announcement"  # models.document_kinds: what was issued
    document_number: str = ""  # an order's "๑/๒๕๗๐", a circular's "อท ๕๓๗๐๑/ว ๑๒" ("": an announcement)

    @property
    def final_approval(self) -> Approval | None:
        return self.approvals[-1] if self.approvals and self.approvals[-1].final else None

    def matches(self, words: str) -> bool:
        """Every space-separated term of `words` is a substring of the title or the text.

        Substring rather than PyThaiNLP's word tokens: Thai is written without spaces, and a
        segmenter cuts a query and a text differently (มาตรการ / มาตร+การ), so a word a person
        sees on the page could fail to match; an organisation publishes tens of announcements a
        year, so scanning them costs nothing."""
        haystack = normalise(" ".join([self.title, *(p.text for p in self.paragraphs)]))
        return all(term in haystack for term in normalise(words).split())


@dataclass(frozen=True)
class PublicFile:
    """One published file of the announcement: its stored name (the link) and the name it is saved under."""

    name: str  # "announcement-r2.pdf": as stored and recorded
    download_name: str  # "ประกาศเทศบาลตำบลโคกพุทรา-เรื่อง-...-๒๕๖๙.pdf"
    label: str  # "ประกาศ (PDF)"
    signed: bool  # the PDF carries the organisation's electronic signature


FILE_KINDS = {".pdf": "ประกาศ (PDF)", ".docx": "ประกาศ (Word)"}


@dataclass(frozen=True)
class PublicSignature:
    """The certificate the published PDFs were signed with: what `saraban verify` prints too, so
    that a person can compare the two (a self-signed certificate has no authority to vouch for it)."""

    pdf_name: str  # the signed file on the page
    subject: str
    sha256: str
    self_signed: bool
    holder: str = ""  # whom the certificate names, in words: "เทศบาลตำบลโคกพุทรา"


PUBLIC_LATEST = 50  # the unsearched public page and the feed: the newest so many (a year or a search: all)


def public_organisation(session: Session, code: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if org is None:
        raise BadInput(f"ไม่พบหน่วยงาน {code} (no organisation '{code}')")
    return org


def public_organisations(session: Session) -> list[Organisation]:
    """Every office on this instance, by name: their announcement pages."""
    return list(session.exec(select(Organisation).order_by(Organisation.name)).all())


def published(
    session: Session, org: Organisation, *, fiscal_year: int | None = None, words: str = "", latest: int | None = None
) -> list[PublicAnnouncement]:
    """The organisation's announcements, newest first; only those of `fiscal_year` (BE) and
    containing every term of `words` when given; the `latest` so many of them when given (the
    feed and the unsearched page: an office's years of announcements are not read per request)."""
    query = (
        select(Publication, Memo)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.organisation_id == org.id)
        .order_by(col(Publication.published_at).desc())
    )
    if fiscal_year is not None:
        query = query.where(Memo.fiscal_year == fiscal_year)
    if latest is not None and not words.strip():
        query = query.limit(latest)
    items = [_announcement(session, org, publication, memo) for publication, memo in session.exec(query).all()]
    return [item for item in items if item.matches(words)] if words.strip() else items


def published_one(session: Session, org: Organisation, publication_id: int) -> PublicAnnouncement:
    row = session.exec(
        select(Publication, Memo)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.organisation_id == org.id, Publication.id == publication_id)
    ).first()
    if row is None:
        raise BadInput(f"ไม่พบประกาศเลขที่ {publication_id} (no announcement {publication_id})")
    return _announcement(session, org, *row)


def published_years(session: Session, org: Organisation) -> list[int]:
    """The fiscal years (BE) that have a published announcement, newest first: the search's choices."""
    return list(
        session.exec(
            select(Memo.fiscal_year)
            .join(Publication, Publication.memo_id == Memo.id)
            .where(Memo.organisation_id == org.id)
            .distinct()
            .order_by(col(Memo.fiscal_year).desc())
        ).all()
    )


def normalise(text: str) -> str:
    """For matching: NFC, Thai digits as Arabic ones, case and runs of spaces folded."""
    return " ".join(arabic_digits(unicodedata.normalize("NFC", text)).casefold().split())


def public_file(session: Session, org: Organisation, publication_id: int, name: str) -> tuple[PublicFile, Path]:
    """One of the announcement's published files, by its stored name (compared with the names on
    record, never used as a path): what it is called and where it lies."""
    try:
        item = published_one(session, org, publication_id)
    except BadInput:
        item = None
    found = next((f for f in item.downloads if f.name == name), None) if item else None
    if found is None:
        raise BadInput("ไม่พบไฟล์ (no such file)")
    return found, Path(session.get(Publication, publication_id).announcement_path).with_name(found.name)


def public_attachment(
    session: Session, org: Organisation, publication_id: int, sha256: str
) -> tuple[MemoAttachment, Path]:
    """The row and path of a file published with the organisation's announcement;
    BadInput for anything else (another office's, or a file of the memo not published)."""
    published_one(session, org, publication_id)  # the organisation's own publication, or BadInput
    try:
        return public_attachment_file(session, session.get(Publication, publication_id), sha256)
    except LookupError:
        raise BadInput("ไม่พบไฟล์ (no such file)") from None


def _announcement(session: Session, org: Organisation, publication: Publication, memo: Memo) -> PublicAnnouncement:
    # Only the files on the record: a PDF rendered later on demand was not published and has no
    # recorded hash, so it is not offered as the announcement.
    recorded = [Path(publication.announcement_path)]
    if publication.announcement_pdf_path:
        recorded.append(Path(publication.announcement_pdf_path))
    files = [p.name for p in recorded if p.exists()]
    reading = published_reading(session, org, memo, publication)
    signature = _signature(publication)
    downloads = [
        PublicFile(
            name,
            announcement_download_name(
                org.name, reading.subject, memo.register_number, memo.fiscal_year, Path(name).suffix.lstrip(".")
            ),
            FILE_KINDS.get(Path(name).suffix, "ประกาศ"),
            signature is not None and name == signature.pdf_name,
        )
        for name in files
    ]
    return PublicAnnouncement(
        publication.id,
        # An order's, a circular's or a report's title as published (publication.document_title).
        publication.announcement_title
        if publication.document_kind != "announcement" and publication.announcement_title
        else announcement_title(org.name, reading.subject),
        reading.subject,
        memo.register_number,
        memo.fiscal_year,
        publication.announcement_date,
        publication.published_at,
        publication.announcement_sha256,
        publication.revision_sha256,
        approvals(session, org, memo, publication),
        files,
        publication.announcement_pdf_sha256,
        audit_head=publication.audit_head,
        signature=signature,
        paragraphs=reading.paragraphs,
        signed_by=reading.signed_by,
        signed_head=head_of_publication(session, publication.id),
        cancelled=cancelled_text(session, c) if (c := cancellation_of(session, publication.id)) else "",
        attachments=publication_attachments(session, publication),
        downloads=downloads,
        document_kind=publication.document_kind,
        document_number=publication.document_number,
    )


@dataclass(frozen=True)
class Reading:
    subject: str
    paragraphs: list[ReadingParagraph]
    signed_by: list[str]


# What a published announcement reads never changes: its words were checked against the hash
# its signer approved, its signature block is the one recorded with the final decision, and the
# published file's own hash names it. Rendering it again for every page view, search and feed
# poll cost a template render and a hash per announcement per request; kept here, once per process.
_READINGS: OrderedDict[tuple[str, str], Reading] = OrderedDict()
READINGS_KEPT = 4096


def published_reading(session: Session, org: Organisation, memo: Memo, publication: Publication) -> Reading:
    """The published announcement's subject, body and signature lines: from its words when they
    are still the ones approved, else from the published .docx."""
    key = (publication.revision_sha256, publication.announcement_sha256)
    if key in _READINGS:
        _READINGS.move_to_end(key)
        return _READINGS[key]
    reading = _read_published(session, org, memo, publication)
    _READINGS[key] = reading
    if len(_READINGS) > READINGS_KEPT:
        _READINGS.popitem(last=False)
    return reading


def _read_published(session: Session, org: Organisation, memo: Memo, publication: Publication) -> Reading:
    revision = session.exec(
        select(Revision).where(Revision.memo_id == memo.id, Revision.sha256 == publication.revision_sha256)
    ).one()
    final = final_approval(session, memo, revision)
    try:
        words = announcement_words(session, memo, revision)
    except (jinja2.TemplateError, ValueError, OSError):  # a template removed or broken since
        return _docx_reading(Path(publication.announcement_path), org.name)
    approved = final.announcement_sha256 if final else ""
    if approved and approved != announcement_text_sha256(words):
        return _docx_reading(Path(publication.announcement_path), org.name)
    signed_by = signature_lines(decision_signatory(session, final)) if final else []
    return Reading(words.subject, reading_paragraphs(words), signed_by)


def _docx_reading(path: Path, organisation_name: str) -> Reading:
    # The file's paragraphs in order: heading, "เรื่อง ...", the rule, the body, "ประกาศ ณ วันที่", signature.
    # Non-breaking spaces the builder printed (documents.docx.nonbreaking) read as the words' spaces.
    texts = [p.text.replace(NBSP, " ").strip() for p in docx.Document(str(path)).paragraphs] if path.exists() else []
    lines = [text for text in texts if text]
    subject_at = next((i for i, line in enumerate(lines) if line.startswith("เรื่อง ")), None)
    if subject_at is None:
        return Reading(f"(ดูไฟล์ที่เผยแพร่ see the published file) {organisation_name}", [], [])
    dated_at = next((i for i, line in enumerate(lines) if line.startswith("ประกาศ ณ วันที่")), len(lines))
    body = [ReadingParagraph(line) for line in lines[subject_at + 1 : dated_at] if set(line) != {"-"}]
    return Reading(lines[subject_at].removeprefix("เรื่อง ").strip(), body, lines[dated_at + 1 :])


def _signature(publication: Publication) -> PublicSignature | None:
    if not (publication.signing_certificate_pem and publication.announcement_pdf_path):
        return None
    facts = certificate_facts(publication.signing_certificate_pem.encode("ascii"))
    return PublicSignature(
        Path(publication.announcement_pdf_path).name, facts.subject, facts.sha256, facts.self_signed, facts.holder
    )


def approvals(session: Session, org: Organisation, memo: Memo, publication: Publication) -> list[Approval]:
    """The sign-offs of the published revision, in step order (minutes only if the organisation
    publishes them)."""
    decisions = session.exec(
        select(Decision)
        .where(
            Decision.memo_id == memo.id,
            Decision.round == memo.round,
            Decision.revision_sha256 == publication.revision_sha256,
        )
        .order_by(Decision.step_index)
    ).all()
    last = steps_in_round(session, memo.id, memo.round) - 1
    noted = acknowledges(memo.document_kind)
    return [_approval(session, org, d, final=d.step_index == last, acknowledging=noted) for d in decisions]


def _approval(
    session: Session, org: Organisation, decision: Decision, *, final: bool, acknowledging: bool = False
) -> Approval:
    # Names and titles as they printed when each signer decided (Decision.printed_as).
    signatory = decision_signatory(session, decision)
    lines = signature_lines(signatory)  # [rank], "(name)", position lines
    printed_title = " ".join(lines[(2 if signatory.rank else 1) :])
    return Approval(
        decision.step_index,
        decision_step_title(session, decision),
        signatory.full_name,
        _capacity(signatory, decision),
        decision.at,
        decision.minute if org.public_minutes else None,
        rank=signatory.rank,
        printed_title=printed_title,
        final=final,
        escalated=_escalated(decision),
        acknowledging=acknowledging,
    )


def _escalated(decision: Decision) -> bool:
    return decision.signed_as_position_id is not None and decision.signed_as_position_id != decision.position_id


def _capacity(signatory: Signatory, decision: Decision) -> str:
    # An escalated step is signed by the position above in its own name: say under which title.
    if _escalated(decision):
        return f"ลงนามในตำแหน่ง{signatory.position_title} เมื่อเรื่องเกินกำหนด"
    return decision.capacity.value
