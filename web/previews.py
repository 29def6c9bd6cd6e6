"""What an approver reads before signing: the memo as it stands and the announcement as it
will be published (signed by whoever may sign the last step, dated today, until it is)."""

from sqlmodel import Session

from documents.context import AnnouncementContext, Signatory
from documents.text.announcement_text import announcement_context
from models import Memo, Organisation, Revision
from models.approvals import route_step
from models.clock import office_date
from services.memo_life.draft_preview import expected_signatory
from services.printing.document_context import decision_signatory, garuda_image
from services.printing.rendering import announcement_words, final_approval


def announcement_paper(session: Session, memo: Memo, revision: Revision) -> AnnouncementContext:
    org = session.get(Organisation, memo.organisation_id)
    final = final_approval(session, memo, revision)
    if final is not None:
        date, signatory = office_date(final.at), decision_signatory(session, final)
    else:
        date, signatory = office_date(), _expected_signatory(session, memo)
    return announcement_context(
        announcement_words(session, memo, revision),
        date=date,
        signatory=signatory,
        garuda_image=garuda_image(org),
        garuda_preprinted=org.printed_garuda_paper,
    )


def _expected_signatory(session: Session, memo: Memo) -> Signatory:
    """Who will sign the last step: its position's holder, else a delegate valid today."""
    step = route_step(session, memo, memo.steps_total - 1)
    if step is None:
        raise LookupError(f"memo {memo.id} has no route")
    return expected_signatory(session, step.position_id)
