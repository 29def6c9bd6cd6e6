"""The routing rules, without Prefect or a database: every allowed and every refused move."""

import datetime as dt
import itertools

import pytest

from models.enums import Capacity, DecisionKind, MemoStatus, Stage
from models.rules import (
    ACTING_CAPACITIES,
    Cancelled,
    ChainDuties,
    Decided,
    DelegationGrant,
    Progress,
    Published,
    Refused,
    Revised,
    StageActor,
    StageRecorded,
    StageReturned,
    StepRule,
    Withdrawn,
    advance,
    allowed_transitions,
    authority_for,
    check_announcement,
    check_may_return,
    check_minute,
    check_return_note,
    check_reviser,
    check_revision,
    check_stage_actor,
    check_stage_returner,
    may_record_stage,
    signer_refusal,
    stage_refusal,
    submitted,
)

EVENTS = [
    StageRecorded(Stage.TYPESET),
    StageReturned(Stage.PROOFREAD),
    Decided(DecisionKind.APPROVE, 0),
    Decided(DecisionKind.RETURN, 0),
    Revised(),
    Published(),
    Withdrawn(),
    Cancelled(),
]
EXPECTED = {
    (MemoStatus.PREPARING, StageRecorded),
    (MemoStatus.PREPARING, StageReturned),
    (MemoStatus.IN_REVIEW, Decided),
    (MemoStatus.RETURNED, Revised),
    (MemoStatus.APPROVED, Published),
    # A memo ends unpublished: withdrawn before any approval, cancelled before publication.
    (MemoStatus.PREPARING, Withdrawn),
    (MemoStatus.IN_REVIEW, Withdrawn),
    (MemoStatus.RETURNED, Withdrawn),
    (MemoStatus.PREPARING, Cancelled),
    (MemoStatus.IN_REVIEW, Cancelled),
    (MemoStatus.RETURNED, Cancelled),
    (MemoStatus.APPROVED, Cancelled),
}
DAY = dt.date(2026, 11, 22)
MAYOR, CLERK = 6, 5
STEP_MAYOR = StepRule(
    2, MAYOR, accepted_capacities=frozenset({Capacity.SELF, Capacity.PERFORMING_DUTIES, Capacity.ACTING_IN_PLACE})
)


def at(status: MemoStatus, **fields) -> Progress:
    return Progress(status, **{"steps_total": 3, **fields})


def test_a_disapproval_ends_the_memo_and_a_withdrawal_comes_before_any_approval():
    assert (
        advance(at(MemoStatus.IN_REVIEW, step=1), Decided(DecisionKind.DISAPPROVE, 1)).status == MemoStatus.DISAPPROVED
    )
    assert advance(at(MemoStatus.IN_REVIEW, step=0), Withdrawn()).status == MemoStatus.WITHDRAWN
    with pytest.raises(Refused, match="already-approved|มีผู้เห็นชอบแล้ว"):
        advance(at(MemoStatus.IN_REVIEW, step=1), Withdrawn())
    with pytest.raises(Refused, match="reason"):
        check_minute(DecisionKind.DISAPPROVE, " ")


def test_the_table_allows_exactly_these_moves():
    assert allowed_transitions() == EXPECTED


REFUSED_MOVES = [(s, e) for s, e in itertools.product(MemoStatus, EVENTS) if (s, type(e)) not in EXPECTED]


@pytest.mark.parametrize("status, event", REFUSED_MOVES)
def test_every_move_outside_the_table_is_refused(status, event):
    progress = at(status, stages_done=(Stage.DRAFT,))
    with pytest.raises(Refused) as refused:
        advance(progress, event)
    assert refused.value.code == "not-now"


@pytest.mark.parametrize("stage", [Stage.PROOFREAD, Stage.CHECK])
def test_the_proofread_and_check_stages_may_return_the_memo_when_it_waits_for_them(stage):
    done = (Stage.DRAFT, Stage.TYPESET) + ((Stage.PROOFREAD,) if stage is Stage.CHECK else ())
    progress = advance(at(MemoStatus.PREPARING, stages_done=done), StageReturned(stage))
    assert (progress.status, progress.stages_done) == (MemoStatus.RETURNED, done)
    assert advance(progress, Revised()) == Progress(MemoStatus.PREPARING, round=2, steps_total=3)


