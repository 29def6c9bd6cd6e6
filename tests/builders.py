"""Small builders for the 004 case, shared by the tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import Session

from cli.demo import draft_004
from models import Memo, audit
from models.db import session_scope
from models.enums import Capacity, DecisionKind, Stage
from services.accounts.org_loader import OrganisationFile, load_organisation, read_organisation_file
from services.memo_life.memos import record_stage, submit_memo
from services.memo_life.proofreading import revision_findings
from services.memo_life.signoff import SignOffRequest, SignOffResult, sign_off

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "kokphutsa"
PIN = "482915"  # the demo organisation's signing PIN: 6 digits, none of the weak patterns
PREPARERS = (("wanna", Stage.TYPESET), ("preecha", Stage.PROOFREAD), ("kanokporn", Stage.CHECK))


@contextmanager
def operator_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A change a test makes to who may act (people, positions, holdings, delegations, chains,
    organisations) as an administrator's own action would: in one transaction, with its audit
    entry (models.audit_records covers those rows)."""
    with session_scope(engine) as session:
        yield session
        audit.append(session, actor="operator", action="test.setup", subject="setup")


def as_database_writer(engine: Engine, statement: str, **params: object) -> None:
    """SQL as whoever holds the database (not the keys) would run it: no audit entry."""
    with engine.begin() as connection:
        connection.execute(text(statement), params)


def load_kokphutsa(engine: Engine) -> None:
    with session_scope(engine) as session:
        load_organisation(session, read_organisation_file(EXAMPLES / "organisation.yaml"), demo=True)


def second_organisation(engine: Engine, code: str = "kokphutsa-2", suffix: str = "2") -> None:
    """The 004 municipality again under another code and name, its usernames ending in `suffix`."""
    spec = read_organisation_file(EXAMPLES / "organisation.yaml").model_dump()
    spec["organisation"].update(code=code, name="เทศบาลตำบลทดสอบ")
    for person in spec["people"]:
        person["username"] += suffix
    for delegation in spec["delegations"]:
        delegation["person"] += suffix
    with session_scope(engine) as session:
        load_organisation(session, OrganisationFile.model_validate(spec), demo=True)


def submitted_memo(engine: Engine) -> Memo:
    with session_scope(engine) as session:
        return submit_memo(
            session, username="somying", pin=PIN, draft=draft_004(), again=True
        )  # many alike, on purpose


def prepare(engine: Engine, memo_id: int, *, as_intended: bool = False) -> None:
    """The three stages; `as_intended`: each proofreading finding ticked as written on purpose."""
    for username, stage in PREPARERS:
        with session_scope(engine) as session:
            memo = session.get(Memo, memo_id)
            intended = [f["key"] for f in revision_findings(session, memo)] if as_intended else []
            record_stage(session, memo_id=memo_id, username=username, pin=PIN, stage=stage, intended=intended)


def memo_in_review(engine: Engine) -> Memo:
    memo = submitted_memo(engine)
    prepare(engine, memo.id)
    return memo


def sign(
    engine: Engine,
    memo_id: int,
    username: str,
    kind: DecisionKind = DecisionKind.APPROVE,
    *,
    minute: str = "โปรดพิจารณา",
    pin: str = PIN,
    capacity: Capacity | None = None,
    step: int | None = None,
    revision_sha256: str | None = None,
) -> SignOffResult:
    return sign_off(
        SignOffRequest(
            memo_id=memo_id,
            username=username,
            pin=pin,
            decision=kind,
            minute=minute,
            via="test",
            capacity=capacity,
            step=step,
            revision_sha256=revision_sha256,
        ),
        engine=engine,
    )


def memo(engine: Engine, memo_id: int) -> Memo:
    with session_scope(engine) as session:
        return session.get(Memo, memo_id)
