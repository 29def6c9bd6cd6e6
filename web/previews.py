"""What an approver reads before signing: the memo as it stands and the announcement as it
will be published (signed by whoever may sign the last step, dated today, until it is)."""

from sqlmodel import Session, select

from documents.announcement_text import announcement_context
from documents.context import AnnouncementContext, Signatory
from models import ChainStep, Holding, Memo, Organisation, Person, Position, Revision
from models.clock import office_date
from services.document_context import decision_signatory, garuda_image
from services.people import grants_for_position
from services.rendering import announcement_words, final_approval


def announcement_paper(session: Session, memo: Memo, revision: Revision) -> AnnouncementContext:
    org = session.get(Organisation, memo.organisation_id)
    final = final_approval(session, memo, revision)
    if final is not None:
        date, signatory = office_date(final.at), decision_signatory(session, final)
    else:
        date, signatory = office_date(), _expected_signatory(session, memo)
    return announcement_context(announcement_words(session, memo, revision), date=date, signatory=signatory,
                                garuda_image=garuda_image(org), garuda_preprinted=org.printed_garuda_paper)


def _expected_signatory(session: Session, memo: Memo) -> Signatory:
    """Who will sign the last step: its position's holder, else a delegate valid today."""
    step = session.exec(select(ChainStep).where(ChainStep.chain_id == memo.chain_id,
                                                ChainStep.step_index == memo.steps_total - 1)).one()
    position = session.get(Position, step.position_id)
    holding = session.exec(select(Holding).where(Holding.position_id == position.id)).first()
    if holding is not None:
        person = session.get(Person, holding.person_id)
        return Signatory(full_name=person.full_name, rank=person.rank, position_title=position.title)
    for grant in grants_for_position(session, position.id, office_date()):
        person = session.get(Person, grant.person_id)
        own = session.exec(select(Position).join(Holding, Holding.position_id == Position.id)
                           .where(Holding.person_id == person.id)).first()
        return Signatory(full_name=person.full_name, rank=person.rank, position_title=own.short_title if own else "",
                         capacity=grant.capacity, acting_for_title=position.title)
    return Signatory(full_name="ผู้ลงนาม", position_title=position.title)
