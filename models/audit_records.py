"""History rows covered by the audit chain: which tables, which columns, and each row's hash.

Every row that records a memo's frozen route, a chain's version, a decision, a preparation stage, a revision, a
stage return, a revision's attachments, a publication (with its channel rows), a signed chain head, a request that staff acknowledge an
announcement, a staff acknowledgement or the memo that answers an ITA item's period is named in the audit entry of the transaction that inserted
it, with the SHA-256 of its content. A flush listener notes the rows a transaction inserts;
`models.audit.append` takes them into its entry. So `saraban audit verify` can compare every such
row with its entry: changed, gone, or added without one.

The entry stores the column names it hashed: a column added by a later migration is not part of
an older row's hash, and the row still verifies.

Who may act, and what prints under a signature, is state the application changes: organisations,
people (names, usernames, flags, credential hashes), positions, holdings, delegations, chains and
their steps. Each insert, update and delete of such a row is recorded the same way by the entry
of its transaction (a deleted row as DELETED), so `audit verify` finds one made out of band: a
signer renamed, a clerk made an administrator, a hash copied onto another person's row. So is
what an ITA item's public page shows of a period (ItaWork): a disclosure address changed in the
database is found the same way, and the public page does not show it (services.ita.public_item).
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from enum import Enum

from sqlalchemy import Connection, Table, event, select
from sqlalchemy.orm import Session

from models.acknowledgement import Acknowledgement, AcknowledgementRequest
from models.attachment import MemoAttachment
from models.head_statement import HeadStatement
from models.ita import ItaWork, ItaWorkMemo
from models.memo import Decision, MemoEnding, MemoRoute, Revision, StageRecord, StageReturn
from models.organisation import Delegation, Holding, Organisation, Person, Position
from models.publication import Publication, PublicationCancellation, PublicationChannel
from models.publication_request import PublicationRequest
from models.routing import Chain, ChainStep, ChainVersion

# Table name -> the columns hashed (None: every column). A channel row's status, attempts and
# link change as it is posted; what must not change is that the row exists, for which channel.
COVERED: dict[str, tuple[str, ...] | None] = {
    "memoroute": None,
    "chainversion": None,
    "memoending": None,
    "publicationcancellation": None,
    "publicationrequest": None,
    "revision": None,
    "memoattachment": None,
    "stagerecord": None,
    "decision": None,
    "stagereturn": None,
    "publication": None,
    "publicationchannel": ("id", "publication_id", "channel"),
    "headstatement": None,
    "acknowledgementrequest": None,
    "acknowledgement": None,
    "itaworkmemo": None,
    "organisation": None,
    "person": None,
    "position": None,
    "holding": None,
    "delegation": None,
    "chain": None,
    "chainstep": None,
    # What an ITA item's public page shows of a period besides its memo: the work's draft and a
    # disclosure item's address (who gave it and when). Not when it was opened or is due.
    "itawork": ("id", "item_id", "organisation_id", "period", "draft_id", "url", "url_given_by", "url_given_at"),
}
_HISTORY = (
    MemoRoute,
    ChainVersion,
    MemoEnding,
    Revision,
    MemoAttachment,
    StageRecord,
    Decision,
    StageReturn,
    Publication,
    PublicationChannel,
    PublicationCancellation,
    PublicationRequest,
    HeadStatement,
    AcknowledgementRequest,
    Acknowledgement,
    ItaWorkMemo,
)
_IDENTITY = (Organisation, Person, Position, Holding, Delegation, Chain, ChainStep)
_CHANGED = (*_IDENTITY, ItaWork)  # state rows recorded as each transaction leaves them
_CLASSES = _HISTORY + _CHANGED
IDENTITY_TABLES = tuple(c.__tablename__ for c in _IDENTITY)
CHANGED_TABLES = tuple(c.__tablename__ for c in _CHANGED)
DELETED = "deleted"  # what an entry records for an identity row its transaction deleted
_PENDING = "saraban_audit_pending"  # session.info key: (table, id) inserted, not yet in an entry


def table_of(name: str) -> Table:
    return next(c.__table__ for c in _CLASSES if c.__tablename__ == name)


def hashed_columns(name: str) -> list[str]:
    return list(COVERED[name] or [c.name for c in table_of(name).columns])


def row_hash(values: dict[str, object]) -> str:
    """SHA-256 of a row's values, in one canonical form on SQLite and PostgreSQL alike."""
    canonical = json.dumps(
        {k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_rows(connection: Connection, name: str, columns: list[str], ids: list[int] | None = None) -> Iterator[dict]:
    """Rows of a covered table as stored (read back, so writer and verifier hash the same values)."""
    table = table_of(name)
    statement = select(*(table.c[c] for c in columns)).order_by(table.c.id)
    if ids is not None:
        statement = statement.where(table.c.id.in_(ids))
    for row in connection.execute(statement).mappings():
        yield dict(row)


def record_group(name: str, columns: list[str], rows: Iterable[dict]) -> dict:
    """One table's part of an entry's records: the columns hashed and each row's hash by id."""
    return {"table": name, "cols": columns, "rows": {str(row["id"]): row_hash(row) for row in rows}}


def take_pending(session: Session) -> list[dict]:
    """The rows this transaction inserted (or, for identity rows, changed or deleted) since the
    last entry, as an entry's `records`: one group per table, {"table", "cols", "rows": {id: sha256}}."""
    pending = session.info.pop(_PENDING, [])
    groups = []
    for name in COVERED:
        ids = sorted({row_id for table, row_id in pending if table == name})
        if not ids:
            continue
        columns = hashed_columns(name)
        group = record_group(name, columns, read_rows(session.connection(), name, columns, ids))
        group["rows"] |= {str(row_id): DELETED for row_id in ids if str(row_id) not in group["rows"]}
        groups.append(group)
    return groups


def note_rows(session: Session, rows: Iterable[tuple[str, int]]) -> None:
    """Have the next entry record these rows as they are (rows no entry recorded yet)."""
    session.info.setdefault(_PENDING, []).extend(rows)


def pending_rows(session: Session) -> list[tuple[str, int]]:
    return list(session.info.get(_PENDING, []))


@event.listens_for(Session, "after_flush")
def _note_changed(session: Session, _context) -> None:  # noqa: ANN001
    # In after_flush the session still lists what the flush wrote as new, dirty and deleted.
    changed = [i for i in session.new if isinstance(i, _CLASSES)]
    changed += [i for i in session.dirty if isinstance(i, _CHANGED) and session.is_modified(i)]
    changed += [i for i in session.deleted if isinstance(i, _CHANGED)]
    for instance in changed:
        session.info.setdefault(_PENDING, []).append((instance.__tablename__, instance.id))


@event.listens_for(Session, "before_commit")
def _refuse_unaudited(session: Session) -> None:
    # A history row committed without its audit entry would look "added out of band" to every
    # verification after: refuse it here, where the code that forgot the entry can be found.
    if session.in_nested_transaction():
        return
    session.flush()
    if pending_rows(session):
        raise RuntimeError(
            f"history rows without an audit entry: {pending_rows(session)} "
            "(call models.audit.append in the transaction that records them)"
        )


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:  # noqa: ANN001
    if transaction.parent is None:  # the outermost transaction: what it noted is committed or gone
        session.info.pop(_PENDING, None)
