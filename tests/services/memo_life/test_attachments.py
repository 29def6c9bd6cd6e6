"""A memo carries attachments (สิ่งที่ส่งมาด้วย): each file checked by its content, kept with the
memo by SHA-256, one insert-only row per file and revision, named in the revision's hash (what a
signer approves), printed on the memo, and, when marked เผยแพร่พร้อมประกาศ, published with its hash;
an unpublished file never reaches the public. Driven by the domain functions, without Prefect."""

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from cli.demo import draft_004
from documents.docx.memo import build_memo_docx
from models import AuditEntry, Memo, MemoAttachment, Person, Revision
from models.db import session_scope
from models.draft import AttachmentRef, MemoDraft
from models.enums import DecisionKind, MemoStatus
from models.rules import Refused
from services.audit.audit_verify import verify_audit
from services.errors import BadInput
from services.memo_life.attachments import attachments_folder, stage_attachment
from services.memo_life.memos import revise_memo, submit_memo
from services.printing.document_context import current_revision, memo_context
from services.publication.public import public_attachment, public_organisation, published_one
from services.publication.publication import publish
from services.yearly.evidence import export_evidence
from tests.attachment_files import program_named_pdf, small_docx, small_png, tiny_pdf
from tests.builders import PIN, load_kokphutsa, prepare, sign
from tests.documents.docx_inspect import all_paragraph_texts

SIGNERS = ("kanokporn", "phakphum", "phakphum")


@pytest.fixture
def office(engine, home_without_office):
    load_kokphutsa(engine)
    return engine


def staged(engine, name: str, data: bytes, *, published: bool = False, username: str = "somying") -> AttachmentRef:
    with session_scope(engine) as session:
        person = session.exec(select(Person).where(Person.username == username)).one()
        return stage_attachment(session, person, name=name, data=data, published=published)


def with_files(*refs: AttachmentRef, draft: MemoDraft | None = None) -> MemoDraft:
    return (draft or draft_004()).model_copy(update={"attachments": list(refs) or None})


def submitted(engine, draft: MemoDraft) -> int:
    with session_scope(engine) as session:
        return submit_memo(session, username="somying", pin=PIN, draft=draft, again=True).id


def rows(engine, memo_id: int, number: int = 1) -> list[MemoAttachment]:
    with session_scope(engine) as session:
        revision = session.exec(select(Revision).where(Revision.memo_id == memo_id, Revision.number == number)).one()
        return list(
            session.exec(
                select(MemoAttachment).where(MemoAttachment.revision_id == revision.id).order_by(MemoAttachment.number)
            )
        )


def approve_all(engine, memo_id: int) -> None:
    prepare(engine, memo_id)
    for username in SIGNERS:
        sign(engine, memo_id, username)


def test_a_memo_keeps_its_files_by_hash_with_a_row_each_covered_by_the_audit_chain(office):
    plan = staged(office, "แผนปฏิบัติการ.pdf", tiny_pdf(), published=True)
    photo = staged(office, "ภาพประกอบ.png", small_png())
    memo_id = submitted(office, with_files(plan, photo))

    kept = rows(office, memo_id)
    assert [(a.number, a.name, a.media_type, a.published) for a in kept] == [
        (1, "แผนปฏิบัติการ.pdf", "application/pdf", True),
        (2, "ภาพประกอบ.png", "image/png", False),
    ]
    with session_scope(office) as session:
        folder = attachments_folder(session, session.get(Memo, memo_id))
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "memo.submitted")).one()
    for attachment in kept:
        assert hashlib.sha256((folder / attachment.sha256).read_bytes()).hexdigest() == attachment.sha256
        assert (folder / attachment.sha256).stat().st_mode & 0o077 == 0  # private, as the CLI's umask makes it
    recorded = {group["table"]: group["rows"] for group in json.loads(entry.records_json)}
    assert set(recorded["memoattachment"]) == {str(a.id) for a in kept}
    assert [a["sha256"] for a in json.loads(entry.data_json)["attachments"]] == [plan.sha256, photo.sha256]
    assert verify_audit(office).intact


def test_the_revision_hash_binds_the_files_and_whether_each_is_published(office):
    plain = draft_004()
    pdf = staged(office, "แผน.pdf", tiny_pdf())
    other_pdf = staged(office, "แผน.pdf", tiny_pdf("another plan"))
    hashes = {
        plain.sha256(),
        with_files(pdf).sha256(),
        with_files(other_pdf).sha256(),  # same name, other content
        with_files(pdf.model_copy(update={"published": True})).sha256(),  # same file, published
    }
    assert len(hashes) == 4
    assert MemoDraft.model_validate({**plain.model_dump(), "attachments": []}).sha256() == plain.sha256()

    memo_id = submitted(office, with_files(pdf))
    with session_scope(office) as session:
        revision = current_revision(session, session.get(Memo, memo_id))
        assert revision.sha256 == with_files(pdf).sha256() != plain.sha256()
        assert json.loads(revision.content_json)["attachments"][0]["sha256"] == pdf.sha256


def test_the_printed_memo_lists_the_files_as_sing_thi_song_ma_duai(office):
    memo_id = submitted(office, with_files(staged(office, "ร่างคำสั่ง", small_docx()), staged(office, "แผน", tiny_pdf())))
    with session_scope(office) as session:
        memo = session.get(Memo, memo_id)
        context = memo_context(session, memo, current_revision(session, memo))
    assert context.attachments == ["ร่างคำสั่ง", "แผน"]
    text = "\n".join(all_paragraph_texts(build_memo_docx(context)))
    assert "สิ่งที่ส่งมาด้วย" in text and "๑. ร่างคำสั่ง" in text and "๒. แผน" in text


