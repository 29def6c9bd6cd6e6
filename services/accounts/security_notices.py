"""Who is told when an administrator acts on who may sign.

An administrator can reset a person's password, create a signer, appoint to a position or
change a chain: enough, alone, to sign as someone else. None of that can be forbidden (offices
need it), so none of it happens unseen: the person concerned is told, and so is every other
active administrator of the organisation. Each notice is a row (models.SecurityNotice), shown on
the person's account page and the admin pages, and sent on the recipient's own channels by the
notice sender (services.notices.security_sender). Written in the transaction of the change, so
a change is never made without its notices.
"""

from sqlmodel import Session, col, select

from models import Organisation, Person, Position, SecurityNotice
from models.clock import utcnow

SIGN = "ระบบสารบรรณ (แจ้งเตือนด้านความปลอดภัย อัตโนมัติ)"


def tell_person(session: Session, person: Person, title: str, lines: list[str], *, sign: str = SIGN) -> None:
    """One notice to `person`, in the caller's transaction (sent after the commit, never lost to
    a crash). Memo endings use this outbox too (services.memo_life.ending_notices), signed as work."""
    body = "\n".join([f"เรียน {person.full_name}", "", *lines, "", sign])
    session.add(SecurityNotice(organisation_id=person.organisation_id, person_id=person.id, title=title, body=body))


def tell_other_administrators(session: Session, org: Organisation, actor: str, title: str, lines: list[str]) -> int:
    """Every active administrator of `org` but `actor`: the number told."""
    others = session.exec(
        select(Person)
        .where(Person.organisation_id == org.id, Person.is_admin, Person.active, Person.username != actor)
        .order_by(Person.id)
    ).all()
    for admin in others:
        tell_person(session, admin, title, [*lines, "", f"หากไม่ได้นัดหมายกันไว้ กรุณาสอบถาม {actor}"])
    return len(others)


def admin_change_told(session: Session, org: Organisation, actor: str, action: str, data: dict) -> None:
    """Tell the other administrators of the changes that decide who may sign (the rest, a unit
    or an emblem, need no alert)."""
    if isinstance(data.get("position"), str):  # the title people know the position by, not its code
        title = session.exec(
            select(Position.title).where(Position.organisation_id == org.id, Position.code == data["position"])
        ).first()
        data = {**data, "position": title or data["position"]}
    what = _what_changed(action, data)
    if what is not None:
        when = utcnow().strftime("%Y-%m-%d %H:%M UTC")
        tell_other_administrators(session, org, actor, f"ผู้ดูแลระบบ {actor}: {what}", [f"{actor} {what} เมื่อ {when}"])


def _what_changed(action: str, data: dict) -> str | None:
    if action == "person.added":
        return f"เพิ่มผู้ใช้ {data['username']}" + (" เป็นผู้ดูแลระบบ" if data.get("is_admin") else "")
    if action == "appointed":
        holder = data.get("holder") or "(ว่าง)"
        return f"แต่งตั้ง {holder} ให้ดำรงตำแหน่ง {data['position']}"
    if action == "person.updated" and "is_admin" in data.get("changes", {}):
        return f"เปลี่ยนสิทธิ์ผู้ดูแลระบบของ {data['username']}"
    if action == "person.reactivated":
        return f"เปิดบัญชี {data['username']} อีกครั้ง"
    if action == "delegation.added":
        return f"มอบให้ {data.get('person')} ปฏิบัติราชการในตำแหน่ง {data.get('position')}"
    if action == "stage_positions.set":
        return f"กำหนดผู้บันทึกขั้นตอน {data['stage']}"
    if action == "position.updated":  # reports_to: who takes the position's overdue steps
        return f"เปลี่ยนผู้บังคับบัญชาตามสายงานของตำแหน่ง {data['position']}"
    if action == "chain.set":
        return f"แก้สายการลงนาม {data['document_kind']}"
    return None


def recent_notices(session: Session, person: Person, limit: int = 10) -> list[SecurityNotice]:
    """What `person` was told lately, newest first: for their account page."""
    return list(
        session.exec(
            select(SecurityNotice)
            .where(SecurityNotice.person_id == person.id)
            .order_by(col(SecurityNotice.created_at).desc(), col(SecurityNotice.id).desc())
            .limit(limit)
        )
    )
