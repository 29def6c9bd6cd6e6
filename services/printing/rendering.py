"""Writing a memo's current .docx and its announcement to the documents folder, and PDFs.

Announcement templates can be overridden per organisation: <SARABAN_HOME>/templates/<org code>/
with the layout of documents/text/templates (see documents/text/templates/README.md).
"""

import dataclasses
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from documents.context import AnnouncementContext
from documents.docx.announcement import build_announcement_docx
from documents.docx.circular import build_circular_docx
from documents.docx.memo import build_memo_docx
from documents.docx.order import build_order_docx
from documents.docx.report import build_report_docx
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations
from documents.pdf.soffice import LibreOfficeMissing
from documents.text.announcement_text import (
    AnnouncementText,
    announcement_context,
    data_not_for,
    render_announcement_text,
)
from documents.text.general_announcement import general_announcement_text
from documents.text.report_words import report_words
from models import Decision, Memo, Organisation, Publication, Revision
from models.approvals import route_of
from models.clock import office_date
from models.db import session_scope
from models.digits import arabic_digits, thai_digits
from models.document_kinds import DocumentKind
from models.draft import GENERAL, AnnouncementDraft, MemoDraft
from models.enums import DecisionKind, MemoStatus
from models.settings import get_settings
from services.errors import BadInput
from services.printing.document_context import (
    current_revision,
    decision_signatory,
    garuda_image,
    memo_context,
    revision_draft,
)
from services.printing.template_overrides import template_override_dir

ANNOUNCEMENT_STATUSES = (MemoStatus.APPROVED, MemoStatus.PUBLISHED)


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    sha256: str


def memo_folder(session: Session, memo: Memo) -> Path:
    org = session.get(Organisation, memo.organisation_id)
    return get_settings().documents_dir / org.code / f"memo-{memo.id}"


def write_memo(session: Session, memo: Memo, revision: Revision, *, minutes: int | None = None) -> WrittenFile:
    """The memo as of its first `minutes` minutes (all so far when None), named by round and
    minute count, so a file's name says which point in the memo's history it shows."""
    if minutes is None:
        minutes = recorded_minutes(session, memo, revision)
    path = memo_folder(session, memo) / f"{memo_stem(revision, minutes)}.docx"
    return _write(path, build_memo_docx(memo_context(session, memo, revision, minutes=minutes)))


def recorded_minutes(session: Session, memo: Memo, revision: Revision) -> int:
    return session.exec(
        select(func.count()).select_from(Decision).where(Decision.memo_id == memo.id, Decision.round == revision.number)
    ).one()


def memo_stem(revision: Revision, minutes: int) -> str:
    return f"memo-r{revision.number}-m{minutes}"


def write_announcement(
    session: Session, memo: Memo, revision: Revision, *, words: AnnouncementText | None = None, number: str = ""
) -> WrittenFile:
    """The document the memo issues (an announcement, an order, a circular or the report), as
    .docx; `number` is an order's or a circular's register number as printed."""
    issued = issued_document(session, memo, revision, words=words, number=number)
    path = memo_folder(session, memo) / f"{issued.stem}.docx"
    return _write(path, issued.build(()))


def announcement_stem(revision: Revision, kind: str = DocumentKind.ANNOUNCEMENT) -> str:
    """The issued document's file stem: "announcement-r1" (as always), "order-r1", "circular-r1", "report-r1"."""
    return f"{kind}-r{revision.number}"


def issued_document(
    session: Session, memo: Memo, revision: Revision, *, words: AnnouncementText | None = None, number: str = ""
) -> PaginatedDocument:
    """The document the memo issues, by its kind (models.document_kinds), ready to lay out with
    continuation words: the announcement, the order, the circular, or the report as acknowledged."""
    stem = announcement_stem(revision, memo.document_kind)
    if memo.document_kind == DocumentKind.REPORT:
        report_ctx = memo_context(session, memo, revision)
        return PaginatedDocument(stem, lambda marks: build_report_docx(report_ctx, continuations=marks))
    ctx = dataclasses.replace(announcement(session, memo, revision, words=words), number=number)
    build = {DocumentKind.ORDER: build_order_docx, DocumentKind.CIRCULAR: build_circular_docx}.get(
        DocumentKind(memo.document_kind), build_announcement_docx
    )
    return PaginatedDocument(stem, lambda marks: build(ctx, continuations=marks))


def announcement(
    session: Session, memo: Memo, revision: Revision, *, words: AnnouncementText | None = None
) -> AnnouncementContext:
    """The announcement (or order, or circular) as the last approval of the round issues it,
    signed by that signer (with `words` when the caller rendered and checked them already)."""
    final = final_approval(session, memo, revision)
    if final is None:
        raise ValueError(f"memo {memo.id} has no final approval on revision {revision.number} yet")
    org = session.get(Organisation, memo.organisation_id)
    words = words or announcement_words(session, memo, revision)
    return announcement_context(
        words,
        date=office_date(final.at),
        signatory=decision_signatory(session, final),
        garuda_image=garuda_image(org),
        garuda_preprinted=org.printed_garuda_paper,
    )


