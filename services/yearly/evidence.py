"""The assessor's pack for a fiscal year: every published announcement with its evidence, its
standing (in force, or cancelled or superseded since), and apart from them the memos that
ended unpublished (ended.csv: services.yearly.evidence_ended), with the year counted by standing.

For each publication of memos in the fiscal year (optionally one organisation) a folder
<org code>/memo-<id>/ holds the signed memo and the announcement (PDF when one was frozen at
publication, the .docx otherwise), publication.json (who requested, approved and posted it, when,
where, the decisions behind it, the files and their hashes) and SHA256SUMS (`sha256sum -c` checks
the folder). Every file the publication recorded is hashed again: a file that no longer matches
its recorded SHA-256, or is gone, is a problem the caller must not keep quiet about. One index
(index.html and index.csv, services.yearly.evidence_index) lists the items.

The database is read in one short transaction; the files are copied after it has closed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import Decision, Memo, Organisation, Person, Publication
from models.db import session_scope
from models.digits import thai_digits
from models.fiscal import fiscal_year_bounds
from services.errors import BadInput
from services.memo_life.attachments import attachments_folder
from services.printing.document_context import decision_signatory, decision_step_title
from services.publication.notice_board import board_dates
from services.publication.publication_channels import channel_statuses, public_page_link
from services.publication.published_attachments import publication_attachments
from services.yearly.evidence_ended import (
    ENDED_CSV,
    ended_memos,
    publication_standing,
    write_ended_csv,
    year_counts,
)
from services.yearly.evidence_index import write_index
from services.yearly.evidence_items import (
    ATTACHMENT,
    RECORD_FILE,
    EndedMemo,
    EvidenceItem,
    FileCheck,
    RecordedFile,
)

CHECKSUM_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class EvidencePack:
    out_dir: Path
    fiscal_year: int
    items: list[EvidenceItem]
    index_files: list[Path]
    ended: list[EndedMemo] = field(default_factory=list)  # ended unpublished: not evidence, listed apart
    counts: dict[str, int] = field(default_factory=dict)  # the year's memos by standing (memo_life.standing.GROUPS)

    @property
    def problems(self) -> list[str]:
        return [problem for item in self.items for problem in item.problems]


def default_out_dir(fiscal_year: int, org_code: str | None) -> Path:
    return Path(f"evidence-{fiscal_year}" + (f"-{org_code}" if org_code else ""))


def export_evidence(
    fiscal_year: int, *, org_code: str | None = None, out_dir: Path | None = None, engine: Engine | None = None
) -> EvidencePack:
    """Write the pack; raises BadInput for an unknown organisation, a year without memos, or an
    output folder that already holds files (a stale file would pass for evidence)."""
    _require_fiscal_year(fiscal_year)
    out_dir = out_dir or default_out_dir(fiscal_year, org_code)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise BadInput(
            f"โฟลเดอร์ {out_dir} มีไฟล์อยู่แล้ว โปรดระบุโฟลเดอร์ใหม่ด้วย --out "
            f"({out_dir} is not an empty folder: give --out a new one)"
        )
    with session_scope(engine) as session:
        organisations = _organisations(session, org_code)
        _require_memos(session, fiscal_year, organisations, org_code)
        items = [
            _item(session, publication, memo, org)
            for publication, memo, org in _publications(session, fiscal_year, organisations)
        ]
        ended = ended_memos(session, fiscal_year, organisations)
        counts = year_counts(session, fiscal_year, organisations)
    out_dir.mkdir(parents=True, exist_ok=True)
    packed = [pack_item(out_dir, item) for item in items]
    write_ended_csv(out_dir / ENDED_CSV, ended)
    names = [org.name for org in organisations]
    index_files = write_index(out_dir, fiscal_year, packed, names, ended=ended, counts=counts)
    return EvidencePack(out_dir, fiscal_year, packed, [*index_files, out_dir / ENDED_CSV], ended, counts)


def _require_fiscal_year(fiscal_year: int) -> None:
    try:
        fiscal_year_bounds(fiscal_year)
    except ValueError as error:
        raise BadInput(f"ปีงบประมาณไม่ถูกต้อง (bad fiscal year): {error}") from error


def _organisations(session: Session, org_code: str | None) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.code)
    if org_code is not None:
        query = query.where(Organisation.code == org_code)
    organisations = list(session.exec(query))
    if org_code is not None and not organisations:
        raise BadInput(f"ไม่พบหน่วยงาน {org_code} (no organisation '{org_code}')")
    return organisations


def _require_memos(session: Session, fiscal_year: int, organisations: list[Organisation], org_code: str | None) -> None:
    ids = [org.id for org in organisations]
    if session.exec(select(Memo.id).where(Memo.fiscal_year == fiscal_year, col(Memo.organisation_id).in_(ids))).first():
        return
    thai_where, where = (f" ของ {org_code}", f" for {org_code}") if org_code else ("", "")
    raise BadInput(
        f"ไม่มีบันทึกในปีงบประมาณ {thai_digits(fiscal_year)}{thai_where} (no memo in fiscal year {fiscal_year}{where})"
    )


def _publications(session: Session, fiscal_year: int, organisations: list[Organisation]):  # noqa: ANN202
    by_id = {org.id: org for org in organisations}
    rows = session.exec(
        select(Publication, Memo)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.fiscal_year == fiscal_year, col(Memo.organisation_id).in_(list(by_id)))
        .order_by(Memo.organisation_id, Publication.published_at, Publication.id)
    ).all()
    return [(publication, memo, by_id[memo.organisation_id]) for publication, memo in rows]


def _item(session: Session, publication: Publication, memo: Memo, org: Organisation) -> EvidenceItem:
    recorded = recorded_files(publication) + _attachment_files(session, publication, memo)
    by_role = {f.role: f for f in recorded}
    documents = [by_role.get("memo-pdf", by_role["memo"]), by_role.get("announcement-pdf", by_role["announcement"])]
    return EvidenceItem(
        f"{org.code}/memo-{memo.id}", publication_record(session, publication, memo, org), documents, recorded
    )


def recorded_files(publication: Publication) -> list[RecordedFile]:
    files = [
        RecordedFile("memo", Path(publication.memo_path), publication.memo_sha256),
        RecordedFile("announcement", Path(publication.announcement_path), publication.announcement_sha256),
    ]
    if publication.memo_pdf_path:
        files.append(RecordedFile("memo-pdf", Path(publication.memo_pdf_path), publication.memo_pdf_sha256))
    if publication.announcement_pdf_path:
        files.append(
            RecordedFile(
                "announcement-pdf", Path(publication.announcement_pdf_path), publication.announcement_pdf_sha256
            )
        )
    return files


def _attachment_files(session: Session, publication: Publication, memo: Memo) -> list[RecordedFile]:
    """The files published with the announcement (สิ่งที่ส่งมาด้วย), by the hash the revision binds:
    in the pack under that hash, named in publication.json."""
    folder = attachments_folder(session, memo)
    return [
        RecordedFile(ATTACHMENT, folder / attachment.sha256, attachment.sha256)
        for attachment in publication_attachments(session, publication)
    ]


def publication_record(session: Session, publication: Publication, memo: Memo, org: Organisation) -> dict:
    """Who requested, approved and posted the announcement, when and where, and on what decisions."""
    return {
        "organisation": {"code": org.code, "name": org.name},
        "memo": {
            "id": memo.id,
            "register_number": memo.register_number,
            "subject": memo.subject,
            "fiscal_year": memo.fiscal_year,
        },
        "publication": {
            "id": publication.id,
            "published_at": _iso(publication.published_at),
            "announcement_date": _iso(publication.announcement_date),
            "revision_sha256": publication.revision_sha256,
            "requested_by": _person(session, publication.requested_by_id),
            "approved_by": _person(session, publication.approved_by_id),
            "posted_by": publication.posted_by,
            "url": public_page_link(org),
            "notice_board": dict(
                zip(("posted_on", "remove_on"), map(_iso, board_dates(session, publication.id)), strict=True)
            ),
            "pdf_frozen": bool(publication.announcement_pdf_path and publication.memo_pdf_path),
            # Cancelled or superseded since: the files stay evidence of what was published, not of a rule in force.
            "standing": publication_standing(session, publication),
        },
        "attachments": [asdict(attachment) for attachment in publication_attachments(session, publication)],
        # the notice board's posted_by/posted_on: the person who pinned it up and the day (services.publication.notice_board)
        "channels": [
            {**asdict(status), "posted_at": _iso(status.posted_at), "posted_on": _iso(status.posted_on)}
            for status in channel_statuses(session, publication.id)
        ],
        "decisions": [
            _decision(session, d)
            for d in session.exec(
                select(Decision).where(Decision.memo_id == memo.id).order_by(Decision.round, Decision.step_index)
            )
        ],
    }


def _decision(session: Session, decision: Decision) -> dict:
    return {
        "round": decision.round,
        "step": decision.step_index,
        "decision": decision.kind.value,
        # Names and titles as they printed when the signer decided (Decision.printed_as).
        "position": decision_step_title(session, decision),
        "signer": {
            "username": session.get(Person, decision.signer_id).username,
            "full_name": decision_signatory(session, decision).full_name,
        },
        "capacity": decision.capacity.value,
        "revision_sha256": decision.revision_sha256,
        "at": _iso(decision.at),
        "minute": decision.minute,
        "after_admin_reset": json.loads(decision.after_reset) if decision.after_reset else None,
    }


def _person(session: Session, person_id: int | None) -> dict | None:
    person = session.get(Person, person_id) if person_id else None
    return None if person is None else {"username": person.username, "full_name": person.full_name}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def pack_item(out_dir: Path, item: EvidenceItem) -> EvidenceItem:
    """Write the item's folder; the returned item carries the result of every hash check."""
    folder = out_dir / item.folder
    folder.mkdir(parents=True, exist_ok=True)
    in_pack = {document.path for document in item.documents} | {f.path for f in item.recorded if f.role == ATTACHMENT}
    checks = []
    for recorded in item.recorded:
        content = recorded.path.read_bytes() if recorded.path.is_file() else None
        if content is not None and recorded.path in in_pack:
            (folder / recorded.path.name).write_bytes(content)  # the very bytes that were hashed
        actual = hashlib.sha256(content).hexdigest() if content is not None else ""
        checks.append(
            FileCheck(
                recorded.role,
                recorded.path.name,
                recorded.sha256,
                actual,
                content is not None and recorded.path in in_pack,
            )
        )
    record = {**item.record, "files": [{**asdict(check), "matches": check.matches} for check in checks]}
    (folder / RECORD_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # The recorded hashes, not the ones just computed: `sha256sum -c` then fails on a tampered file.
    (folder / CHECKSUM_FILE).write_text(
        "".join(f"{check.recorded_sha256}  {check.name}\n" for check in checks if check.in_pack), encoding="utf-8"
    )
    return replace(item, checks=checks)
