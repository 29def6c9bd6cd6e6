"""Changing one's own secrets, an administrator's reset, deactivation, and hashes from before the pepper."""

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from models import AuditEntry, Organisation, Person, WebSession
from models.db import session_scope
from models.enums import Capacity, MemoStatus
from models.rules import Refused
from models.secrets import BOUND, hash_secret
from services.accounts.credentials import change_own_pin, reset_pin
from services.errors import BadInput
from services.memo_life.deactivation import deactivate
from services.memo_life.queue import ESCALATED, queue_for
from services.unit_of_work import run_action
from tests.builders import PIN, as_database_writer, load_kokphutsa, memo, memo_in_review, operator_scope, sign

NEW_PIN = "739164"
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def kokphutsa(session) -> Organisation:  # noqa: ANN001
    return session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()


def person(engine, username: str) -> Person:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.exec(select(Person).where(Person.username == username)).one()


def change_pin(engine, username: str, old: str, new: str) -> None:  # noqa: ANN001
    run_action(
        lambda s: change_own_pin(s, username=username, old=old, new=new),
        engine=engine,
        actor=username,
        name="account.pin",
        subject=f"person:{username}",
        via="test",
    )


def test_a_new_pin_in_thai_digits_signs_in_arabic_digits_and_back(org):
    m = memo_in_review(org)
    change_pin(org, "kanokporn", old=PIN.translate(THAI), new=NEW_PIN.translate(THAI))
    with pytest.raises(Refused, match="wrong signing PIN"):
        sign(org, m.id, "kanokporn", pin=PIN)
    assert sign(org, m.id, "kanokporn", pin=NEW_PIN).step == 0


@pytest.mark.parametrize("weak", ["123456", "๑๑๑๑๑๑", "121212", "150369", "4829"])
def test_a_weak_new_pin_is_refused_and_the_old_one_kept(org, weak):
    with pytest.raises(BadInput, match="PIN"):
        change_pin(org, "kanokporn", old=PIN, new=weak)
    assert sign(org, memo_in_review(org).id, "kanokporn").step == 0


def test_guessing_the_old_pin_on_the_change_form_counts_towards_the_pin_lock(org):
    for guess in ("000001", "000002", "000003", "000004", "000005"):
        with pytest.raises(Refused, match="wrong signing PIN"):
            change_pin(org, "kanokporn", old=guess, new=NEW_PIN)
    with pytest.raises(Refused, match="wait 15 minutes"):
        change_pin(org, "kanokporn", old=PIN, new=NEW_PIN)


def test_a_reset_pin_signs_nothing_until_it_is_replaced(org):
    m = memo_in_review(org)
    with session_scope(org) as session:
        code = reset_pin(session, actor="kanokporn", org=kokphutsa(session), username="kanokporn").code
    with pytest.raises(Refused, match="replace your PIN"):
        sign(org, m.id, "kanokporn", pin=code)
    change_pin(org, "kanokporn", old=code, new=NEW_PIN)
    assert sign(org, m.id, "kanokporn", pin=NEW_PIN).step == 0
    with session_scope(org) as session:
        logged = " ".join(e.data_json + e.actor + e.subject for e in session.exec(select(AuditEntry)))
    assert code not in logged and NEW_PIN not in logged and PIN not in logged  # no secret in the log
    assert "account.pin.reset" in {e.action for e in _entries(org)} and "account.pin.changed" in {
        e.action for e in _entries(org)
    }


def test_a_hash_written_without_the_pepper_signs_nothing_until_a_reset(org):
    """A database writer puts an unpeppered hash of a PIN of their choosing on the signer's row:
    it is refused (it used to be accepted, and re-peppered, which erased the trace)."""
    chosen = "582047"
    memo_id = memo_in_review(org).id
    as_database_writer(
        org, "UPDATE person SET pin_hash = :h WHERE username = 'kanokporn'", h=PasswordHasher().hash(chosen)
    )
    with pytest.raises(Refused, match="PIN"):
        sign(org, memo_id, "kanokporn", pin=chosen)
    assert not person(org, "kanokporn").pin_hash.startswith(BOUND)  # nothing rewritten
    with session_scope(org) as session:
        code = reset_pin(session, actor="kanokporn", org=kokphutsa(session), username="kanokporn").code
    change_pin(org, "kanokporn", old=code, new=NEW_PIN)
    assert sign(org, memo_id, "kanokporn", pin=NEW_PIN).step == 0


