"""Submitting a memo, recording its preparation stages, and revising it after a return."""

import datetime as dt
from collections.abc import Collection

import pendulum
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Chain, Memo, Organisation, Person, Revision, StageRecord, Unit, audit
from models.chain_versions import current_version
from models.clock import OFFICE_TZ, office_date, utcnow
from models.db import read_scope
from models.deadlines import WAITING, due_at
from models.digits import thai_digits
from models.draft import MemoDraft
from models.enums import Stage
from models.fiscal import fiscal_year_of
from models.register import take_register_number
from models.rules import Progress, Refused, Revised, StageRecorded, advance, check_reviser, submitted
from services.accounts.people import authenticate_by_pin, held_position_ids
from services.errors import BadInput
from services.memo_life.attachments import bind_attachments
from services.memo_life.frozen_route import DOCUMENT_KIND, freeze_route
from services.memo_life.proofreading import check_draft_findings, check_intended, intended_data
from services.memo_life.replacement import check_replacement
from services.memo_life.sent_drafts import mark_sent
from services.memo_life.stage_roles import check_may_record
from services.outbox.flow_signals import signal_flow
from services.outbox.work_arrivals import note_arrival
from services.printing.announcement_kinds import with_known_kind
from services.printing.document_context import current_revision
from services.printing.register_format import register_number
from services.printing.rendering import check_announcement_data
from services.unit_of_work import run_action


def move(session: Session, memo: Memo, progress: Progress, now: dt.datetime) -> None:
    """Put the memo where the rules moved it, due the organisation's working days from now."""
    memo.move_to(progress, now)
    memo.due_at = due_at(session.get(Organisation, memo.organisation_id), now) if memo.status in WAITING else None
    if memo.id is not None:  # a new memo is noted by submit_memo, once it has its id
        note_arrival(session, memo)


def memo_for_update(session: Session, memo_id: int) -> Memo:
    """The memo, row-locked until the transaction ends (PostgreSQL; SQLite locks the file)."""
    memo = session.exec(select(Memo).where(Memo.id == memo_id).with_for_update()).first()
    if memo is None:
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(memo_id)} (no memo with id {memo_id})")
    return memo


SHORT_HASH = 12  # hex digits of a revision hash a person may type instead of all 64


def revision_named(session: Session, memo_id: int, given: str) -> str:
    """The full SHA-256 of the memo's revision that `given` names (all 64 hex digits, or at least
    the first 12 as `saraban memo sign` shows them). An older revision is returned as named:
    the sign-off then refuses it as stale."""
    given = given.strip().lower()
    if len(given) < SHORT_HASH:
        raise BadInput(
            f"รหัสฉบับต้องมีอย่างน้อย {SHORT_HASH} ตัวอักษร (give at least the first {SHORT_HASH} "
            "characters of the revision hash, as `saraban memo show` prints it)"
        )
    hashes = session.exec(select(Revision.sha256).where(Revision.memo_id == memo_id)).all()
    named = [h for h in hashes if h.startswith(given)]
    if not named:
        raise BadInput(
            f"บันทึก {memo_id} ไม่มีฉบับรหัส {given} (memo {memo_id} has no revision {given}: "
            f"`saraban memo show {memo_id}` prints the current one)"
        )
    return named[0]


