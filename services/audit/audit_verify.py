"""`saraban audit verify`: the audit chain against the instance's key, and every history row
against the hash its audit entry recorded.

It reads one consistent snapshot (SQLite: a deferred read transaction under WAL; PostgreSQL:
REPEATABLE READ, read only), so it never holds the write lock and never mistakes a row committed
during the scan for one added out of band. Each problem names what (a table and an id) and how.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.pdf.statement_signing import signature_holds
from models.approvals import memo_state_gaps
from models.audit import (
    GENESIS_HASH,
    KEY_NAME,
    KEYED_ACTION,
    AuditEntry,
    AuditHead,
    audit_key,
    mac_of,
    parse_head,
    plain_hash_of,
)
from models.audit_keying import legacy_org_digest
from models.audit_records import COVERED, DELETED, read_rows, row_hash, table_of
from models.db import READ_ONLY, default_engine
from models.head_statement import BadStatement, HeadStatement, read_statement, text_sha256
from models.instance_secrets import secret_path
from models.memo import Decision, Memo, MemoEnding, MemoRoute, Revision
from models.publication import Publication

ENTRY = "auditentry"


@dataclass(frozen=True)
class Problem:
    table: str  # "auditentry", "decision", ...
    id: str  # the row's id, or a range of entries "3..5"
    what: str
    org_id: int | None = None  # whose it is, when that is known: an admin sees their own

    def __str__(self) -> str:
        return f"{self.table} {self.id}: {self.what}"


@dataclass(frozen=True)
class AuditReport:
    entries: int
    rows: int  # history rows compared with their entries
    head: str  # "SEQ:MAC" of the last entry
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


@contextmanager
def snapshot(engine: Engine | None = None) -> Iterator[Session]:
    """A read-only transaction that sees one state of the database from its first read on."""
    engine = engine or default_engine()
    options: dict = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options |= {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options=options)
        yield session


def verify_audit(engine: Engine | None = None, *, head: tuple[int, str] | None = None) -> AuditReport:
    """Everything `saraban audit verify` checks; `head` is a head published earlier, as
    models.audit.parse_head reads "SEQ:HASH"."""
    with snapshot(engine) as session:
        return verify_in(session, head)


def verify_in(session: Session, expected_head: tuple[int, str] | None = None) -> AuditReport:
    entries = list(session.exec(select(AuditEntry).order_by(AuditEntry.seq)))
    problems = _chain_problems(session, entries)
    recorded = _recorded_rows(entries)
    rows, row_problems = _row_problems(session, recorded)
    problems += row_problems
    by_seq = {e.seq: e for e in entries}
    if expected_head is not None:
        problems += _head_problems("the head given", expected_head, by_seq, None)
    problems += _publication_head_problems(session, by_seq)
    problems += statement_problems(session, by_seq)
    problems += _memo_state_problems(session)
    last = entries[-1] if entries else None
    return AuditReport(len(entries), rows, f"{last.seq}:{last.hash}" if last else f"0:{GENESIS_HASH}", problems)


# --- the chain ---------------------------------------------------------------------------------


def _chain_problems(session: Session, entries: list[AuditEntry]) -> list[Problem]:
    keyed_from = next((e.seq for e in entries if e.action == KEYED_ACTION), 1)
    key_file = secret_path(KEY_NAME)
    problems: list[Problem] = []
    if entries and entries[-1].seq >= keyed_from and not key_file.exists():
        problems.append(
            Problem(
                "audit key",
                str(key_file),
                "ไม่พบไฟล์กุญแจ (the audit key file is missing: restore it "
                "from the backup, or set SARABAN_KEYS_DIR to this instance's keys folder)",
            )
        )
        key = None
    else:
        key = audit_key() if entries else None
    expected_prev, expected_seq, bad_macs, keyed = GENESIS_HASH, 1, 0, 0
    for entry in entries:
        problems += _link_problems(entry, expected_seq, expected_prev)
        if entry.seq < keyed_from:
            problems += _legacy_problems(entry)
        elif key is not None:
            keyed += 1
            found = _mac_problems(entry, key)
            bad_macs += bool(found)
            problems += found
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    if keyed > 1 and bad_macs == keyed:
        problems.append(
            Problem(
                ENTRY,
                "*",
                "no entry carries this instance's MAC: the whole chain was rewritten "
                "without the key, or SARABAN_KEYS_DIR is not this instance's keys folder",
            )
        )
    problems += _legacy_attribution_problems(entries, keyed_from)
    return problems + _head_row_problems(session, expected_seq - 1, expected_prev)


def _link_problems(entry: AuditEntry, expected_seq: int, expected_prev: str) -> list[Problem]:
    problems = []
    if entry.seq != expected_seq:
        problems.append(Problem(ENTRY, f"{expected_seq}..{entry.seq - 1}", "missing: deleted"))
    if entry.prev_hash != expected_prev:
        problems.append(
            Problem(
                ENTRY,
                str(entry.seq),
                "does not follow the entry before it: an entry before it was changed or removed",
                entry.org_id,
            )
        )
    return problems


def _legacy_problems(entry: AuditEntry) -> list[Problem]:
    if plain_hash_of(entry) == entry.hash:
        return []
    return [
        Problem(
            ENTRY, str(entry.seq), f"edited ({entry.action} {entry.subject}): its hash does not match", entry.org_id
        )
    ]


def _mac_problems(entry: AuditEntry, key: bytes) -> list[Problem]:
    if mac_of(entry, key) == entry.hash:
        return []
    if plain_hash_of(entry) == entry.hash:
        what = "its hash is plain SHA-256, not the instance's MAC: recomputed by someone without the key"
    else:
        what = "its MAC does not match: edited, or written with another key"
    return [Problem(ENTRY, str(entry.seq), f"{what} ({entry.action} {entry.subject})", entry.org_id)]


def _legacy_attribution_problems(entries: list[AuditEntry], keyed_from: int) -> list[Problem]:
    # The organisations filled in for entries written before the key are covered by audit.keyed.
    keyed = next((e for e in entries if e.seq == keyed_from and e.action == KEYED_ACTION), None)
    if keyed is None:
        return []
    legacy = [(e.seq, e.org_id) for e in entries if e.seq < keyed_from]
    if json.loads(keyed.data_json).get("legacy_org_ids") == legacy_org_digest(legacy):
        return []
    return [Problem(ENTRY, f"1..{keyed_from - 1}", "the organisation of an entry written before the key was changed")]


def _head_row_problems(session: Session, last_seq: int, last_hash: str) -> list[Problem]:
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) == (last_seq, last_hash):
        return []
    return [
        Problem(
            "audithead",
            "1",
            f"the chain ends at entry {last_seq} but the head records entry "
            f"{head.seq if head else '?'}: entries were removed from the end or the head was edited",
        )
    ]


def _head_problems(
    what: str, head: tuple[int, str], by_seq: dict[int, AuditEntry], org_id: int | None
) -> list[Problem]:
    seq, digest = head
    entry = by_seq.get(seq)
    if entry is None:
        return [Problem(ENTRY, str(seq), f"{what} names entry {seq}, which the chain no longer has", org_id)]
    if not entry.hash.startswith(digest):
        return [
            Problem(
                ENTRY,
                str(seq),
                f"{what} ({seq}:{digest[:16]}) does not match entry {seq}: history up to it was rewritten",
                org_id,
            )
        ]
    return []


def _publication_head_problems(session: Session, by_seq: dict[int, AuditEntry]) -> list[Problem]:
    problems = []
    for publication, org_id in session.exec(
        select(Publication, Memo.organisation_id).join(Memo, Memo.id == Publication.memo_id)
    ):
        if not publication.audit_head:
            continue  # published before heads were recorded (0008)
        try:
            head = parse_head(publication.audit_head)
        except ValueError:
            problems.append(Problem("publication", str(publication.id), "its chain head is not SEQ:HASH", org_id))
            continue
        problems += _head_problems(f"the head printed with publication {publication.id}", head, by_seq, org_id)
    return problems


# --- the signed heads ----------------------------------------------------------------------------


def statement_problems(session: Session, by_seq: dict[int, AuditEntry]) -> list[Problem]:
    """Each organisation's signed statements (models.head_statement): each one's text, hash and
    signature agree with its row, each names the one before it, and the chain still has its head."""
    problems: list[Problem] = []
    previous: dict[int, str] = {}
    for row in session.exec(select(HeadStatement).order_by(HeadStatement.organisation_id, HeadStatement.seq)):
        problems += [
            Problem("headstatement", str(row.id), p, row.organisation_id) for p in _statement_row_problems(row)
        ]
        if row.previous_sha256 != previous.get(row.organisation_id, ""):
            problems.append(
                Problem(
                    "headstatement",
                    str(row.id),
                    "does not name the organisation's statement before it: a statement was removed or replaced",
                    row.organisation_id,
                )
            )
        previous[row.organisation_id] = row.sha256
        problems += _head_problems(
            f"the head signed in statement {row.id}", (row.seq, row.head), by_seq, row.organisation_id
        )
    return problems


def _statement_row_problems(row: HeadStatement) -> list[str]:
    try:
        fields = read_statement(row.statement)
    except BadStatement as error:
        return [str(error)]
    problems = []
    if (fields["seq"], fields["head"], fields["previous"]) != (row.seq, row.head, row.previous_sha256):
        problems.append("its row and its signed text disagree")
    if text_sha256(row.statement) != row.sha256:
        problems.append("its SHA-256 is not its text's")
    if not signature_holds(row.certificate_pem, row.statement, row.signature):
        problems.append("its signature does not verify with its certificate")
    return problems


# --- each memo's row against its route and history --------------------------------------------


def _memo_state_problems(session: Session) -> list[Problem]:
    """A memo's status, step, step count, round and organisation are state the application
    updates; each must agree with the memo's frozen route and its history rows (which the chain
    covers), or publication could follow a forged state (models.approvals)."""
    routes = {r.memo_id: r for r in session.exec(select(MemoRoute).order_by(MemoRoute.id))}  # the latest wins
    latest: dict[int, Revision] = {}
    for revision in session.exec(select(Revision).order_by(Revision.number)):
        latest[revision.memo_id] = revision
    decisions: dict[tuple[int, int], list[Decision]] = {}
    for decision in session.exec(select(Decision)):
        decisions.setdefault((decision.memo_id, decision.round), []).append(decision)
    published = set(session.exec(select(Publication.memo_id)))
    endings = {e.memo_id: e.kind for e in session.exec(select(MemoEnding))}
    problems = []
    for memo in session.exec(select(Memo).order_by(Memo.id)):
        route = routes.get(memo.id)
        if route is None:
            problems.append(
                Problem("memo", str(memo.id), "has no frozen route: run `saraban init`", memo.organisation_id)
            )
            continue
        round_decisions = decisions.get((memo.id, memo.round), [])
        gaps = memo_state_gaps(
            memo, route, latest.get(memo.id), round_decisions, memo.id in published, endings.get(memo.id)
        )
        problems += [Problem("memo", str(memo.id), gap, route.organisation_id) for gap in gaps]
    return problems


# --- the history rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Recorded:
    seq: int
    columns: list[str]
    sha256: str
    org_id: int | None


def _recorded_rows(entries: list[AuditEntry]) -> dict[tuple[str, int], _Recorded]:
    recorded = {}
    for entry in entries:
        try:
            groups = json.loads(entry.records_json)
        except ValueError:
            continue  # the entry's MAC fails already
        for group in groups:
            for row_id, sha256 in group["rows"].items():
                recorded[(group["table"], int(row_id))] = _Recorded(entry.seq, group["cols"], sha256, entry.org_id)
    return recorded


def _row_problems(session: Session, recorded: dict[tuple[str, int], _Recorded]) -> tuple[int, list[Problem]]:
    connection = session.connection()
    memo_orgs = dict(session.exec(select(Memo.id, Memo.organisation_id)).all())
    publication_memos: dict[int, int] = {}
    problems, seen = [], set()
    for name in COVERED:  # publication before publicationchannel: a channel's organisation is its publication's
        columns = [c.name for c in table_of(name).columns]
        for row in read_rows(connection, name, columns):
            seen.add((name, row["id"]))
            if name == "publication":
                publication_memos[row["id"]] = row["memo_id"]
            memo_id = row.get("memo_id") or publication_memos.get(row.get("publication_id"))
            org_id = row["id"] if name == "organisation" else row.get("organisation_id", memo_orgs.get(memo_id))
            problems += _compare(name, row, recorded.get((name, row["id"])), org_id)
    for (name, row_id), entry in sorted(recorded.items()):
        if (name, row_id) not in seen and entry.sha256 != DELETED:
            problems.append(
                Problem(
                    name, str(row_id), f"disappeared: deleted after audit entry {entry.seq} recorded it", entry.org_id
                )
            )
    return len(seen), problems


def _compare(name: str, row: dict, entry: _Recorded | None, org_id: int | None) -> list[Problem]:
    if entry is None:
        return [Problem(name, str(row["id"]), "has no audit entry: added out of band", org_id)]
    if entry.sha256 == DELETED:
        return [
            Problem(
                name,
                str(row["id"]),
                f"deleted by audit entry {entry.seq}, yet it is there: put back out of band",
                org_id,
            )
        ]
    if any(c not in row for c in entry.columns) or row_hash({c: row[c] for c in entry.columns}) != entry.sha256:
        return [Problem(name, str(row["id"]), f"changed since audit entry {entry.seq} recorded it", org_id)]
    return []