@pytest.mark.parametrize(
    ("stage", "done", "code"),
    [
        (Stage.TYPESET, (Stage.DRAFT,), "stage-no-return"),
        (Stage.DRAFT, (Stage.DRAFT,), "stage-no-return"),
        (Stage.CHECK, (Stage.DRAFT, Stage.TYPESET), "stage-order"),
        (Stage.PROOFREAD, (Stage.DRAFT, Stage.TYPESET, Stage.PROOFREAD), "stage-order"),
    ],
)
def test_other_stage_returns_are_refused(stage, done, code):
    with pytest.raises(Refused) as refused:
        advance(at(MemoStatus.PREPARING, stages_done=done), StageReturned(stage))
    assert refused.value.code == code


def test_a_stage_return_needs_a_note_and_someone_other_than_the_drafter():
    with pytest.raises(Refused, match="corrections"):
        check_return_note(" \n")
    with pytest.raises(Refused, match="own memo"):
        check_stage_returner(actor_id=1, drafter_id=1)
    check_return_note("แก้คำว่า โอกาศ")
    check_stage_returner(actor_id=2, drafter_id=1)


def test_stages_go_in_order_and_the_last_opens_the_review():
    progress = submitted(steps_total=3)
    with pytest.raises(Refused, match="stage-order|ขั้นตอนถัดไป"):
        advance(progress, StageRecorded(Stage.CHECK))
    for stage in (Stage.TYPESET, Stage.PROOFREAD):
        progress = advance(progress, StageRecorded(stage))
        assert progress.status is MemoStatus.PREPARING
    with pytest.raises(Refused):
        advance(progress, StageRecorded(Stage.PROOFREAD))  # twice
    progress = advance(progress, StageRecorded(Stage.CHECK))
    assert (progress.status, progress.step) == (MemoStatus.IN_REVIEW, 0)


def test_approvals_climb_the_chain_and_the_last_one_approves_the_memo():
    progress = at(MemoStatus.IN_REVIEW)
    progress = advance(progress, Decided(DecisionKind.APPROVE, 0))
    assert (progress.status, progress.step) == (MemoStatus.IN_REVIEW, 1)
    with pytest.raises(Refused) as refused:
        advance(progress, Decided(DecisionKind.APPROVE, 0))  # a step already passed
    assert refused.value.code == "wrong-step"
    with pytest.raises(Refused):
        advance(progress, Decided(DecisionKind.APPROVE, 2))  # skipping a step
    progress = advance(advance(progress, Decided(DecisionKind.APPROVE, 1)), Decided(DecisionKind.APPROVE, 2))
    assert progress.status is MemoStatus.APPROVED
    assert advance(progress, Published()).status is MemoStatus.PUBLISHED


def test_a_return_goes_to_the_drafter_and_a_revision_starts_everything_again():
    progress = advance(at(MemoStatus.IN_REVIEW, step=1), Decided(DecisionKind.RETURN, 1))
    assert progress.status is MemoStatus.RETURNED
    revised = advance(progress, Revised())
    assert revised == Progress(MemoStatus.PREPARING, round=2, stages_done=(Stage.DRAFT,), step=0, steps_total=3)


def test_the_holder_signs_as_self():
    authority = authority_for(person_id=1, step=STEP_MAYOR, on=DAY, held_position_ids=[MAYOR], delegations=[])
    assert (authority.capacity, authority.delegation_id) == (Capacity.SELF, None)


def test_the_holder_cannot_claim_an_acting_capacity():
    with pytest.raises(Refused) as refused:
        authority_for(
            person_id=1,
            step=STEP_MAYOR,
            on=DAY,
            held_position_ids=[MAYOR],
            delegations=[],
            claimed=Capacity.ACTING_IN_PLACE,
        )
    assert refused.value.code == "wrong-capacity"


def test_someone_without_position_or_delegation_is_refused():
    with pytest.raises(Refused) as refused:
        authority_for(person_id=9, step=STEP_MAYOR, on=DAY, held_position_ids=[CLERK], delegations=[])
    assert refused.value.code == "not-assigned"


