"""Signed chain heads: each organisation signs where the audit chain stood, with its own
signing key, when it publishes an announcement and when asked (`saraban audit anchor`, and
`saraban serve` once a day), so that entries after the latest publication are anchored too.

The statements (models.head_statement) are public: listed on /public/<code>/heads, with the
certificate, as a JSON file anyone can keep. Whoever keeps one can later prove, with the
certificate alone, what the office said, and, on the instance, that the chain still passes
through that head (`saraban verify heads.json`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from documents.pdf.signing_certificate import SigningIdentityProblem, certificate_facts
from documents.pdf.statement_signing import sign_text
from documents.pdf.timestamp_token import TimestampFacts, TimestampUnavailable, read_timestamp, request_timestamp
from models import AuditEntry, HeadStatement, Memo, Organisation, Publication, audit
from models.clock import utcnow
from models.db import session_scope
from models.head_statement import DOCUMENT_FORMAT, statement_text, text_sha256
from models.settings import get_settings
from services.errors import BadInput
from services.publication.signing_keys import organisation_identity

log = logging.getLogger(__name__)
ANCHORED = "audit.head_signed"  # the audit action of a statement made on its own (not at publication)
ANCHOR_EVERY = dt.timedelta(days=1)  # how often `saraban serve` anchors what is new


@dataclass(frozen=True)
class SignedHead:
    statement: HeadStatement
    timestamp_problem: str  # why the TSA gave no time-stamp; "" when it did, or none is configured

    def audit_data(self) -> dict[str, object]:
        return {
            "head_statement_sha256": self.statement.sha256,
            "head_seq": self.statement.seq,
            "timestamped": bool(self.statement.timestamp_token),
            "timestamp_problem": self.timestamp_problem,
        }


def sign_head(session: Session, org: Organisation, *, head_token: str, publication_id: int | None = None) -> SignedHead:
    """Sign the head `head_token` ("SEQ:MAC", from models.audit.head_token, which holds the head
    locked: the statement before this one cannot change under it) for `org`, time-stamped when a
    TSA is configured. The caller appends the audit entry that records the row."""
    seq, _, mac = head_token.partition(":")
    identity = organisation_identity(org, create=not _signed_before(session, org))
    certificate_sha256 = certificate_facts(identity.certificate_pem).sha256
    previous = latest_statement(session, org)
    now = utcnow()
    text = statement_text(
        organisation=org.code,
        seq=int(seq),
        head=mac,
        previous_sha256=previous.sha256 if previous else "",
        made_at=now,
        certificate_sha256=certificate_sha256,
    )
    token, problem = _timestamp(text_sha256(text))
    statement = HeadStatement(
        organisation_id=org.id,
        seq=int(seq),
        head=mac,
        previous_sha256=previous.sha256 if previous else "",
        made_at=now,
        statement=text,
        sha256=text_sha256(text),
        signature=sign_text(identity, text),
        certificate_pem=identity.certificate_pem.decode("ascii"),
        certificate_sha256=certificate_sha256,
        timestamp_token=token,
        publication_id=publication_id,
    )
    session.add(statement)
    session.flush()
    return SignedHead(statement, problem)


def _timestamp(sha256_hex: str) -> tuple[str, str]:
    # Asked while the head is locked, so that the statement stamped is the one recorded; a TSA
    # that does not answer costs at most tsa_timeout_seconds and never stops the publication.
    settings = get_settings()
    if not settings.tsa_url:
        return "", ""
    try:
        return request_timestamp(settings.tsa_url, sha256_hex, timeout=settings.tsa_timeout_seconds), ""
    except TimestampUnavailable as error:
        log.warning("the time-stamping authority %s gave no time-stamp: %s", settings.tsa_url, error)
        return "", f"{settings.tsa_url}: {error}"


def _signed_before(session: Session, org: Organisation) -> bool:
    # As for the PDFs (services.publication.frozen_pdfs): once the office has signed, a machine
    # without its key must not sign the next statement with a new certificate of its own.
    if latest_statement(session, org) is not None:
        return True
    signed_pdf = session.exec(
        select(Publication.id)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.organisation_id == org.id, Publication.signing_certificate_pem != "")
    ).first()
    return signed_pdf is not None


def latest_statement(session: Session, org: Organisation) -> HeadStatement | None:
    return session.exec(
        select(HeadStatement).where(HeadStatement.organisation_id == org.id).order_by(col(HeadStatement.seq).desc())
    ).first()


# --- anchoring on demand -----------------------------------------------------------------------


def needs_anchor(session: Session, org: Organisation) -> bool:
    """Whether the organisation has audit entries that no statement of its own names yet, other
    than the entries of its anchors (anchoring those would never end). A publication's entry
    comes after the head its statement signs: the next anchor names it."""
    last = latest_statement(session, org)
    query = select(AuditEntry.seq).where(AuditEntry.org_id == org.id, AuditEntry.action != ANCHORED)
    if last is not None:
        query = query.where(AuditEntry.seq > last.seq)
    return session.exec(query.limit(1)).first() is not None


def anchor(session: Session, org: Organisation, *, actor: str, force: bool = False) -> SignedHead | None:
    """Sign the chain's head for `org` now, in the caller's transaction; None when nothing of the
    organisation happened since its last statement (unless `force`)."""
    head_token = audit.head_token(session)  # locks the head: the check below sees every entry
    if not (force or needs_anchor(session, org)):
        return None
    signed = sign_head(session, org, head_token=head_token)
    audit.append(
        session,
        actor=actor,
        action=ANCHORED,
        subject=f"organisation:{org.code}",
        data=signed.audit_data(),
        org_id=org.id,
    )
    return signed


def anchor_organisations(
    codes: list[str] | None, *, actor: str, force: bool = False, engine: Engine | None = None
) -> dict[str, SignedHead | None]:
    """Anchor the organisations named (every one when None), each in its own transaction."""
    with session_scope(engine) as session:
        known = list(session.exec(select(Organisation.code).order_by(Organisation.code)))
    unknown = sorted(set(codes or []) - set(known))
    if unknown:
        raise BadInput(f"ไม่พบหน่วยงาน {', '.join(unknown)} (no organisation {', '.join(unknown)})")
    made: dict[str, SignedHead | None] = {}
    for code in codes or known:
        with session_scope(engine) as session:
            org = session.exec(select(Organisation).where(Organisation.code == code)).one()
            try:
                made[code] = anchor(session, org, actor=actor, force=force)
            except SigningIdentityProblem as problem:
                raise BadInput(f"{code}: {problem}") from problem
    return made


def anchor_forever(stop: threading.Event, *, engine: Engine | None = None, every: dt.timedelta = ANCHOR_EVERY) -> None:
    """`saraban serve`'s thread: anchor what is new at start, then once every `every`, until
    `stop` is set. An error is logged, never fatal (the next round tries again)."""
    while True:
        try:
            with session_scope(engine) as session:
                codes = list(session.exec(select(Organisation.code).order_by(Organisation.code)))
        except Exception:  # noqa: BLE001 - the database away must not end the thread
            log.exception("signing the chain heads failed; trying again in %s", every)
            codes = []
        for code in codes:  # one office's missing key must not leave the others unanchored
            try:
                anchor_organisations([code], actor="system", engine=engine)
            except Exception:  # noqa: BLE001
                log.exception("signing the chain head of %s failed; trying again in %s", code, every)
        if stop.wait(every.total_seconds()):
            return


# --- what the public sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicHead:
    id: int
    seq: int
    head: str
    sha256: str
    previous_sha256: str
    made_at: dt.datetime  # as the statement says (the office's clock)
    certificate_subject: str
    certificate_sha256: str
    timestamp: TimestampFacts | None  # None when it was not time-stamped
    publication_id: int | None

    @property
    def head_token(self) -> str:
        return f"{self.seq}:{self.head}"


def public_heads(session: Session, org: Organisation) -> list[PublicHead]:
    """The organisation's statements, newest first."""
    rows = session.exec(
        select(HeadStatement).where(HeadStatement.organisation_id == org.id).order_by(col(HeadStatement.seq).desc())
    )
    return [_public(row) for row in rows]


