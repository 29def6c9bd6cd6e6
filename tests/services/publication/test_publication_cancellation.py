"""Cancelling a published announcement: only an administrator of its organisation, with a reason,
once; the publication stays, its files verify as CANCELLED, and the audit chain covers the row."""

import pytest
from sqlmodel import select

from models import Organisation, Publication
from models.db import session_scope
from models.rules import Refused
from services.audit.audit_verify import verify_audit
from services.errors import BadInput
from services.memo_life.memos import submit_memo
from services.memo_life.replacement import replaceable
from services.publication.cancellation import cancel_publication, cancellation_of
from services.publication.public import published_one
from services.publication.publication import publish
from services.publication.verification import CANCELLED, GENUINE, SUPERSEDED, verify_file
from tests.builders import PIN, draft_004, load_kokphutsa, memo_in_review, prepare, second_organisation, sign

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects


@pytest.fixture
def published(engine, home_without_office) -> Publication:
    load_kokphutsa(engine)
    second_organisation(engine)
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        return publish(session, memo_id=memo_id)


def cancel(engine, publication: Publication, username: str, reason: str = "ระบุวันที่ผิด") -> None:
    with session_scope(engine) as session:
        cancel_publication(session, publication_id=publication.id, username=username, pin=PIN, reason=reason)


def verdict(engine, publication: Publication) -> str:
    with open(publication.announcement_path, "rb") as file, session_scope(engine) as session:
        return verify_file(session, file.read()).verdict


def test_only_an_administrator_of_its_office_cancels_it_once_with_a_reason(engine, published):
    assert verdict(engine, published) == GENUINE
    for username, reason, says in (
        ("somying", "ผิด", "only an administrator"),
        ("kanokporn2", "ผิด", "only an administrator"),  # the other organisation's administrator
        ("kanokporn", " ", "give the reason"),
    ):
        with pytest.raises(Refused, match=says):
            cancel(engine, published, username, reason)
    assert verdict(engine, published) == GENUINE
    cancel(engine, published, "kanokporn")
    with pytest.raises(Refused, match="already cancelled"):
        cancel(engine, published, "kanokporn")
    assert verdict(engine, published) == CANCELLED
    with session_scope(engine) as session:
        assert session.exec(select(Publication)).one().id == published.id  # nothing taken down
    assert verify_audit(engine).intact


def test_an_announcement_superseded_by_a_later_one_names_it(engine, published):
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        later = publish(session, memo_id=memo_id)
    for wrong, says in ((published.id, "published after"), (999, "no announcement 999")):
        with pytest.raises(BadInput, match=says), session_scope(engine) as session:
            cancel_publication(
                session, publication_id=later.id, username="kanokporn", pin=PIN, reason="ใหม่", superseded_by_id=wrong
            )
    with session_scope(engine) as session:
        cancel_publication(
            session, publication_id=published.id, username="kanokporn", pin=PIN, reason="ปรับมาตรการ",
            superseded_by_id=later.id,
        )  # fmt: skip
    assert verdict(engine, published) == SUPERSEDED
    with session_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        old, new = published_one(session, org, published.id), published_one(session, org, later.id)
    assert old.cancelled.startswith("แทนที่ด้วยประกาศ ที่ ") and f"(เลขที่ {later.id})" in old.cancelled
    assert new.cancelled == ""
    assert verify_audit(engine).intact


def test_a_new_memo_that_names_the_announcement_it_replaces_supersedes_it_when_published(engine, published):
    draft = draft_004()
    draft.announcement.replaces = published.id
    unknown = draft_004()
    unknown.announcement.replaces = 999
    with pytest.raises(BadInput, match="cannot be replaced"), session_scope(engine) as session:
        submit_memo(session, username="somying", pin=PIN, draft=unknown, again=True)
    with session_scope(engine) as session:
        memo_id = submit_memo(session, username="somying", pin=PIN, draft=draft, again=True).id
    prepare(engine, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    assert verdict(engine, published) == GENUINE  # approved is not yet published
    with session_scope(engine) as session:
        later = publish(session, memo_id=memo_id)
        cancellation = cancellation_of(session, published.id)
        assert cancellation.superseded_by_id == later.id and cancellation.person_id == later.approved_by_id
        org_id = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one().id
        assert [r.publication_id for r in replaceable(session, org_id)] == [later.id]
    assert verdict(engine, published) == SUPERSEDED
    with session_scope(engine) as session:  # a superseded one can no longer be named
        with pytest.raises(BadInput, match="cannot be replaced"):
            submit_memo(session, username="somying", pin=PIN, draft=draft, again=True)
    assert verify_audit(engine).intact
