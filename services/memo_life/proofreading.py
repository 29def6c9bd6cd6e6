"""The automated proofreading report of one revision: its memo and its announcement, together.

The proofreader (ทาน) reads both documents, so both are checked: the memo as the typist's copy
prints it (built in memory, before any minute), and the announcement's words as its template
renders them for this revision (it has no date or signer until the last approval). Each warning
names the document, the part, the paragraph and the sentence, so a person can find it. The memo's
flow stores the result for the memo page; nothing here writes anything.
"""

from sqlmodel import Session

from documents.docx.memo import build_memo_docx
from documents.proofreading.proofread import ExpectedDates, proofread_announcement_text, proofread_docx
from models import Memo, Organisation, Revision
from services.errors import BadInput
from services.printing.document_context import memo_context
from services.printing.rendering import announcement_words


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