def head_of_publication(session: Session, publication_id: int) -> PublicHead | None:
    row = session.exec(select(HeadStatement).where(HeadStatement.publication_id == publication_id)).first()
    return _public(row) if row else None


def _public(row: HeadStatement) -> PublicHead:
    made_at = dt.datetime.fromisoformat(_field(row.statement, "made_at"))
    return PublicHead(
        row.id,
        row.seq,
        row.head,
        row.sha256,
        row.previous_sha256,
        made_at,
        certificate_facts(row.certificate_pem.encode("ascii")).subject,
        row.certificate_sha256,
        read_timestamp(row.timestamp_token, row.sha256) if row.timestamp_token else None,
        row.publication_id,
    )


def _field(text: str, name: str) -> str:
    return str(json.loads(text)[name])


def heads_document(session: Session, org: Organisation, *, statement_id: int | None = None) -> dict:
    """The JSON file the public page offers: every statement (or one), oldest first, with its
    exact signed text, its signature, its time-stamp token and the certificates, so that it can
    be checked without the database (`saraban verify`, or openssl)."""
    query = select(HeadStatement).where(HeadStatement.organisation_id == org.id).order_by(col(HeadStatement.seq))
    if statement_id is not None:
        query = query.where(HeadStatement.id == statement_id)
    rows = list(session.exec(query))
    return {
        "format": DOCUMENT_FORMAT,
        "organisation": {"code": org.code, "name": org.name},
        "certificates": {row.certificate_sha256: row.certificate_pem for row in rows},
        "statements": [
            {
                "id": row.id,
                "statement": row.statement,
                "sha256": row.sha256,
                "signature": row.signature,
                "certificate_sha256": row.certificate_sha256,
                "timestamp_token": row.timestamp_token,
                "publication_id": row.publication_id,
            }
            for row in rows
        ],
    }