def submit_memo(
    session: Session,
    *,
    username: str,
    pin: str,
    draft: MemoDraft,
    submission_key: str | None = None,
    again: bool = False,
    proofread_confirmed: bool = False,
    from_draft: int | None = None,
) -> Memo:
    """The drafter sends a new memo: it gets its register number and its first revision (from
    the drafter's saved draft `from_draft`, if any: services.memo_life.sent_drafts). With
    a `submission_key` (the form's one-time key, an API Idempotency-Key) already used by this
    drafter, it is the memo sent then, and no register number is taken. The same content sent
    by the same person within the hour is refused unless `again` confirms it; a draft with
    proofreading findings is refused (OpenFindings, listing them) unless `proofread_confirmed`."""
    person = authenticate_by_pin(session, username, pin)
    draft = with_known_kind(session.get(Organisation, person.organisation_id), draft)
    earlier = submitted_with_key(session, person.id, submission_key)
    if earlier is not None:
        return _same_submission(session, earlier, draft)
    same = None if again else earlier_same_memo(session, person.id, draft)
    if same is not None:
        raise Refused(
            DUPLICATE,
            f"ท่านส่งบันทึกเนื้อหาเดียวกันนี้ไปแล้วเมื่อ {thai_time(same.created_at)} ที่ {same.register_number} "
            "หากตั้งใจส่งอีกฉบับ (ได้เลขทะเบียนใหม่) ให้ยืนยัน (you sent a memo with this very content "
            f"{DUPLICATE_WINDOW_TEXT} ago as {same.register_number}, memo {same.id}: confirm to send another)",
        )
    if not held_position_ids(session, person.id):
        raise Refused("no-position", "ผู้ส่งไม่ได้ดำรงตำแหน่งใดในหน่วยงาน (the sender holds no position)")
    org = session.get(Organisation, person.organisation_id)
    check_announcement_data(org, draft.announcement, fiscal_year=fiscal_year_of(office_date()))
    check_replacement(session, org.id, draft)
    unit = _unit(session, org, draft.unit)
    chain = _chain(session, org, draft.document_kind().value)
    # Last before the number is taken: a refusal here leaves the register as it was.
    findings = check_draft_findings(session, person, draft, confirmed=proofread_confirmed)
    memo = _new_memo(session, person, org, unit, chain, draft)
    memo.submission_key = submission_key or None
    session.flush()  # a second request with the same key, racing this one, fails here (unique index)
    signal_flow(session, memo.id, "submitted")  # committed with the memo: its run starts after
    note_arrival(session, memo)  # the typist hears of it once this commits
    answers = mark_sent(session, person, from_draft, memo) if from_draft is not None else {}
    audit.append(
        session,
        actor=username,
        action="memo.submitted",
        subject=f"memo:{memo.id}",
        data={
            "register_number": memo.register_number,
            "revision_sha256": draft.sha256(),
            **attachments_data(draft),
            **answers,
            # The findings the drafter confirmed sending as written (none: nothing, as entries were before).
            **({"proofreading_confirmed": [f["label"] for f in findings]} if findings else {}),
        },
    )
    return memo


def submit_once(
    *,
    username: str,
    pin: str,
    draft: MemoDraft,
    submission_key: str | None,
    via: str,
    again: bool = False,
    proofread_confirmed: bool = False,
    from_draft: int | None = None,
) -> Memo:
    """`submit_memo` in a transaction of its own (refusals audited). Two requests with the same
    key at once: the second's insert breaks the unique index and rolls back with its register
    number, and it gets the memo the first one made."""
    try:
        return run_action(
            lambda s: submit_memo(
                s,
                username=username,
                pin=pin,
                draft=draft,
                submission_key=submission_key,
                again=again,
                proofread_confirmed=proofread_confirmed,
                from_draft=from_draft,
            ),
            engine=None,
            actor=username,
            name="memo.submit",
            subject="memo:new",
            via=via,
        )
    except IntegrityError:
        with read_scope() as session:
            person = session.exec(select(Person).where(Person.username == username)).first()
            earlier = submitted_with_key(session, person.id, submission_key) if person else None
        if earlier is None:
            raise
        return earlier


# The same content sent again by the same person this soon is most likely Back and resend (the
# form's one-time key is new after Back, so the key alone does not catch it): asked first.
DUPLICATE = "possible-duplicate"
DUPLICATE_WINDOW = dt.timedelta(hours=1)
DUPLICATE_WINDOW_TEXT = "less than an hour"


def earlier_same_memo(session: Session, person_id: int, draft: MemoDraft) -> Memo | None:
    """The memo this person sent with exactly this content within DUPLICATE_WINDOW, if any."""
    return session.exec(
        select(Memo)
        .join(Revision, Revision.memo_id == Memo.id)
        .where(
            Memo.drafter_id == person_id,
            Memo.created_at >= utcnow() - DUPLICATE_WINDOW,
            Revision.number == 1,
            Revision.sha256 == draft.sha256(),
        )
        .order_by(col(Memo.id).desc())
    ).first()


