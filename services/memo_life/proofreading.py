"""The automated proofreading of a memo: of a draft as it is typed and sent, and of each revision
for the people who confirm its stages.

The proofreader (ทาน) reads both documents, so both are checked: the memo as the typist's copy
prints it (built in memory, before any minute), and the announcement's words as its template
renders them for this revision (it has no date or signer until the last approval). Each warning
names the document, the part, the paragraph and the sentence, so a person can find it. The memo's
flow stores the revision's report for the memo page; nothing here writes anything.

Nobody is made to act on a finding, but nobody passes one unseen either: sending a draft with
findings is refused once (OpenFindings) until the drafter confirms, and the ทาน and ตรวจ stages are
confirmed only with each open finding of the revision ticked as intended (check_intended).
"""

import hashlib
import json
from collections.abc import Collection

from sqlmodel import Session, select

from documents.context import MemoContext
from documents.docx.memo import build_memo_docx
from documents.proofreading.proofread import (
    ExpectedDates,
    proofread_announcement_text,
    proofread_docx,
    proofread_memo_text,
)
from documents.text.announcement_text import AnnouncementText
from models import Memo, Organisation, Person, ProofreadReport, Revision
from models.digits import thai_digits
from models.draft import MemoDraft
from models.enums import Stage
from models.rules import Refused
from services.errors import BadInput
from services.memo_life.draft_preview import draft_announcement_text, draft_memo_context
from services.printing.document_context import current_revision, memo_context
from services.printing.rendering import announcement_words

OPEN_FINDINGS = "proofreading-open"  # a send refused until the drafter confirms the findings
UNTICKED_FINDINGS = "proofreading-unticked"  # a ทาน or ตรวจ refused until each finding is ticked
TICKED_STAGES = frozenset({Stage.PROOFREAD, Stage.CHECK})  # the stages that read against the findings
DOCUMENT_NAMES = {"memo": "บันทึก", "announcement": "ประกาศ"}
KEY_HEX = 10  # a finding's key: short enough to type at the CLI (--intended), long enough never to clash


def proofread_revision(session: Session, memo: Memo, revision: Revision) -> list[dict]:
    """JSON-able warnings for the memo, then the announcement, of `revision`. Each dict has
    document ("memo" | "announcement"), section, paragraph, sentence, kind, message, suggestion
    and text (and line/column: the paragraph of the .docx and the character in it)."""
    if revision.memo_id != memo.id:
        raise BadInput(
            f"ฉบับแก้ไขนี้ไม่ใช่ของบันทึกเลขที่ {memo.id} "
            f"(revision {revision.id} belongs to memo {revision.memo_id}, not {memo.id})"
        )
    org = session.get(Organisation, memo.organisation_id)
    memo_ctx = memo_context(session, memo, revision, minutes=0)  # the typeset copy the ทาน stage checks
    memo_warnings = proofread_docx(
        build_memo_docx(memo_ctx), register_prefix=org.register_prefix, expected_dates=ExpectedDates(memo=memo_ctx.date)
    )
    announcement_warnings = proofread_announcement_text(announcement_words(session, memo, revision))
    return [warning.as_dict() for warning in (*memo_warnings, *announcement_warnings)]


def typed_findings(memo_ctx: MemoContext, words: AnnouncementText | None) -> list[dict]:
    """The findings in what a drafter typed: the memo's typed parts (no .docx is built, so the
    form's live preview can ask as the officer types) and the announcement's words (None: it
    cannot be rendered yet). Each has its key and label (keyed)."""
    found = proofread_memo_text(memo_ctx)
    if words is not None:
        found += proofread_announcement_text(words)
    return [keyed(warning.as_dict()) for warning in found]


def proofread_draft(session: Session, person: Person, draft: MemoDraft) -> list[dict]:
    """The findings of a draft as `person` would send it now."""
    return typed_findings(draft_memo_context(session, person, draft), draft_announcement_text(session, person, draft))


