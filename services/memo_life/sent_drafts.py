"""A saved draft sent as a memo, in the submission's own transaction: the draft leads to its
memo (so the drafter's list no longer offers it), and when the year's ITA opening made the draft
for an item's period, the memo is recorded as that period's answer (models.ita.ItaWorkMemo),
history that the submission's audit entry covers. Recorded apart from the submission, a crash in
between left the item's work showing a draft nobody was writing while its memo went on."""

from sqlmodel import Session, select

from models import ItaWork, ItaWorkMemo, Memo, Person
from models.web import SavedDraft


def mark_sent(session: Session, person: Person, draft_id: int, memo: Memo) -> dict:
    """The audit entry's part: the ITA work the memo answers, if any. Another person's draft (or
    none) is left alone: the memo is sent all the same, as from a blank form."""
    saved = session.get(SavedDraft, draft_id)
    if saved is None or saved.person_id != person.id:
        return {}
    saved.sent_memo_id = memo.id
    session.add(saved)
    work = session.exec(select(ItaWork).where(ItaWork.draft_id == saved.id)).first()
    if work is None or work.organisation_id != memo.organisation_id:  # a draft from an office they left
        return {}
    session.add(ItaWorkMemo(work_id=work.id, memo_id=memo.id))
    return {"ita_work": work.id, "ita_period": work.period}