def thai_time(moment: dt.datetime) -> str:
    """ "๑๔:๐๕ น.": the office's clock."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return thai_digits(pendulum.instance(aware).in_timezone(OFFICE_TZ).format("HH:mm")) + " น."


def submitted_with_key(session: Session, person_id: int, submission_key: str | None) -> Memo | None:
    if not submission_key:
        return None
    return session.exec(select(Memo).where(Memo.drafter_id == person_id, Memo.submission_key == submission_key)).first()


def _same_submission(session: Session, memo: Memo, draft: MemoDraft) -> Memo:
    first = session.exec(select(Revision).where(Revision.memo_id == memo.id, Revision.number == 1)).one()
    if first.sha256 != draft.sha256():
        raise BadInput(
            "รหัสการส่งนี้ใช้ส่งบันทึกฉบับอื่นไปแล้ว กรุณาเปิดแบบฟอร์มใหม่ "
            "(this submission key was already used for a different memo: open a new form)"
        )
    return memo


def _new_memo(session: Session, person: Person, org: Organisation, unit: Unit, chain: Chain, draft: MemoDraft) -> Memo:
    now = utcnow()
    fiscal_year = fiscal_year_of(office_date(now))
    number = take_register_number(session, organisation_id=org.id, fiscal_year=fiscal_year, subject=draft.subject)
    steps_total = len(current_version(session, chain).rules())
    progress = submitted(steps_total)
    memo = Memo(
        organisation_id=org.id,
        unit_id=unit.id,
        chain_id=chain.id,
        drafter_id=person.id,
        subject=draft.subject,
        register_number=register_number(org.register_prefix, number),
        fiscal_year=fiscal_year,
        status=progress.status,
        steps_total=steps_total,
        created_at=now,
        document_kind=draft.document_kind().value,
    )
    move(session, memo, progress, now)
    session.add(memo)
    session.flush()
    freeze_route(session, memo, chain)
    revision = _add_revision(session, memo, person, draft, note="")
    bind_attachments(session, memo, revision, person, draft)
    session.add(
        StageRecord(memo_id=memo.id, round=1, revision_id=revision.id, stage=Stage.DRAFT, person_id=person.id, at=now)
    )
    return memo


def record_stage(
    session: Session,
    *,
    memo_id: int,
    username: str,
    pin: str,
    stage: Stage,
    note: str = "",
    intended: Collection[str] = (),
) -> StageRecord:
    """Someone confirms พิมพ์, ทาน or ตรวจ on the current revision. At ทาน and ตรวจ each open
    proofreading finding must be among `intended` (its key: ticked as written on purpose)."""
    memo = memo_for_update(session, memo_id)
    person = authenticate_by_pin(session, username, pin)
    check_same_organisation(person, memo)
    check_may_record(session, person, memo, stage)
    if (earlier := _stage_recorded_by(session, memo, stage, person.id)) is not None:
        return earlier  # a double click or a retried request: the record already made
    findings = check_intended(session, memo, stage, intended)
    progress = advance(memo.progress(), StageRecorded(stage))
    revision = current_revision(session, memo)
    now = utcnow()
    record = StageRecord(
        memo_id=memo.id, round=memo.round, revision_id=revision.id, stage=stage, person_id=person.id, note=note, at=now
    )
    session.add(record)
    move(session, memo, progress, now)
    session.flush()
    audit.append(
        session,
        actor=username,
        action="stage.recorded",
        subject=f"memo:{memo.id}",
        data={
            "stage": stage.value,
            "round": memo.round,
            "revision_sha256": revision.sha256,
            **intended_data(findings),
        },
    )
    return record


def _stage_recorded_by(session: Session, memo: Memo, stage: Stage, person_id: int) -> StageRecord | None:
    return session.exec(
        select(StageRecord).where(
            StageRecord.memo_id == memo.id,
            StageRecord.round == memo.round,
            StageRecord.stage == stage,
            StageRecord.person_id == person_id,
        )
    ).first()


def revise_memo(session: Session, *, memo_id: int, username: str, pin: str, draft: MemoDraft, note: str) -> Revision:
    """The drafter answers a return with a new revision; the chain starts again."""
    memo = memo_for_update(session, memo_id)
    person = authenticate_by_pin(session, username, pin)
    check_reviser(person.id, memo.drafter_id)
    draft = with_known_kind(session.get(Organisation, memo.organisation_id), draft)
    progress = advance(memo.progress(), Revised())
    if draft.unit != session.get(Unit, memo.unit_id).code:
        raise BadInput("ส่วนราชการของฉบับแก้ไขต้องเป็นหน่วยเดิม (a revision keeps the memo's unit)")
    if draft.document_kind() != memo.document_kind:
        raise BadInput(
            "ชนิดเอกสารของฉบับแก้ไขต้องเป็นชนิดเดิม หากต้องการชนิดอื่นให้ส่งบันทึกฉบับใหม่ "
            "(a revision keeps the memo's document kind: send a new memo for another kind)",
            field="kind",
        )
    check_announcement_data(
        session.get(Organisation, memo.organisation_id), draft.announcement, fiscal_year=memo.fiscal_year
    )
    check_replacement(session, memo.organisation_id, draft)
    now = utcnow()
    move(session, memo, progress, now)
    memo.subject = draft.subject
    revision = _add_revision(session, memo, person, draft, note=note)
    bind_attachments(session, memo, revision, person, draft)
    session.add(
        StageRecord(
            memo_id=memo.id, round=memo.round, revision_id=revision.id, stage=Stage.DRAFT, person_id=person.id, at=now
        )
    )
    signal_flow(session, memo.id, "revised")  # the new revision is typeset and proofread
    audit.append(
        session,
        actor=username,
        action="memo.revised",
        subject=f"memo:{memo.id}",
        data={"round": memo.round, "revision_sha256": revision.sha256, "note": note, **attachments_data(draft)},
    )
    return revision


def attachments_data(draft: MemoDraft) -> dict:
    """The files a revision carries, for its audit entry (none: nothing, as entries were before)."""
    attached = draft.attached()
    return {"attachments": [a.model_dump() for a in attached]} if attached else {}


def _add_revision(session: Session, memo: Memo, author: Person, draft: MemoDraft, note: str) -> Revision:
    revision = Revision(
        memo_id=memo.id,
        number=memo.round,
        content_json=draft.canonical(),
        sha256=draft.sha256(),
        author_id=author.id,
        note=note,
    )
    session.add(revision)
    session.flush()
    return revision


def check_same_organisation(person: Person, memo: Memo) -> None:
    if person.organisation_id != memo.organisation_id:
        raise Refused("other-organisation", "ผู้ใช้อยู่ต่างหน่วยงานกับบันทึกนี้ (this person belongs to another organisation)")


def _unit(session: Session, org: Organisation, code: str) -> Unit:
    unit = session.exec(select(Unit).where(Unit.organisation_id == org.id, Unit.code == code)).first()
    if unit is None:
        known = ", ".join(session.exec(select(Unit.code).where(Unit.organisation_id == org.id)))
        raise BadInput(f"ไม่พบส่วนราชการรหัส '{code}' (unknown unit '{code}'; known: {known})")
    return unit


def _chain(session: Session, org: Organisation, kind: str = DOCUMENT_KIND) -> Chain:
    """The organisation's chain for the memo's kind of document (models.document_kinds) when it
    has one of its own (an order signed by the mayor alone, say), else its announcement chain."""
    chains = {
        c.document_kind: c
        for c in session.exec(
            select(Chain).where(Chain.organisation_id == org.id, col(Chain.document_kind).in_([kind, DOCUMENT_KIND]))
        )
    }
    chain = chains.get(kind) or chains.get(DOCUMENT_KIND)
    if chain is None:
        raise BadInput(
            f"หน่วยงาน {org.code} ยังไม่ได้กำหนดสายการลงนามสำหรับ {DOCUMENT_KIND} "
            f"(organisation {org.code} has no routing chain for '{DOCUMENT_KIND}': add one to its YAML)"
        )
    return chain