def test_a_writer_who_copies_their_own_pin_hash_onto_a_signer_cannot_sign_as_them(org):
    """The review's attack: copy one's own hashes onto another person's row, sign, copy back."""
    memo_id = memo_in_review(org).id  # waits for kanokporn, the head of office
    as_database_writer(
        org,
        "UPDATE person SET pin_hash = (SELECT pin_hash FROM person WHERE username = 'somying') "
        "WHERE username = 'kanokporn'",
    )
    with pytest.raises(Refused, match="PIN"):
        sign(org, memo_id, "kanokporn", pin=PIN)  # somying's PIN, the one her copied hash is of
    assert memo(org, memo_id).step == 0


def test_a_short_pin_from_before_the_rules_must_be_replaced_before_signing(org):
    m = memo_in_review(org)
    legacy = hash_secret("1234", username="kanokporn")  # set before the PIN rules, with the pepper
    with operator_scope(org) as session:
        session.exec(select(Person).where(Person.username == "kanokporn")).one().pin_hash = legacy
    with pytest.raises(Refused, match="replace your PIN"):
        sign(org, m.id, "kanokporn", pin="1234")
    change_pin(org, "kanokporn", old="1234", new=NEW_PIN)
    assert sign(org, m.id, "kanokporn", pin=NEW_PIN).step == 0


def test_a_deactivated_signer_s_waiting_step_goes_to_the_position_above(org):
    m = memo_in_review(org)  # waiting for kanokporn (head of office)
    with session_scope(org) as session:
        session.add(
            WebSession(
                token_sha256="x" * 64,
                person_id=person(org, "kanokporn").id,
                csrf_token="t",
                expires_at=memo(org, m.id).updated_at,
            )
        )
    with session_scope(org) as session:
        assert deactivate(session, actor="cli", org=kokphutsa(session), username="kanokporn") == [m.id]
    with pytest.raises(Refused, match="wrong username or signing PIN"):
        sign(org, m.id, "kanokporn")
    with session_scope(org) as session:
        assert [(i.memo_id, i.capacity) for i in queue_for(session, "phakphum")] == [(m.id, ESCALATED)]
        assert session.exec(select(WebSession)).all() == []
    assert sign(org, m.id, "phakphum").capacity is Capacity.SELF  # the clerk signs the escalated step
    assert memo(org, m.id).status is MemoStatus.IN_REVIEW and memo(org, m.id).step == 1
    assert "account.deactivated" in {e.action for e in _entries(org)}


def test_an_administrator_cannot_deactivate_themself_or_someone_elsewhere(org):
    with session_scope(org) as session, pytest.raises(BadInput, match="cannot deactivate themself"):
        deactivate(session, actor="kanokporn", org=kokphutsa(session), username="kanokporn")
    with operator_scope(org) as session:
        other = Organisation(code="elsewhere", name="ที่อื่น", kind="municipality", register_prefix="อื่น")
        session.add(other)
        session.flush()
        with pytest.raises(BadInput, match="unknown user"):
            deactivate(session, actor="kanokporn", org=other, username="somying")


def test_a_secret_typed_as_the_username_of_a_sign_off_is_not_logged(org):
    # The Prefect UI's form and the CLI's --as take a typed username that nothing checks first.
    m = memo_in_review(org)
    with pytest.raises(Refused, match="wrong username or signing PIN"):
        sign(org, m.id, "Kanok!Secret-2569")
    with pytest.raises(Refused, match="wrong signing PIN"):
        sign(org, m.id, "kanokporn", pin="000000")
    refused = [e for e in _entries(org) if e.action == "signoff.refused"]
    assert [e.actor for e in refused] == ["(unknown user)", "kanokporn"]
    assert not any("Kanok!Secret-2569" in e.actor + e.subject + e.data_json for e in _entries(org))


def _entries(engine) -> list[AuditEntry]:  # noqa: ANN001
    with session_scope(engine) as session:
        return list(session.exec(select(AuditEntry)))