def test_a_file_never_uploaded_or_renamed_program_is_refused_and_nothing_is_sent(office):
    with pytest.raises(BadInput, match="not a complete PDF"):
        staged(office, "setup.pdf", program_named_pdf())
    ghost = AttachmentRef(name="ไม่มีจริง.pdf", size=10, sha256="ab" * 32)
    with pytest.raises(BadInput, match="attach it again"):
        submitted(office, with_files(ghost))
    with session_scope(office) as session:
        assert session.exec(select(Memo)).all() == []


def test_another_persons_staged_file_cannot_be_attached_by_its_hash(office):
    theirs = staged(office, "ของคนอื่น.pdf", tiny_pdf("private"), username="wanna")
    with pytest.raises(BadInput, match="attach it again"):
        submitted(office, with_files(theirs))


def test_a_revision_after_a_return_keeps_drops_and_adds_files_and_signers_see_the_new_hash(office):
    letter, plan = staged(office, "หนังสือที่อ้างถึง.pdf", tiny_pdf("letter")), staged(office, "แผน.docx", small_docx())
    memo_id = submitted(office, with_files(letter, plan))
    prepare(office, memo_id)
    first = rows(office, memo_id)
    sign(office, memo_id, "kanokporn", DecisionKind.RETURN, minute="แนบภาพแทนแผน")
    photo = staged(office, "ภาพ.png", small_png())
    with session_scope(office) as session:
        revise_memo(
            session,
            memo_id=memo_id,
            username="somying",
            pin=PIN,
            draft=with_files(letter.model_copy(update={"published": True}), photo),
            note="แนบภาพแทนแผน",
        )
    second = rows(office, memo_id, 2)
    assert [(a.name, a.published) for a in second] == [("หนังสือที่อ้างถึง.pdf", True), ("ภาพ.png", False)]
    assert second[0].sha256 == first[0].sha256 and second[0].id != first[0].id  # a row of its own revision
    prepare(office, memo_id)
    with session_scope(office) as session:
        old_hash = session.exec(select(Revision.sha256).where(Revision.memo_id == memo_id, Revision.number == 1)).one()
    with pytest.raises(Refused):  # an approval of the revision before does not approve these files
        sign(office, memo_id, "kanokporn", revision_sha256=old_hash)
    assert verify_audit(office).intact


def test_rows_are_insert_only(office):
    memo_id = submitted(office, with_files(staged(office, "แผน.pdf", tiny_pdf())))
    with pytest.raises(DBAPIError, match="insert-only"), office.begin() as connection:
        connection.exec_driver_sql(f"UPDATE memoattachment SET published = 1 WHERE memo_id = {memo_id}")


def test_only_published_files_reach_the_public_page_with_their_hashes(office):
    public_plan = staged(office, "แผนที่เผยแพร่.pdf", tiny_pdf("public plan"), published=True)
    internal = staged(office, "บันทึกภายใน.docx", small_docx("internal"))
    memo_id = submitted(office, with_files(public_plan, internal))
    approve_all(office, memo_id)
    with session_scope(office) as session:
        publication = publish(session, memo_id=memo_id)
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "memo.published")).one()
    assert json.loads(entry.data_json)["published_attachments"] == [
        {"name": "แผนที่เผยแพร่.pdf", "sha256": public_plan.sha256, "size": public_plan.size}
    ]
    with session_scope(office) as session:
        org = public_organisation(session, "kokphutsa")
        item = published_one(session, org, publication.id)
        assert [(a.name, a.sha256) for a in item.attachments] == [("แผนที่เผยแพร่.pdf", public_plan.sha256)]
        row, path = public_attachment(session, org, publication.id, public_plan.sha256)
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == public_plan.sha256 == row.sha256
        with pytest.raises(BadInput):
            public_attachment(session, org, publication.id, internal.sha256)


def test_the_evidence_pack_keeps_the_published_files_only(office, tmp_path):
    public_plan = staged(office, "แผนที่เผยแพร่.pdf", tiny_pdf("public plan"), published=True)
    internal = staged(office, "บันทึกภายใน.docx", small_docx("internal"))
    memo_id = submitted(office, with_files(public_plan, internal))
    approve_all(office, memo_id)
    with session_scope(office) as session:
        publish(session, memo_id=memo_id)
        fiscal_year = session.get(Memo, memo_id).fiscal_year
    pack = export_evidence(fiscal_year, out_dir=tmp_path / "pack", engine=office)
    assert pack.problems == []
    folder = tmp_path / "pack" / "kokphutsa" / f"memo-{memo_id}"
    assert (folder / public_plan.sha256).read_bytes() == tiny_pdf("public plan")
    assert not (folder / internal.sha256).exists()
    record = json.loads((folder / "publication.json").read_text(encoding="utf-8"))
    assert [a["sha256"] for a in record["attachments"]] == [public_plan.sha256]
    assert f"{public_plan.sha256}  {public_plan.sha256}" in (folder / "SHA256SUMS").read_text()


def test_publication_is_refused_while_a_file_to_publish_differs_from_the_approved_one(office):
    plan = staged(office, "แผน.pdf", tiny_pdf(), published=True)
    memo_id = submitted(office, with_files(plan))
    approve_all(office, memo_id)
    with session_scope(office) as session:
        stored = attachments_folder(session, session.get(Memo, memo_id)) / plan.sha256
    stored.write_bytes(tiny_pdf("swapped after approval"))
    with pytest.raises(Refused, match="differs from the approved one"), session_scope(office) as session:
        publish(session, memo_id=memo_id)
    with session_scope(office) as session:
        assert session.get(Memo, memo_id).status == MemoStatus.APPROVED
