"""The audit log: append-only, each entry authenticated with the instance's audit key.

An entry's MAC (HMAC-SHA256, keyed by `instance_secret("audit-chain")`, a file outside the
database) covers its own fields, the history rows its transaction recorded (models.audit_records)
and the previous entry's MAC. Whoever has a copy of the database but not the key can neither edit
an entry nor recompute the chain: an entry hashed with plain SHA-256, or with another key, does
not verify. The head row records the last sequence number and MAC; `head_token` is what each
publication prints, so anyone holding one can later check that the chain still contains it.

Entries written before the key existed (migration 0008) carry a plain SHA-256 hash; the entry
`audit.keyed` that follows them is keyed and covers their hashes: trust on first use.
"""

import datetime as dt
import hashlib
import hmac
import json

from sqlalchemy import Index, text
from sqlmodel import Field, Session, SQLModel, col, select

from models.audit_attribution import organisation_of
from models.audit_records import read_rows, row_hash, take_pending
from models.clock import utcnow
from models.instance_secrets import instance_secret

GENESIS_HASH = "0" * 64
KEY_NAME = "audit-chain"
KEYED_ACTION = "audit.keyed"  # the first keyed entry after entries written before the key
# The entries that recorded, on first use, rows made before their table was covered: one per
# table, its subject first_use_subject(table) (models.audit_keying.record_identity_rows).
STATE_RECORDED_ACTION = "identity.recorded"


def first_use_subject(table: str) -> str:
    return f"audit:{table}"


# One thing that happened: who did what to which record, in which organisation.
class AuditEntry(SQLModel, table=True):
    # Every sign-off counts the signer's recent wrong PINs here (services.accounts.people.pin_locked).
    __table_args__ = (Index("ix_auditentry_actor_at", "actor", "at"),)
    seq: int = Field(primary_key=True)  # 1, 2, 3, ... with no gaps
    at: dt.datetime
    actor: str  # a username, or "system"
    action: str  # "memo.submitted", "signoff.refused", ...
    subject: str = Field(index=True)  # "memo:12": publication reads a memo's entries by it
    data_json: str  # canonical JSON of the details
    prev_hash: str
    hash: str  # the MAC (plain SHA-256 on entries written before the key)
    # Whose entry it is: an organisation's administrators see only theirs. None for what belongs
    # to no organisation (a login with an unknown username).
    org_id: int | None = Field(default=None, index=True)
    # The history rows recorded with this entry: [{"table", "cols", "rows": {id: sha256}}].
    records_json: str = "[]"


# The end of the chain; updating it row-locks appends so the chain never forks.
class AuditHead(SQLModel, table=True):
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = GENESIS_HASH


def canonical_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


AUDIT_ENTRIES = ("บันทึกตรวจสอบ", "audit entries")


def audit_key(*, chain_started: bool = False) -> bytes:
    """The chain's key; once the chain has entries, a missing key file is an error, not a new key."""
    return instance_secret(KEY_NAME, must_exist=AUDIT_ENTRIES if chain_started else None)


def entry_mac(
    key: bytes,
    *,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    data_json: str,
    org_id: int | None,
    records_json: str,
    prev_hash: str,
) -> str:
    fields = [str(seq), at.isoformat(), actor, action, subject, data_json, str(org_id or ""), records_json, prev_hash]
    return hmac.new(key, "\x1f".join(fields).encode(), hashlib.sha256).hexdigest()


def plain_entry_hash(
    *, seq: int, at: dt.datetime, actor: str, action: str, subject: str, data_json: str, prev_hash: str
) -> str:
    """The hash of an entry written before the key (and what a forger without the key computes)."""
    fields = [str(seq), at.isoformat(), actor, action, subject, data_json, prev_hash]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def mac_of(entry: AuditEntry, key: bytes) -> str:
    return entry_mac(
        key,
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        data_json=entry.data_json,
        org_id=entry.org_id,
        records_json=entry.records_json,
        prev_hash=entry.prev_hash,
    )


def plain_hash_of(entry: AuditEntry) -> str:
    return plain_entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        data_json=entry.data_json,
        prev_hash=entry.prev_hash,
    )