def revision_findings(session: Session, memo: Memo) -> list[dict]:
    """The open findings of the memo's current revision, keyed: its stored report, or (the flow
    has not made it yet, seconds after sending) the same checks on what was typed, made now."""
    report = session.exec(
        select(ProofreadReport).where(ProofreadReport.memo_id == memo.id, ProofreadReport.round == memo.round)
    ).first()
    if report is not None:
        return [keyed(warning) for warning in json.loads(report.warnings_json)]
    revision = current_revision(session, memo)
    return typed_findings(memo_context(session, memo, revision, minutes=0), announcement_words(session, memo, revision))


def keyed(warning: dict) -> dict:
    """The warning with its `key` (the same finding has the same key in the live preview, the
    stored report and a made-now check: it leaves out the line and column, which differ between
    a .docx and the typed text) and its `label` ("ประกาศ ข้อ ๒: ปฎิบัติ → ปฏิบัติ")."""
    place = [warning.get(name, "") for name in ("document", "section", "paragraph", "kind", "text", "suggestion")]
    if not warning.get("section"):  # a report stored before warnings were located: its line is the place
        place.append(warning.get("line", 0))
    key = hashlib.sha256(json.dumps(place, ensure_ascii=False).encode()).hexdigest()[:KEY_HEX]
    return {**warning, "key": key, "label": finding_label(warning)}


def finding_label(warning: dict) -> str:
    """Where the finding stands and what to change: "ประกาศ ข้อ ๒: ปฎิบัติ → ปฏิบัติ"."""
    if warning.get("section"):
        place = f"{DOCUMENT_NAMES.get(warning.get('document', ''), 'เอกสาร')} {warning['section']}"
        if warning.get("paragraph", 0) > 1:
            place += f" ย่อหน้าที่ {thai_digits(warning['paragraph'])}"
    else:
        place = f"บรรทัด {thai_digits(warning.get('line', 0))}"
    return f"{place}: {warning['text']} → {warning['suggestion']}"


class OpenFindings(Refused):
    """A send refused once: the draft has findings the drafter has not confirmed (nothing taken)."""

    def __init__(self, findings: list[dict]) -> None:
        listed = "; ".join(f["label"] for f in findings)
        super().__init__(
            OPEN_FINDINGS,
            f"มีคำที่อาจสะกดผิด {thai_digits(len(findings))} รายการ: {listed} "
            "แก้ไขแล้วส่งใหม่ หรือยืนยันว่าส่งทั้งที่มีคำที่อาจสะกดผิด "
            f"({len(findings)} possible misspelling(s): correct them, or confirm to send as written)",
        )
        self.findings = findings


def check_draft_findings(session: Session, person: Person, draft: MemoDraft, *, confirmed: bool) -> list[dict]:
    """The draft's findings; refused (OpenFindings) when there are some and the drafter has not
    confirmed sending it as written."""
    findings = proofread_draft(session, person, draft)
    if findings and not confirmed:
        raise OpenFindings(findings)
    return findings


def check_intended(session: Session, memo: Memo, stage: Stage, intended: Collection[str]) -> list[dict]:
    """The revision's findings the ทาน or ตรวจ person confirms as intended by ticking each (their
    keys in `intended`); refused while any is not ticked. Other stages: none asked."""
    if stage not in TICKED_STAGES:
        return []
    findings = revision_findings(session, memo)
    unticked = [f for f in findings if f["key"] not in intended]
    if unticked:
        listed = "; ".join(f"{f['label']} [{f['key']}]" for f in unticked)
        raise Refused(
            UNTICKED_FINDINGS,
            f"ยังมีคำที่อาจสะกดผิดที่ยังไม่ได้ยืนยัน {thai_digits(len(unticked))} รายการ: {listed} "
            "ติ๊กแต่ละรายการว่าตั้งใจเขียนเช่นนั้น หรือส่งคืนผู้ร่างพร้อมรายการแก้ไข "
            f"({len(unticked)} finding(s) not confirmed: tick each one as intended, or return the memo "
            "to its drafter with the corrections)",
        )
    return findings


def intended_data(findings: list[dict]) -> dict:
    """What a stage's audit entry keeps of the findings confirmed as intended (none: nothing)."""
    return {"findings_intended": [{"key": f["key"], "label": f["label"]} for f in findings]} if findings else {}