def grant(
    capacity=Capacity.PERFORMING_DUTIES,
    valid_from=dt.date(2025, 10, 1),
    valid_to=dt.date(2027, 9, 30),
    position_id=MAYOR,
    grant_id=7,
) -> DelegationGrant:
    return DelegationGrant(grant_id, 5, position_id, capacity, "คำสั่ง ที่ ๑/๒๕๖๙", valid_from, valid_to)


@pytest.mark.parametrize("capacity", sorted(ACTING_CAPACITIES - {Capacity.ON_BEHALF}))
def test_a_valid_delegate_signs_in_the_delegations_capacity(capacity):
    authority = authority_for(
        person_id=5, step=STEP_MAYOR, on=DAY, held_position_ids=[CLERK], delegations=[grant(capacity)]
    )
    assert (authority.capacity, authority.delegation_id) == (capacity, 7)


@pytest.mark.parametrize("day", [dt.date(2025, 9, 30), dt.date(2027, 10, 1)])
def test_a_delegation_outside_its_dates_is_refused(day):
    with pytest.raises(Refused) as refused:
        authority_for(person_id=5, step=STEP_MAYOR, on=day, held_position_ids=[CLERK], delegations=[grant()])
    assert refused.value.code == "delegation-not-valid"


def test_a_delegation_is_valid_on_its_first_and_last_day():
    for day in (dt.date(2025, 10, 1), dt.date(2027, 9, 30)):
        authority_for(person_id=5, step=STEP_MAYOR, on=day, held_position_ids=[CLERK], delegations=[grant()])


def test_a_capacity_the_step_does_not_accept_is_refused():
    with pytest.raises(Refused) as refused:
        authority_for(
            person_id=5, step=STEP_MAYOR, on=DAY, held_position_ids=[CLERK], delegations=[grant(Capacity.ON_BEHALF)]
        )
    assert refused.value.code == "wrong-capacity"


def test_claiming_another_capacity_than_the_delegation_gives_is_refused():
    with pytest.raises(Refused) as refused:
        authority_for(
            person_id=5,
            step=STEP_MAYOR,
            on=DAY,
            held_position_ids=[CLERK],
            delegations=[grant()],
            claimed=Capacity.ACTING_IN_PLACE,
        )
    assert refused.value.code == "wrong-capacity"


def test_a_delegation_for_another_position_does_not_count():
    with pytest.raises(Refused) as refused:
        authority_for(
            person_id=5,
            step=STEP_MAYOR,
            on=DAY,
            held_position_ids=[CLERK],
            delegations=[grant(position_id=CLERK + 100)],
        )
    assert refused.value.code == "not-assigned"


def test_single_checks():
    with pytest.raises(Refused):
        check_may_return(StepRule(0, 1, may_return=False), DecisionKind.RETURN)
    check_may_return(StepRule(0, 1, may_return=False), DecisionKind.APPROVE)
    with pytest.raises(Refused):
        check_minute(DecisionKind.RETURN, "  ")
    check_minute(DecisionKind.APPROVE, "")
    with pytest.raises(Refused) as stale:
        check_revision("a" * 64, "b" * 64)
    assert stale.value.code == "stale-revision"
    check_revision(None, "b" * 64)
    with pytest.raises(Refused):
        check_stage_actor(Stage.CHECK, StageActor(1, frozenset({10})), drafter_id=1, allowed_position_ids={10})
    check_stage_actor(Stage.TYPESET, StageActor(2, frozenset({10})), drafter_id=1, allowed_position_ids={10})
    with pytest.raises(Refused):
        check_reviser(actor_id=2, drafter_id=1)


def test_a_chain_needs_a_step():
    with pytest.raises(Refused):
        submitted(steps_total=0)


