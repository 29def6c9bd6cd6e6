"""A draft as it will print, before it is sent: the memo and the announcement, from the same
contexts as the .docx builders, for the memo form's preview.

The memo has no register number or minutes yet; the announcement is dated today and signed by
whoever would sign the last step of the organisation's chain today (its holder, else a delegate).
"""

from sqlmodel import Session, col, select

from documents.context import AnnouncementContext, Letterhead, MemoContext, Signatory, StageMark
from documents.text.announcement_text import AnnouncementText, announcement_context
from models import Chain, ChainStep, Holding, Organisation, Person, Position, Unit
from models.clock import office_date
from models.draft import MemoDraft
from models.enums import STAGE_ORDER
from models.fiscal import fiscal_year_of
from services.accounts.people import grants_for_position
from services.memo_life.frozen_route import DOCUMENT_KIND
from services.printing.document_context import garuda_image, own_signatory
from services.printing.rendering import draft_document_words

NOT_YET_NUMBERED = "(ออกเลขเมื่อส่ง)"


def draft_memo_context(
    session: Session, person: Person, draft: MemoDraft, *, register_number: str = NOT_YET_NUMBERED
) -> MemoContext:
    """The memo as it will print once sent (a revision prints its memo's own register number)."""
    org = session.get(Organisation, person.organisation_id)
    units = session.exec(select(Unit).where(Unit.organisation_id == org.id).order_by(Unit.id)).all()
    unit = next((u for u in units if u.code == draft.unit), units[0] if units else None)
    letterhead = Letterhead(
        organisation_name=org.name,
        issuing_unit=unit.letterhead_name if unit else "",
        phone=unit.phone if unit else "",
        fax=unit.fax if unit else "",
        garuda_image=garuda_image(org),
    )
    return MemoContext(
        letterhead=letterhead,
        register_number=register_number,
        date=office_date(),
        subject=draft.subject,
        addressee=draft.addressee,
        origin=draft.origin,
        facts=draft.facts,
        legal_basis=list(draft.legal_basis),
        considerations=draft.considerations,
        closing=draft.closing,
        drafter=own_signatory(session, person),
        stages=[StageMark(stage=stage.value) for stage in STAGE_ORDER],
        attachments=[a.name for a in draft.attached()],
    )


def draft_announcement_text(session: Session, person: Person, draft: MemoDraft) -> AnnouncementText:
    """The announcement's words as they would be rendered today (jinja2.TemplateError or
    ValueError: it cannot be, yet)."""
    org = session.get(Organisation, person.organisation_id)
    return draft_document_words(org, draft, fiscal_year=fiscal_year_of(office_date()))


def draft_announcement_context(
    session: Session, person: Person, draft: MemoDraft, words: AnnouncementText | None = None
) -> AnnouncementContext:
    """The announcement as it would print today (from `words` when the caller has them)."""
    org = session.get(Organisation, person.organisation_id)
    words = words or draft_announcement_text(session, person, draft)
    return announcement_context(
        words, date=office_date(), signatory=_last_signer_today(session, org), garuda_image=garuda_image(org)
    )


def _last_signer_today(session: Session, org: Organisation) -> Signatory:
    chain = session.exec(
        select(Chain).where(Chain.organisation_id == org.id, Chain.document_kind == DOCUMENT_KIND)
    ).first()
    step = (
        None
        if chain is None
        else session.exec(
            select(ChainStep).where(ChainStep.chain_id == chain.id).order_by(col(ChainStep.step_index).desc())
        ).first()
    )
    return expected_signatory(session, step.position_id) if step else Signatory(full_name="ผู้ลงนาม", position_title="")


def expected_signatory(session: Session, position_id: int) -> Signatory:
    """Who signs for `position_id` today: its holder, else a delegate valid today."""
    position = session.get(Position, position_id)
    holding = session.exec(select(Holding).where(Holding.position_id == position.id)).first()
    if holding is not None:
        person = session.get(Person, holding.person_id)
        return Signatory(full_name=person.full_name, rank=person.rank, position_title=position.title)
    for grant in grants_for_position(session, position.id, office_date()):
        person = session.get(Person, grant.person_id)
        own = session.exec(
            select(Position).join(Holding, Holding.position_id == Position.id).where(Holding.person_id == person.id)
        ).first()
        return Signatory(
            full_name=person.full_name,
            rank=person.rank,
            position_title=own.short_title if own else "",
            capacity=grant.capacity,
            acting_for_title=position.title,
        )
    return Signatory(full_name="ผู้ลงนาม", position_title=position.title)
