"""The audit log as an administrator reads it: one organisation's entries, filtered and paged,
with names instead of usernames, Thai labels instead of action codes and keys, and values
written out instead of raw JSON. The entries themselves are never changed."""

import datetime as dt
import json
from dataclasses import dataclass, field

import pendulum
from sqlmodel import Session, col, func, select

from documents.thai_format import thai_date_short, thai_datetime, to_thai_digits
from models import AuditEntry, Memo, Person, Position
from models.clock import OFFICE_TZ

PAGE_SIZE = 50

# Thai labels of the actions; an action not listed here is shown by its code.
ACTION_LABELS = {
    "memo.submitted": "ส่งบันทึก",
    "memo.submit.refused": "ส่งบันทึกไม่สำเร็จ",
    "memo.revised": "แก้ไขบันทึก",
    "memo.revise.refused": "แก้ไขบันทึกไม่สำเร็จ",
    "stage.recorded": "บันทึกขั้นตอน",
    "stage.refused": "บันทึกขั้นตอนไม่สำเร็จ",
    "stage.returned": "ส่งคืนจากขั้นตอน",
    "signoff.recorded": "ลงนาม",
    "signoff.refused": "ลงนามไม่สำเร็จ",
    "resume.refused": "คำตอบผ่าน Prefect ถูกปฏิเสธ",
    "step.escalated": "ส่งขั้นที่เกินกำหนดขึ้นไปตำแหน่งที่สูงขึ้น",
    "memo.published": "เผยแพร่ประกาศ",
    "publication.retried": "ส่งประกาศซ้ำ",
    "cycle.opened": "เปิดรอบทบทวนประจำปี",
    "web.login": "เข้าสู่ระบบ",
    "web.login.refused": "เข้าสู่ระบบไม่สำเร็จ",
    "account.password.changed": "เปลี่ยนรหัสผ่าน",
    "account.pin.changed": "เปลี่ยนรหัส PIN",
    "account.password.reset": "ออกรหัสผ่านใช้ครั้งเดียว",
    "account.pin.reset": "ออกรหัส PIN ใช้ครั้งเดียว",
    "account.hashes.bound": "ผูกรหัสที่เก็บไว้กับเจ้าของบัญชี",
    "audit.head_signed": "ลงนามรับรองหัวห่วงโซ่บันทึกตรวจสอบ",
    "account.password.refused": "เปลี่ยนรหัสผ่านไม่สำเร็จ",
    "account.pin.refused": "เปลี่ยนรหัส PIN ไม่สำเร็จ",
    "account.deactivated": "ปิดบัญชี",
    "organisation.loaded": "นำเข้าข้อมูลหน่วยงาน",
    "organisation.signing_certificate": "ติดตั้งใบรับรองลงนาม",
    "audit.keyed": "เริ่มใช้กุญแจห่วงโซ่",
    "admin.settings": "แก้ไขการตั้งค่า",
    "admin.garuda": "อัปโหลดตราครุฑ",
    "admin.unit.added": "เพิ่มส่วนราชการ",
    "admin.position.added": "เพิ่มตำแหน่ง",
    "admin.person.added": "เพิ่มผู้ใช้",
    "admin.person.updated": "แก้ไขข้อมูลผู้ใช้",
    "admin.person.reactivated": "เปิดบัญชีอีกครั้ง",
    "admin.appointed": "แต่งตั้งผู้ดำรงตำแหน่ง",
    "admin.chain.set": "แก้ไขสายการลงนาม",
    "admin.stage_positions.set": "กำหนดผู้บันทึกขั้นตอน",
    "admin.delegation.added": "เพิ่มคำสั่งมอบหมาย",
    "admin.delegation.ended": "ยุติคำสั่งมอบหมาย",
}