def test_the_holder_of_the_position_a_step_was_escalated_to_may_act_in_their_own_name():
    authority = authority_for(
        person_id=8, step=STEP_MAYOR, on=DAY, held_position_ids=[99], delegations=[], escalated_to=[99]
    )
    assert (authority.capacity, authority.escalated) == (Capacity.SELF, True)
    with pytest.raises(Refused):
        authority_for(person_id=8, step=STEP_MAYOR, on=DAY, held_position_ids=[99], delegations=[], escalated_to=[98])
    with pytest.raises(Refused):  # escalation gives no acting capacity to claim
        authority_for(
            person_id=8,
            step=STEP_MAYOR,
            on=DAY,
            held_position_ids=[99],
            delegations=[],
            escalated_to=[99],
            claimed=Capacity.ACTING_IN_PLACE,
        )


TYPIST, CHECKER = 10, 20  # position ids


@pytest.mark.parametrize(
    ("stage", "person", "held", "allowed", "code"),
    [
        (Stage.TYPESET, 2, {TYPIST}, {TYPIST}, None),
        (Stage.CHECK, 2, {TYPIST, CHECKER}, {CHECKER}, None),
        (Stage.TYPESET, 1, {TYPIST}, {TYPIST}, "self-stage"),  # the drafter, even holding the position
        (Stage.PROOFREAD, 1, {TYPIST}, {TYPIST}, "self-stage"),
        (Stage.CHECK, 3, set(), {CHECKER}, "no-position"),  # a new user with no position
        (Stage.CHECK, 2, {TYPIST}, {CHECKER}, "stage-not-allowed"),
        (Stage.TYPESET, 2, {TYPIST}, set(), "stage-not-allowed"),  # nothing allowed: denied by default
        (Stage.DRAFT, 2, {TYPIST}, {TYPIST}, "stage-is-draft"),
    ],
)
def test_who_may_record_a_stage_is_denied_unless_a_position_allows_it(stage, person, held, allowed, code):
    actor = StageActor(person, frozenset(held))
    refusal = stage_refusal(stage, actor, drafter_id=1, allowed_position_ids=allowed)
    assert (refusal.code if refusal else None) == code
    assert may_record_stage(stage, actor, 1, allowed) is (code is None)


@pytest.mark.parametrize(
    ("signer", "step", "so_far", "duties", "code"),
    [
        (2, 0, {}, ChainDuties(), None),
        (1, 0, {}, ChainDuties(), "self-sign"),  # the drafter signs no step of their own memo
        (1, 2, {0: 2, 1: 3}, ChainDuties(same_signer_consecutive_steps=True), "self-sign"),
        (1, 0, {}, ChainDuties(drafter_may_sign=True), None),
        (3, 2, {0: 2, 1: 3}, ChainDuties(), "consecutive-steps"),
        (
            3,
            2,
            {0: 2, 1: 3},
            ChainDuties(same_signer_consecutive_steps=True),
            None,
        ),  # 004: the clerk, then as acting mayor
        (2, 2, {0: 2, 1: 3}, ChainDuties(), None),  # not in a row
    ],
)
def test_separation_of_duties_on_a_chain(signer, step, so_far, duties, code):
    refusal = signer_refusal(signer_id=signer, drafter_id=1, step=step, signers_so_far=so_far, duties=duties)
    assert (refusal.code if refusal else None) == code


def test_an_approval_binds_the_announcement_text_seen_and_approved_before():
    check_announcement(None, "a" * 64, ["a" * 64, ""])
    check_announcement("a" * 64, "a" * 64, [])
    with pytest.raises(Refused) as stale:
        check_announcement("b" * 64, "a" * 64, [])
    assert stale.value.code == "stale-announcement"
    with pytest.raises(Refused) as changed:
        check_announcement(None, "a" * 64, ["b" * 64])
    assert changed.value.code == "announcement-changed"


def test_an_escalated_signer_signs_under_their_own_position():
    step = StepRule(0, position_id=5)
    escalated = authority_for(
        person_id=7, step=step, on=dt.date(2026, 12, 1), held_position_ids={6}, delegations=(), escalated_to={6}
    )
    assert (escalated.escalated, escalated.signing_position_id) == (True, 6)
    holder = authority_for(person_id=8, step=step, on=dt.date(2026, 12, 1), held_position_ids={5}, delegations=())
    assert holder.signing_position_id == 5
