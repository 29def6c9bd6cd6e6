"""The setup checklist on the admin overview: what a new organisation still lacks before memos
can go all the way to publication, each item with the admin page that fixes it."""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from documents.thai_format import to_thai_digits
from models import (
    Chain,
    ChainStep,
    Delegation,
    Holding,
    NotificationChannel,
    Organisation,
    Person,
    Position,
    StagePermission,
    Unit,
)
from models.notification import PERSONAL_PURPOSES


@dataclass(frozen=True)
class CheckItem:
    done: bool
    text: str  # what is (or is not) set up, in Thai
    link: str  # the admin page where it is set


def setup_checklist(session: Session, org: Organisation, today: dt.date) -> list[CheckItem]:
    positions = {p.id: p for p in session.exec(select(Position).where(Position.organisation_id == org.id))}
    held = {h.position_id for h in session.exec(select(Holding).where(col(Holding.position_id).in_(list(positions))))}
    covered = held | {
        d.position_id
        for d in session.exec(
            select(Delegation).where(
                col(Delegation.position_id).in_(list(positions)),
                Delegation.valid_from <= today,
                Delegation.valid_to >= today,
            )
        )
    }
    chains = session.exec(select(Chain).where(Chain.organisation_id == org.id)).all()
    steps = session.exec(select(ChainStep).where(col(ChainStep.chain_id).in_([c.id for c in chains]))).all()
    unsigned = sorted({positions[s.position_id].title for s in steps if s.position_id not in covered})
    people = session.exec(select(Person).where(Person.organisation_id == org.id, Person.active)).all()
    stages = session.exec(select(StagePermission).where(StagePermission.organisation_id == org.id)).first()
    unreached = people_without_channel(session, org.id)
    return [
        CheckItem(
            bool(org.register_prefix.strip()),
            f"เลขประจำหน่วยงาน: {org.register_prefix or 'ยังไม่กำหนด'}",
            "/admin/settings",
        ),
        CheckItem(bool(org.garuda_image_path) or org.printed_garuda_paper, _emblem_line(org), "/admin/settings"),
        CheckItem(
            bool(session.exec(select(Unit.id).where(Unit.organisation_id == org.id)).first()),
            "มีส่วนราชการอย่างน้อยหนึ่งแห่ง",
            "/admin/settings",
        ),
        CheckItem(len(people) > 1, f"ผู้ใช้ที่ใช้งานอยู่ {to_thai_digits(len(people))} คน", "/admin/people"),
        CheckItem(bool(steps), "มีสายการลงนาม" if steps else "ยังไม่มีสายการลงนาม (no routing chain yet)", "/admin/chains"),
        CheckItem(
            bool(steps) and not unsigned,
            "ทุกขั้นของสายการลงนามมีผู้ลงนามได้วันนี้"
            if not unsigned
            else "ขั้นที่ไม่มีผู้ดำรงตำแหน่งหรือคำสั่งมอบหมายที่มีผลวันนี้: " + ", ".join(unsigned),
            "/admin/positions",
        ),
        CheckItem(
            stages is not None,
            "กำหนดผู้บันทึกขั้นตอน พิมพ์ ทาน ตรวจ แล้ว" if stages else "ผู้บันทึกขั้นตอนใช้ค่าเริ่มต้น (ตำแหน่งในส่วนราชการของบันทึก)",
            "/admin/stages",
        ),
        CheckItem(
            not unreached,
            "ทุกคนมีช่องทางแจ้งเตือนที่ยืนยันแล้ว"
            if not unreached
            else f"ผู้ใช้ {to_thai_digits(len(unreached))} คนยังไม่มีช่องทางแจ้งเตือนที่ยืนยันแล้ว (no confirmed channel)",
            "/admin/notifications",
        ),
    ]


def people_without_channel(session: Session, organisation_id: int) -> list[Person]:
    """Active people with no confirmed channel of their own: they hear of work, resets and memo
    endings only on their account page, and cannot be sent a one-time PIN. Each adds one on
    /account (services.notices.own_channels)."""
    people = session.exec(
        select(Person).where(Person.organisation_id == organisation_id, Person.active).order_by(Person.id)
    ).all()
    reached = set(
        session.exec(
            select(NotificationChannel.recipient_username).where(
                NotificationChannel.organisation_id == organisation_id,
                NotificationChannel.active,
                NotificationChannel.confirmed,
                col(NotificationChannel.purpose).in_(PERSONAL_PURPOSES),
            )
        )
    )
    return [p for p in people if p.username not in reached]


def _emblem_line(org: Organisation) -> str:
    # Paper with the Garuda printed on it needs no image: the print leaves its room blank.
    if org.garuda_image_path:
        return "อัปโหลดตราครุฑแล้ว"
    if org.printed_garuda_paper:
        return "พิมพ์บนกระดาษที่มีตราครุฑอยู่แล้ว เอกสารเว้นที่ตราครุฑไว้ (printed on Garuda paper: the emblem's room is left blank)"
    return "ยังไม่ได้อัปโหลดตราครุฑ เอกสารจะพิมพ์ช่อง [ตราครุฑ] แทน (no Garuda image uploaded)"