def announcement_words(session: Session, memo: Memo, revision: Revision) -> AnnouncementText:
    """The announcement's text from the revision's template and data (the organisation's own
    templates first), or the drafter's own text for a general announcement, an order, a circular
    or a report."""
    org = session.get(Organisation, memo.organisation_id)
    return draft_document_words(org, revision_draft(revision), fiscal_year=memo.fiscal_year)


def draft_document_words(org: Organisation, draft: MemoDraft, *, fiscal_year: int) -> AnnouncementText:
    """The words of the document a draft issues, by its kind (also before it is sent, for the preview)."""
    kind = draft.document_kind()
    if kind is DocumentKind.REPORT:
        return report_words(org.name, draft)
    if kind is DocumentKind.ANNOUNCEMENT:
        return draft_announcement_words(org, draft.issued(), fiscal_year=fiscal_year)
    return general_announcement_text(org.name, draft.issued().general, kind=kind.value)


def draft_announcement_words(
    org: Organisation, announcement: AnnouncementDraft, *, fiscal_year: int
) -> AnnouncementText:
    """The words of the announcement a draft asks for (also before it is sent, for the preview)."""
    if announcement.template == GENERAL:
        return general_announcement_text(org.name, announcement.general)
    # The office's name last: a draft's data never names another issuing authority (refused at
    # sending, check_announcement_data; ignored here for a memo sent before that check).
    data = {"fiscal_year_be": fiscal_year, **announcement.data, "organisation_name": org.name}
    return render_announcement_text(org.kind, announcement.template, data, override_dir=template_override_dir(org))


def check_announcement_data(org: Organisation, announcement: AnnouncementDraft | None, *, fiscal_year: int) -> None:
    """Refuse data the announcement's template does not take, the organisation's name, and a
    fiscal year (or span of years) that does not include the memo's (a report memo has none)."""
    if announcement is None or announcement.template == GENERAL:
        return
    _check_fiscal_years(announcement.data.get("fiscal_year_be"), fiscal_year)
    try:
        wrong = data_not_for(org.kind, announcement.template, announcement.data, template_override_dir(org))
    except jinja2.TemplateNotFound as error:
        raise BadInput(
            f"ไม่มีแม่แบบประกาศ {announcement.template} สำหรับหน่วยงานประเภทนี้ "
            f"(no announcement template {announcement.template!r} for a {org.kind})"
        ) from error
    if wrong:
        names = ", ".join(wrong)
        raise BadInput(
            f"ข้อมูลประกาศมีรายการที่แม่แบบไม่ได้ใช้: {names} ชื่อหน่วยงานผู้ออกประกาศมาจากหน่วยงานเองเสมอ "
            f"ให้ลบรายการเหล่านี้ออก (the announcement data has entries its template does not take: {names}; "
            "the issuing organisation is always the office's own: remove them)"
        )


def announcement_text_sha256(words: AnnouncementText) -> str:
    """SHA-256 of the announcement's words (canonical JSON): what each signer approves and what
    publication must print. Date and signature are added from the decisions, not hashed here."""
    return hashlib.sha256(words_json(words).encode("utf-8")).hexdigest()


def words_json(words: AnnouncementText) -> str:
    """The words as canonical JSON (what is hashed, and what a publication keeps). An
    announcement's has no kind nor addressee: its hash is what it was before kinds existed."""
    fields = {k: v for k, v in dataclasses.asdict(words).items() if k not in _KIND_FIELDS or v}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_KIND_FIELDS = ("kind", "addressee")


def words_from_json(text: str) -> AnnouncementText:
    return AnnouncementText(**json.loads(text))


def current_announcement_sha256(session: Session, memo: Memo, revision: Revision) -> str:
    """The hash of the announcement as it would be published now (the organisation's template
    overrides as they are now)."""
    return announcement_text_sha256(announcement_words(session, memo, revision))


def final_approval(session: Session, memo: Memo, revision: Revision) -> Decision | None:
    """The approval of the last step of the memo's route (as frozen at submission)."""
    route = route_of(session, memo.id)
    steps = len(route.rules()) if route is not None else memo.steps_total
    return session.exec(
        select(Decision).where(
            Decision.memo_id == memo.id,
            Decision.round == revision.number,
            Decision.step_index == steps - 1,
            Decision.kind == DecisionKind.APPROVE,
        )
    ).first()


def _write(path: Path, content: bytes) -> WrittenFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(content)
    temporary.replace(path)  # readers never see half a file
    return WrittenFile(path, hashlib.sha256(content).hexdigest())


# `saraban render`: the current documents on demand, optionally as PDF with continuation words.

PRINT_SUFFIX = "-print"  # the .docx laid out like the PDF, continuation words included


@dataclass(frozen=True)
class DocumentPlan:
    """What `render` will write for one memo, taken from the database in one short read."""

    folder: Path  # the memo's documents folder
    documents: list[PaginatedDocument]  # the memo, then the announcement when there is one
    published_files: frozenset[Path]  # files a publication recorded by hash: never rewritten
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedDocuments:
    files: list[Path]  # every file written, .docx first
    notes: list[str]  # what the reader must know: no announcement yet, no PDF, pages without a word


