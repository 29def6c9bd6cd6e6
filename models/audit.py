"""The audit log: append-only, each entry chained to the one before by SHA-256.

An entry's hash covers its own fields and the previous entry's hash, so editing any entry
breaks its hash, and deleting one breaks the chain after it; the head row records the last
sequence number and hash, so cutting entries off the end shows too. Database triggers also
refuse UPDATE and DELETE on entries (see the migrations); the chain catches whoever gets
around them.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Index, text
from sqlmodel import Field, Session, SQLModel, select

from models.clock import utcnow

GENESIS_HASH = "0" * 64


# One thing that happened: who did what to which record.
class AuditEntry(SQLModel, table=True):
    # Every sign-off counts the signer's recent wrong PINs here (services.people.pin_locked).
    __table_args__ = (Index("ix_auditentry_actor_at", "actor", "at"),)
    seq: int = Field(primary_key=True)  # 1, 2, 3, ... with no gaps
    at: dt.datetime
    actor: str  # a username, or "system"
    action: str  # "memo.submitted", "signoff.refused", ...
    subject: str  # "memo:12"
    data_json: str  # canonical JSON of the details
    prev_hash: str
    hash: str


# The end of the chain; updating it row-locks appends so the chain never forks.
class AuditHead(SQLModel, table=True):
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = GENESIS_HASH


def canonical_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(*, seq: int, at: dt.datetime, actor: str, action: str, subject: str, data_json: str, prev_hash: str) -> str:
    fields = [str(seq), at.isoformat(), actor, action, subject, data_json, prev_hash]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def append(session: Session, *, actor: str, action: str, subject: str, data: dict | None = None) -> AuditEntry:
    """Add an entry in the caller's transaction."""
    seq, prev_hash = session.execute(
        text("UPDATE audithead SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
    ).one()
    at = utcnow()
    data_json = canonical_json(data or {})
    digest = entry_hash(seq=seq, at=at, actor=actor, action=action, subject=subject, data_json=data_json, prev_hash=prev_hash)
    entry = AuditEntry(seq=seq, at=at, actor=actor, action=action, subject=subject, data_json=data_json,
                       prev_hash=prev_hash, hash=digest)
    session.add(entry)
    session.execute(text("UPDATE audithead SET hash = :h WHERE id = 1"), {"h": digest})
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(session: Session) -> ChainReport:
    """Recompute the chain from the first entry and say where it breaks."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    for entry in session.exec(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        problems += _check_entry(entry, expected_seq, expected_prev)
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    head = session.get(AuditHead, 1)
    if head is None or head.seq != expected_seq - 1 or head.hash != expected_prev:
        problems.append(f"the chain ends at entry {expected_seq - 1} but the head records entry "
                        f"{head.seq if head else '?'}: entries were removed from the end or the head was edited")
    return ChainReport(count, problems)


def _check_entry(entry: AuditEntry, expected_seq: int, expected_prev: str) -> list[str]:
    problems = []
    if entry.seq != expected_seq:
        problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing (deleted)")
    if entry.prev_hash != expected_prev:
        problems.append(f"entry {entry.seq} does not follow the entry before it")
    recomputed = entry_hash(seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action,
                            subject=entry.subject, data_json=entry.data_json, prev_hash=entry.prev_hash)
    if recomputed != entry.hash:
        problems.append(f"entry {entry.seq} ({entry.action} {entry.subject}) was edited: its hash does not match")
    return problems
