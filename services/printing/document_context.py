"""Turning a memo's records into the plain contexts the document builders take."""

import json
from pathlib import Path

from sqlmodel import Session, select

from documents.context import Letterhead, MemoContext, Minute, Signatory, StageMark
from documents.thai_format import to_thai_digits
from models import Decision, Delegation, Memo, Organisation, Person, Position, Revision, StageRecord, Unit
from models.clock import office_date
from models.decision_words import decision_word, steps_in_round
from models.document_kinds import acknowledges
from models.draft import MemoDraft
from models.enums import STAGE_ORDER, Capacity, DecisionKind, Stage
from services.accounts.people import held_position_ids


def current_revision(session: Session, memo: Memo) -> Revision:
    """The revision of the memo's current round: what prints, and what a sign-off binds."""
    return session.exec(select(Revision).where(Revision.memo_id == memo.id, Revision.number == memo.round)).one()


def revision_draft(revision: Revision) -> MemoDraft:
    return MemoDraft.model_validate(json.loads(revision.content_json))


def memo_context(session: Session, memo: Memo, revision: Revision, *, minutes: int | None = None) -> MemoContext:
    """The memo as of `revision` and its first `minutes` minutes (all recorded so far when None).

    A memo as of a point in its history prints the same whenever it is rendered: the typeset
    copy (minutes=0) carries only the ร่าง mark, since the other stages come after it; once
    any minute is on it, all four stages were done (they precede the sign-offs)."""
    draft = revision_draft(revision)
    decisions = _decisions(session, memo, revision.number)
    if minutes is not None:
        decisions = decisions[:minutes]
    last = steps_in_round(session, memo.id, revision.number) - 1
    return MemoContext(
        letterhead=letterhead(session, memo),
        register_number=memo.register_number,
        date=office_date(memo.created_at),
        subject=draft.subject,
        addressee=draft.addressee,
        origin=draft.origin,
        facts=draft.facts,
        legal_basis=list(draft.legal_basis),
        considerations=draft.considerations,
        closing=draft.closing,
        drafter=own_signatory(session, session.get(Person, memo.drafter_id)),
        minutes=[_minute(session, d, last, acknowledges(memo.document_kind)) for d in decisions],
        stages=_stage_marks(session, memo, revision.number, typeset_only=minutes == 0),
        revision_label=f"ฉบับแก้ไขครั้งที่ {to_thai_digits(revision.number - 1)}" if revision.number > 1 else "",
        attachments=[a.name for a in draft.attached()],
    )


def letterhead(session: Session, memo: Memo) -> Letterhead:
    org = session.get(Organisation, memo.organisation_id)
    unit = session.get(Unit, memo.unit_id)
    return Letterhead(
        organisation_name=org.name,
        issuing_unit=unit.letterhead_name,
        phone=unit.phone,
        fax=unit.fax,
        garuda_image=garuda_image(org),
        garuda_preprinted=org.printed_garuda_paper,
    )


def garuda_image(org: Organisation) -> bytes | None:
    return Path(org.garuda_image_path).read_bytes() if org.garuda_image_path else None


def own_signatory(session: Session, person: Person) -> Signatory:
    """A person signing in their own name, under their (first) own position."""
    return Signatory(full_name=person.full_name, rank=person.rank, position_title=_own_title(session, person))


def printed_as(session: Session, decision: Decision) -> str:
    """The signature block a decision prints, from today's rows, as the JSON the decision keeps
    (Decision.printed_as): taken when the signer decides, so that a person or a position renamed
    later does not change what an announcement signed before says."""
    signatory = _signatory_from_rows(session, decision)
    return json.dumps(
        {
            "full_name": signatory.full_name,
            "rank": signatory.rank,
            "position_title": signatory.position_title,
            "capacity": signatory.capacity.value,
            "acting_for_title": signatory.acting_for_title,
            "step_title": session.get(Position, decision.position_id).title,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def decision_signatory(session: Session, decision: Decision) -> Signatory:
    """The signature block as it printed when the signer decided (rows, for decisions older
    than Decision.printed_as)."""
    if not decision.printed_as:
        return _signatory_from_rows(session, decision)
    kept = json.loads(decision.printed_as)
    return Signatory(
        full_name=kept["full_name"],
        rank=kept["rank"],
        position_title=kept["position_title"],
        capacity=Capacity(kept["capacity"]),
        acting_for_title=kept["acting_for_title"],
    )


def decision_step_title(session: Session, decision: Decision) -> str:
    """The title of the step's position when the signer decided."""
    if decision.printed_as:
        return json.loads(decision.printed_as)["step_title"]
    return session.get(Position, decision.position_id).title


def _signatory_from_rows(session: Session, decision: Decision) -> Signatory:
    person = session.get(Person, decision.signer_id)
    if decision.capacity == Capacity.SELF:
        # An escalated step is signed in the signer's own name: their own position's title, not
        # the step's (signed_as_position_id; older decisions were all signed by the step's holder).
        signed_as = decision.signed_as_position_id or decision.position_id
        return Signatory(
            full_name=person.full_name, rank=person.rank, position_title=session.get(Position, signed_as).title
        )
    acted = session.get(Position, session.get(Delegation, decision.delegation_id).position_id)
    return Signatory(
        full_name=person.full_name,
        rank=person.rank,
        position_title=_own_title(session, person, short=True),
        capacity=decision.capacity,
        acting_for_title=acted.title,
    )


def _own_title(session: Session, person: Person, *, short: bool = False) -> str:
    position_ids = held_position_ids(session, person.id)
    if not position_ids:
        return ""
    position = session.get(Position, min(position_ids))
    return position.short_title if short else position.title


def _minute(session: Session, decision: Decision, last_step: int, acknowledging: bool) -> Minute:
    approving = decision.kind == DecisionKind.APPROVE
    return Minute(
        text=decision.minute,
        signatory=decision_signatory(session, decision),
        date=office_date(decision.at),
        returned=decision.kind == DecisionKind.RETURN,
        disapproved=decision.kind == DecisionKind.DISAPPROVE,
        approval=decision_word(decision.kind, last_step=decision.step_index == last_step, acknowledges=acknowledging)
        if approving
        else "",
    )


def _decisions(session: Session, memo: Memo, round_: int) -> list[Decision]:
    return list(
        session.exec(
            select(Decision).where(Decision.memo_id == memo.id, Decision.round == round_).order_by(Decision.step_index)
        )
    )


def _stage_marks(session: Session, memo: Memo, round_: int, *, typeset_only: bool = False) -> list[StageMark]:
    records = {
        r.stage: r
        for r in session.exec(select(StageRecord).where(StageRecord.memo_id == memo.id, StageRecord.round == round_))
        if not typeset_only or r.stage == Stage.DRAFT
    }
    return [_stage_mark(session, stage, records.get(stage)) for stage in STAGE_ORDER]


def _stage_mark(session: Session, stage, record: StageRecord | None) -> StageMark:  # noqa: ANN001
    if record is None:
        return StageMark(stage=stage.value)
    return StageMark(
        stage=stage.value, initials=session.get(Person, record.person_id).initials, date=office_date(record.at)
    )