# Thai labels of the detail keys; a key not listed here is shown as it is.
KEY_LABELS = {
    "register_number": "เลขที่หนังสือ",
    "revision_sha256": "ลายนิ้วมือฉบับ (SHA-256)",
    "announcement_sha256": "ลายนิ้วมือประกาศ",
    "memo_sha256": "ลายนิ้วมือบันทึก",
    "announcement_pdf_sha256": "ลายนิ้วมือ PDF ประกาศ",
    "memo_pdf_sha256": "ลายนิ้วมือ PDF บันทึก",
    "signing_certificate_sha256": "ลายนิ้วมือใบรับรอง",
    "pdf_missing": "ไม่มี PDF เพราะ",
    "channels": "ช่องทาง",
    "stage": "ขั้นตอน",
    "round": "รอบ",
    "step": "ขั้นที่",
    "kind": "ผลการพิจารณา",
    "capacity": "ฐานะ",
    "delegation_id": "คำสั่งมอบหมาย",
    "escalated": "ลงนามแทนเพราะเกินกำหนด",
    "via": "ช่องทาง",
    "decision_id": "การลงนาม",
    "stage_return_id": "การส่งคืน",
    "note": "หมายเหตุ",
    "code": "รหัสเหตุผล",
    "reason": "เหตุผล",
    "username": "ผู้ใช้",
    "organisation": "หน่วยงาน",
    "person": "ผู้ปฏิบัติแทน",
    "position": "ตำแหน่ง",
    "positions": "ตำแหน่ง",
    "holder": "ผู้ดำรงตำแหน่ง",
    "replaced": "ผู้ดำรงตำแหน่งเดิม",
    "order_number": "เลขที่คำสั่ง",
    "valid_from": "ตั้งแต่",
    "valid_to": "ถึง",
    "is_admin": "ผู้ดูแลระบบ",
    "register_prefix": "เลขประจำหน่วยงาน",
    "public_minutes": "แสดงเกษียนบนหน้าสาธารณะ",
    "prefect_ui_signing": "ลงนามผ่าน Prefect",
    "bytes": "ขนาด (ไบต์)",
    "name": "ชื่อ",
    "title": "ชื่อตำแหน่ง",
    "document_kind": "ประเภทเอกสาร",
    "steps": "ขั้นตอน",
    "drafter_may_sign": "ผู้ร่างลงนามได้",
    "same_signer_consecutive_steps": "ลงนามสองขั้นติดกันได้",
    "accepted_capacities": "ฐานะที่รับ",
    "may_return": "ส่งคืนได้",
    "changes": "ที่แก้ไข",
    "full_name": "ชื่อ-นามสกุล",
    "rank": "ยศ",
    "initials": "ชื่อย่อ",
    "email": "อีเมล",
    "phone": "โทรศัพท์",
    "fiscal_year": "ปีงบประมาณ",
    "item": "เรื่อง",
    "previous_memo_id": "บันทึกปีก่อน",
    "due_at": "กำหนด",
    "from_position_id": "จากตำแหน่ง",
    "to_position_id": "ไปตำแหน่ง",
    "vacated_position_ids": "ตำแหน่งที่ว่างลง",
    "escalated_memo_ids": "บันทึกที่ส่งขึ้นไป",
    "units": "ส่วนราชการ",
    "people": "ผู้ใช้",
    "sha256": "ลายนิ้วมือ",
    "subject": "ผู้ถือใบรับรอง",
    "issuer": "ผู้ออกใบรับรอง",
    "not_after": "หมดอายุ",
    # A sign-off soon after an administrator reset the signer's credentials (services.accounts.reset_watch).
    "after_reset": "ลงนามหลังผู้ดูแลระบบตั้งรหัสของผู้ลงนามใหม่",
    "by": "ผู้ดูแลที่ตั้งใหม่",
    "what": "ที่ตั้งใหม่",
    "at": "เมื่อ",
}
VALUE_LABELS = {
    "approve": "เห็นชอบ",
    "return": "ส่งคืนแก้ไข",
    "self": "ในตำแหน่งของตน",
    "web": "เว็บ",
    "api": "API",
    "cli": "คำสั่ง saraban",
    "announcement": "ประกาศ",
    "password": "รหัสผ่าน",
    "pin": "รหัส PIN",
}
USER_KEYS = {"username", "person", "holder", "replaced", "by"}
POSITION_CODE_KEYS = {"position", "positions"}
POSITION_ID_KEYS = {"from_position_id", "to_position_id", "vacated_position_ids"}


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  # a username
    memo_id: int | None = None
    date_from: dt.date | None = None  # office dates (Asia/Bangkok), both included
    date_to: dt.date | None = None
    page: int = 1


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: dt.datetime
    actor: str  # the person's name (their username when no such person, "ระบบ" for the system)
    action: str  # the Thai label
    action_code: str
    subject: str
    memo_id: int | None
    details: list[Detail] = field(default_factory=list)


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def audit_page(session: Session, org_id: int, wanted: AuditFilter) -> AuditPage:
    query = _filtered(select(AuditEntry), org_id, wanted)
    total = session.exec(_filtered(select(func.count()).select_from(AuditEntry), org_id, wanted)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, wanted.page), pages)
    entries = session.exec(
        query.order_by(col(AuditEntry.seq).desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    memo_ids = {int(e.subject[5:]) for e in entries if e.subject.startswith("memo:") and e.subject[5:].isdigit()}
    names = _Names(session, org_id, memo_ids)
    return AuditPage([_row(e, names) for e in entries], total, page, pages)


def actions_of(session: Session, org_id: int) -> list[tuple[str, str]]:
    """(code, Thai label) of every action the organisation's log holds, for the filter."""
    codes = session.exec(select(AuditEntry.action).where(AuditEntry.org_id == org_id).distinct()).all()
    return sorted(((c, ACTION_LABELS.get(c, c)) for c in codes), key=lambda pair: pair[1])


def _filtered(query, org_id: int, wanted: AuditFilter):  # noqa: ANN001, ANN202
    query = query.where(AuditEntry.org_id == org_id)
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.actor:
        query = query.where(AuditEntry.actor == wanted.actor)
    if wanted.memo_id is not None:
        query = query.where(AuditEntry.subject == f"memo:{wanted.memo_id}")
    if wanted.date_from:
        query = query.where(AuditEntry.at >= _office_midnight(wanted.date_from))
    if wanted.date_to:
        query = query.where(AuditEntry.at < _office_midnight(wanted.date_to + dt.timedelta(days=1)))
    return query


def _office_midnight(day: dt.date) -> dt.datetime:
    moment = pendulum.datetime(day.year, day.month, day.day, tz=OFFICE_TZ).in_timezone("UTC")
    return dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, tzinfo=dt.UTC)


class _Names:
    """Usernames, position codes and ids, and memos of one organisation, as people read them."""

    def __init__(self, session: Session, org_id: int, memo_ids: set[int]) -> None:
        people = session.exec(select(Person).where(Person.organisation_id == org_id)).all()
        self.people = {p.username: p.full_name for p in people}
        self.people_by_id = {p.id: p.full_name for p in people}
        positions = session.exec(select(Position).where(Position.organisation_id == org_id)).all()
        self.by_code = {p.code: p.title for p in positions}
        self.by_id = {p.id: p.title for p in positions}
        self.memos = {
            m.id: m for m in session.exec(select(Memo).where(Memo.organisation_id == org_id, Memo.id.in_(memo_ids)))
        }

    def person(self, username: str) -> str:
        if username == "system":
            return "ระบบ"
        return self.people.get(username, username)

    def subject(self, subject: str) -> tuple[str, int | None]:
        kind, _, key = subject.partition(":")
        if kind == "memo" and key.isdigit() and int(key) in self.memos:
            memo = self.memos[int(key)]
            return f"บันทึก ที่ {memo.register_number} {memo.subject}", memo.id
        if kind == "organisation":
            return "หน่วยงาน", None
        if kind == "person" and key.isdigit():
            return f"ผู้ใช้ {self.people_by_id.get(int(key), key)}", None
        return subject, None


def _row(entry: AuditEntry, names: _Names) -> AuditRow:
    subject, memo_id = names.subject(entry.subject)
    data = json.loads(entry.data_json or "{}")
    details = (
        [Detail(KEY_LABELS.get(k, k), _value(k, v, names)) for k, v in data.items()] if isinstance(data, dict) else []
    )
    return AuditRow(
        entry.seq,
        entry.at,
        names.person(entry.actor),
        ACTION_LABELS.get(entry.action, entry.action),
        entry.action,
        subject,
        memo_id,
        details,
    )


def _value(key: str, value: object, names: _Names) -> str:  # noqa: PLR0911
    if key == "accepted_capacities":  # stored comma-separated; empty: every capacity
        return ", ".join(VALUE_LABELS.get(c, c) for c in str(value).split(",") if c) or "ทุกฐานะ"
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่"
    if isinstance(value, list):
        return ", ".join(_value(key, v, names) for v in value)
    if isinstance(value, dict):
        return _mapping(key, value, names)
    if key in POSITION_ID_KEYS and isinstance(value, int):
        return names.by_id.get(value, str(value))
    if isinstance(value, int):
        return to_thai_digits(value + 1 if key == "step" else value)  # steps are counted from 0 inside
    text = str(value)
    if key in USER_KEYS:
        return names.person(text)
    if key in POSITION_CODE_KEYS:
        return names.by_code.get(text, text)
    if key.endswith("sha256") and len(text) == 64:
        return text[:12] + "…"
    return VALUE_LABELS.get(text, _date_or_text(text))


def _mapping(key: str, value: dict, names: _Names) -> str:
    if key == "changes":  # {field: [old, new]}
        return "; ".join(
            f"{KEY_LABELS.get(k, k)}: {_value(k, old, names)} → {_value(k, new, names)}"
            for k, (old, new) in value.items()
        )
    if "position" in value:  # a chain step
        extra = [f"{KEY_LABELS.get(k, k)} {_value(k, v, names)}" for k, v in value.items() if k != "position"]
        return names.by_code.get(value["position"], value["position"]) + (f" ({', '.join(extra)})" if extra else "")
    return "; ".join(f"{KEY_LABELS.get(k, k)} {_value(k, v, names)}" for k, v in value.items())


def _date_or_text(text: str) -> str:
    """An ISO date or moment, as stored by the entry's canonical JSON, written the Thai way."""
    try:
        if len(text) == 10:
            return thai_date_short(dt.date.fromisoformat(text))
        if len(text) > 18 and text[4] == "-" and ":" in text:
            return thai_datetime(dt.datetime.fromisoformat(text))
    except ValueError:
        pass
    return text
