"""What an announcement printed under its signatures stays what its public page says: a signer
or a position renamed after the sign-off (by an administrator, as people do get married or
promoted) changes neither the published page nor the yearly evidence of that announcement."""

from sqlmodel import select

from models import Decision, Organisation
from models.db import session_scope
from services.accounts.admin import update_person
from services.publication.public import published_one
from services.publication.publication import publish
from services.yearly.evidence import _decision
from tests.builders import as_database_writer, load_kokphutsa, memo_in_review, operator_scope, sign

APPROVERS = ("kanokporn", "phakphum", "phakphum")  # head of office, clerk, clerk as acting mayor


def test_a_signer_and_a_position_renamed_later_do_not_change_the_published_page(engine, home_without_office):
    load_kokphutsa(engine)
    memo_id = memo_in_review(engine).id
    for username in APPROVERS:
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        publication_id = publish(session, memo_id=memo_id).id

    def page() -> list[tuple[str, str, str, str]]:
        with session_scope(engine) as session:
            org = session.exec(select(Organisation)).one()
            shown = published_one(session, org, publication_id)
            return [(a.position, a.signer, a.printed_title, a.capacity) for a in shown.approvals] + [
                tuple(shown.signed_by)
            ]

    before = page()
    assert any("ภาคภูมิ" in signer for _, signer, _, _ in before[:3]), before
    with operator_scope(engine) as session:
        org = session.exec(select(Organisation)).one()
        update_person(
            session, actor="kanokporn", org=org, username="phakphum", full_name="นายผู้อื่น ชื่อใหม่",
            rank="", initials="ผอ", email="", phone="", is_admin=False,
        )  # fmt: skip
    as_database_writer(engine, "UPDATE position SET title = 'นายกเทศมนตรีเมืองอื่น' WHERE code = 'mayor'")

    after = page()
    assert after == before
    assert "ผู้อื่น" not in str(after) and "เมืองอื่น" not in str(after)
    with session_scope(engine) as session:
        decisions = session.exec(select(Decision).where(Decision.memo_id == memo_id)).all()
        evidence = [_decision(session, d) for d in decisions]
    assert all("ผู้อื่น" not in e["signer"]["full_name"] for e in evidence)
    assert all("เมืองอื่น" not in e["position"] for e in evidence)