def append(
    session: Session, *, actor: str, action: str, subject: str, data: dict | None = None, org_id: int | None = None
) -> AuditEntry:
    """Add an entry in the caller's transaction. It covers every history row the transaction
    inserted so far; the organisation is the subject's (or the actor's) unless given."""
    started = session.execute(text("SELECT seq FROM audithead WHERE id = 1")).scalar_one() > 0
    key = audit_key(chain_started=started)  # read before the head is locked
    session.flush()
    records_json = canonical_json(take_pending(session))
    org_id = org_id if org_id is not None else organisation_of(session, subject, actor)
    seq, prev_hash = session.execute(text("UPDATE audithead SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")).one()
    entry = AuditEntry(
        seq=seq,
        at=utcnow(),
        actor=actor,
        action=action,
        subject=subject,
        data_json=canonical_json(data or {}),
        prev_hash=prev_hash,
        org_id=org_id,
        records_json=records_json,
        hash="",
    )
    entry.hash = mac_of(entry, key)
    session.add(entry)
    session.execute(text("UPDATE audithead SET hash = :h WHERE id = 1"), {"h": entry.hash})
    return entry


def head_token(session: Session) -> str:
    """ "SEQ:MAC" of the chain as it stands, the head row locked to the end of the transaction
    so that the caller's own entry comes next. A publication records it and prints it."""
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    return f"{head.seq}:{head.hash}"


def parse_head(token: str) -> tuple[int, str]:
    """ "SEQ:HASH" (the hash may be shortened to 16 hex digits or more) -> (seq, hash prefix)."""
    seq, _, digest = token.strip().partition(":")
    digest = digest.lower()
    if not seq.isdigit() or len(digest) < 16 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(
            f"หัวห่วงโซ่ต้องอยู่ในรูป ลำดับ:แฮช เช่น 42:3fa9c2d1e0b47a55 "
            f"(a chain head is SEQ:HASH with at least 16 hex digits, e.g. 42:3fa9c2d1e0b47a55; got {token!r})"
        )
    return int(seq), digest


def unvouched_rows(session: Session, subject: str, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Of `rows` (table, id), those that no authentic entry about `subject` records as they are
    now: each must be named, with its present hash, in an entry whose MAC this instance's key
    makes (or, before the chain was keyed, whose plain hash matches). Checks a memo's history
    without walking the whole chain; `saraban audit verify` walks it. The entry that keyed the
    chain (audit.keyed) counts too: it records every history row written before it; so do those
    that recorded a table's rows on first use (identity.recorded, subject "audit:<table>")."""
    key = audit_key(chain_started=True)
    # The entry that keyed the chain is the first one the key authenticates: one inserted later
    # by whoever holds the database (a higher seq, no key) would make every entry before it
    # count as written before the key, checked by a plain hash anyone can make.
    keyed = next(
        (
            entry
            for entry in session.exec(
                select(AuditEntry).where(AuditEntry.subject == "audit", AuditEntry.action == KEYED_ACTION)
            ).all()
            if hmac.compare_digest(mac_of(entry, key), entry.hash)
        ),
        None,
    )
    first_use = session.exec(  # the tables' own first-use entries: the subject is indexed
        select(AuditEntry).where(
            col(AuditEntry.subject).in_(sorted({first_use_subject(table) for table, _ in rows})),
            AuditEntry.action == STATE_RECORDED_ACTION,
        )
    ).all()
    about = session.exec(select(AuditEntry).where(AuditEntry.subject == subject).order_by(AuditEntry.seq)).all()
    entries = ([keyed] if keyed else []) + sorted([*first_use, *about], key=lambda entry: entry.seq)
    if not entries:
        return list(rows)
    keyed_from = keyed.seq if keyed else 1
    recorded: dict[tuple[str, int], tuple[list[str], str]] = {}
    for entry in entries:
        authentic = mac_of(entry, key) if entry.seq >= keyed_from else plain_hash_of(entry)
        if not hmac.compare_digest(authentic, entry.hash):
            continue
        for group in json.loads(entry.records_json):
            for row_id, digest in group["rows"].items():
                recorded[(group["table"], int(row_id))] = (group["cols"], digest)
    missing = []
    for table, row_id in rows:
        columns, digest = recorded.get((table, row_id), ([], ""))
        found = list(read_rows(session.connection(), table, columns, [row_id])) if columns else []
        if not found or row_hash(found[0]) != digest:
            missing.append((table, row_id))
    return missing