def render_current_documents(
    memo_id: int, *, out_dir: Path | None = None, pdf: bool = False, engine: Engine | None = None
) -> RenderedDocuments:
    """Write the memo as it stands (and its announcement once approved) to out_dir, default the
    memo's documents folder; with `pdf`, PDFs too, carrying continuation words."""
    with session_scope(engine) as session:  # closed before LibreOffice runs for seconds
        plan = plan_current_documents(session, memo_id)
    return write_planned_documents(plan, out_dir=out_dir, pdf=pdf)


def plan_current_documents(session: Session, memo_id: int) -> DocumentPlan:
    memo = session.get(Memo, memo_id)
    if memo is None:
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(memo_id)} (no memo with id {memo_id})")
    revision = current_revision(session, memo)
    memo_ctx = memo_context(session, memo, revision)
    documents = [
        PaginatedDocument(
            memo_stem(revision, recorded_minutes(session, memo, revision)),
            lambda marks: build_memo_docx(memo_ctx, continuations=marks),
        )
    ]
    notes = []
    publication = session.exec(select(Publication).where(Publication.memo_id == memo.id)).first()
    if memo.status in ANNOUNCEMENT_STATUSES:
        number = publication.document_number if publication is not None else ""
        documents.append(issued_document(session, memo, revision, number=number))
    else:
        notes.append(
            f"ยังไม่มีประกาศ: บันทึกยังไม่ได้รับอนุมัติ (no announcement yet: memo {memo_id} is "
            f"{memo.status.value}; the announcement is written once the memo is approved)"
        )
    published = (
        frozenset()
        if publication is None
        else frozenset(
            Path(p).resolve()
            for p in (
                publication.memo_path,
                publication.announcement_path,
                publication.memo_pdf_path,
                publication.announcement_pdf_path,
            )
            if p
        )
    )
    return DocumentPlan(memo_folder(session, memo), documents, published, notes)


def write_planned_documents(plan: DocumentPlan, *, out_dir: Path | None = None, pdf: bool = False) -> RenderedDocuments:
    folder = out_dir or plan.folder
    notes = list(plan.notes)
    files = [_write_unless_published(folder / f"{d.stem}.docx", d.build(()), plan, notes) for d in plan.documents]
    if pdf:
        files += _write_pdfs(plan.documents, folder, plan, notes)
    return RenderedDocuments([f for f in files if f is not None], notes)


def _write_pdfs(
    documents: Sequence[PaginatedDocument], folder: Path, plan: DocumentPlan, notes: list[str]
) -> list[Path | None]:
    # A PDF frozen at publication is kept (LibreOffice never makes the same bytes twice, and its
    # SHA-256 is on the record): it is the PDF of the current document, so it is listed, not remade.
    frozen = [folder / f"{d.stem}.pdf" for d in documents if _is_frozen(folder / f"{d.stem}.pdf", plan)]
    notes.extend(f"{path} is the PDF frozen at publication: kept as published" for path in frozen)
    documents = [d for d in documents if folder / f"{d.stem}.pdf" not in frozen]
    if not documents:
        return list(frozen)
    try:
        made = pdfs_with_continuations(documents, folder)
    except LibreOfficeMissing as missing:
        notes.append(f"{missing} เขียนไฟล์ .docx แล้ว (the .docx files were written).")
        return list(frozen)
    files: list[Path | None] = list(frozen)
    for result in made:
        files.append(result.pdf)
        notes.extend(f"{result.stem}: {problem}" for problem in result.problems)
        if result.marks:  # the PDF's layout as a .docx, continuation words included
            path = folder / f"{result.stem}{PRINT_SUFFIX}.docx"
            files.append(_write_unless_published(path, result.docx, plan, notes))
    return files


def _is_frozen(path: Path, plan: DocumentPlan) -> bool:
    return path.resolve() in plan.published_files and path.exists()


def _write_unless_published(path: Path, content: bytes, plan: DocumentPlan, notes: list[str]) -> Path | None:
    # A published file is frozen under its recorded hash; the builder may since have changed.
    if path.resolve() in plan.published_files and path.exists() and path.read_bytes() != content:
        notes.append(f"{path} is a published file and differs from a fresh render: kept as published")
        return None
    return _write(path, content).path


def _check_fiscal_years(given: object, fiscal_year: int) -> None:
    if given is None:
        return
    years = re.fullmatch(r"\s*(\d{4})(?:\s*-\s*(\d{4}))?\s*", arabic_digits(str(given)))
    first, last = (int(years[1]), int(years[2] or years[1])) if years else (0, 0)
    if not first <= fiscal_year <= last:
        raise BadInput(
            f"ปีงบประมาณในข้อมูลประกาศ ({given}) ต้องเป็นปี พ.ศ. {thai_digits(fiscal_year)} หรือช่วงปีที่รวมปีนี้ "
            f'เช่น "{thai_digits(fiscal_year)} - {thai_digits(fiscal_year + 4)}" (the fiscal year in the announcement '
            f"data must be {fiscal_year} BE or a span of years that includes it)"
        )
