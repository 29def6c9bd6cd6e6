"""The audit log as an administrator reads it: one organisation's entries, filtered and paged,
with names instead of usernames, Thai labels instead of action codes and keys, and values
written out instead of raw JSON. The entries themselves are never changed.

Entries are numbered per organisation (the first of the office's entries is ๑, with no gaps):
the chain's own sequence runs over every organisation of the instance, so an office reading it
would see numbers skip where other offices' entries are, which looks like deletions. The
chain's number stays on each row (its id and title) for `saraban audit verify`'s reports."""

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pendulum
from sqlmodel import Session, col, func, select

from documents.thai_format import thai_date_short, thai_datetime, to_thai_digits
from models import AuditEntry, Decision, Delegation, Memo, MemoRoute, Person, Position, StageReturn
from models.clock import OFFICE_TZ
from models.decision_words import decision_word, steps_at, steps_by_round
from models.document_kinds import acknowledges

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
    "resume.refused": "การลงนามผ่านหน้าจอระบบงานเบื้องหลังถูกปฏิเสธ",
    "step.escalated": "ส่งขั้นที่เกินกำหนดขึ้นไปตำแหน่งที่สูงขึ้น",
    "memo.published": "เผยแพร่ประกาศ",
    "publication.retried": "ส่งประกาศซ้ำ",
    "cycle.opened": "เปิดรอบทบทวนประจำปี",
    "ita.work-opened": "เปิดงานตามรายการ ITA",
    "ita.catalogue.adopted": "รับแคตตาล็อก ITA",
    "ita.catalogue.updated": "ปรับแคตตาล็อก ITA",
    "ita.position.set": "กำหนดตำแหน่งผู้รับผิดชอบรายการ ITA",
    "publication.request-made": "จัดทำแบบขออนุญาตเผยแพร่ข้อมูล",
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
    "admin.position.updated": "แก้ไขตำแหน่ง",
    "memo.withdrawn": "ผู้ร่างถอนเรื่อง",
    "memo.cancelled": "ผู้ดูแลระบบยกเลิกเรื่อง",
    "memo.route.frozen": "บันทึกเส้นทางการลงนามของบันทึก",
    "memo.route.moved": "ย้ายบันทึกไปใช้สายการลงนามฉบับใหม่",
    "publication.cancelled": "ยกเลิกประกาศ",
    "publication.superseded": "ประกาศถูกแทนที่ด้วยประกาศใหม่",
    "publication.notice_board.posted": "ปิดประกาศที่บอร์ด",
    "account.notify_mode": "เปลี่ยนวิธีรับการแจ้งเตือน",
    "identity.recorded": "บันทึกลายนิ้วมือประวัติเดิมเข้าห่วงโซ่",
    "acknowledgement.asked": "ขอให้เจ้าหน้าที่รับทราบประกาศ",
    "acknowledgement.made": "รับทราบหนังสือเวียน/ประกาศ",
}
# What a refused action was, for "<action>.refused" entries not labelled above.
REFUSED_LABELS = {
    "memo.withdraw": "ถอนเรื่อง",
    "memo.cancel": "ยกเลิกเรื่อง",
    "memo.route.move": "ย้ายสายการลงนาม",
    "publication.cancel": "ยกเลิกประกาศ",
    "stage": "บันทึกขั้นตอน",
    "account.password": "เปลี่ยนรหัสผ่าน",
    "account.pin": "เปลี่ยนรหัส PIN",
}
# Kept in the entry, never shown: a refusal's code is for programs (its reason is the words);
# a new unit's or position's code is the configuration file's (the name or title says it).
HIDDEN_KEYS = {"code", "announcement_words_json", "ending_id"}

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
    "prefect_ui_signing": "ลงนามผ่านหน้าจอระบบงานเบื้องหลัง",
    "printed_garuda_paper": "พิมพ์บนกระดาษตราครุฑ",
    "ending_id": "การสิ้นสุดเรื่อง",
    "publication_id": "ประกาศ (เลขในระบบ)",
    "superseded_by_id": "แทนที่ด้วยประกาศ (เลขในระบบ)",
    "already_cancelled": "ยกเลิกไว้ก่อนแล้ว",
    "by_memo": "โดยบันทึก",
    "posted_on": "วันที่ปิดประกาศ",
    "remove_on": "ปลดประกาศได้ตั้งแต่",
    "from_version": "จากสายการลงนามฉบับที่",
    "to_version": "ไปฉบับที่",
    "version": "ฉบับที่",
    "chain_id": "สายการลงนาม (เลขในระบบ)",
    "why": "เหตุ",
    "announcement_subject": "เรื่องของประกาศ",
    "announcement_title": "ชื่อประกาศ",
    "attachments": "สิ่งที่ส่งมาด้วย",
    "published_attachments": "สิ่งที่ส่งมาด้วยที่เผยแพร่",
    "address": "ที่อยู่เครื่อง (IP)",
    "user_agent": "โปรแกรมที่ใช้ (user agent)",
    "mode": "วิธีรับการแจ้งเตือน",
    "reports_to": "ผู้บังคับบัญชาตามสายงาน",
    "vacant_steps_confirmed": "ยืนยันขั้นที่ยังไม่มีผู้ลงนาม",
    "legacy_org_ids": "รายการเดิม",
    "rows": "แถว",
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
    "approve": "เห็นชอบ",  # at the last step: อนุมัติ (_Names.decided)
    "disapprove": "ไม่อนุมัติ",
    "prefect-ui": "หน้าจอระบบงานเบื้องหลัง",
    "demo": "การสาธิต",
    "overdue": "เกินกำหนด",
    "deactivated": "ผู้ลงนามถูกปิดบัญชี",
    "return": "ส่งคืนแก้ไข",
    "self": "ในตำแหน่งของตน",
    "web": "เว็บ",
    "api": "API",
    "cli": "คำสั่ง saraban",
    "publication": "เมื่อเผยแพร่ (หนังสือเวียน)",
    "announcement": "ประกาศ",
    "password": "รหัสผ่าน",
    "pin": "รหัส PIN",
}
USER_KEYS = {"username", "person", "holder", "replaced", "by"}
POSITION_CODE_KEYS = {"position", "positions", "reports_to"}
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
    number: int  # the entry's place among the organisation's own entries: 1, 2, 3 ... no gaps
    seq: int  # its place in the instance's chain (what `saraban audit verify` reports)
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
    names = _Names(session, org_id, memo_ids, [json.loads(e.data_json or "{}") for e in entries])
    numbers = own_numbers(session, org_id, [e.seq for e in entries])
    return AuditPage([_row(e, names, numbers[e.seq]) for e in entries], total, page, pages)


def own_entries(session: Session, org_id: int) -> int:
    """How many entries the organisation has in the chain (its own, never another's)."""
    return session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.org_id == org_id)).one()


def own_numbers(session: Session, org_id: int, seqs: list[int]) -> dict[int, int]:
    """Each entry's number among the organisation's own entries, by its chain sequence: one
    count below the page and the organisation's sequence numbers across it (two queries)."""
    if not seqs:
        return {}
    low, high = min(seqs), max(seqs)
    mine = select(AuditEntry.seq).where(AuditEntry.org_id == org_id)
    before = session.exec(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.org_id == org_id, AuditEntry.seq < low)
    ).one()
    across = session.exec(mine.where(AuditEntry.seq >= low, AuditEntry.seq <= high).order_by(AuditEntry.seq)).all()
    return {seq: before + index for index, seq in enumerate(across, start=1)}


def action_label(code: str) -> str:
    """The Thai words for an action; a refusal not listed as "<what it tried> ไม่สำเร็จ"."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    tried = code.removesuffix(".refused")
    if tried != code:
        return f"{REFUSED_LABELS.get(tried) or ACTION_LABELS.get(tried, tried)}ไม่สำเร็จ"
    return code


def actions_of(session: Session, org_id: int) -> list[tuple[str, str]]:
    """(code, Thai label) of every action the organisation's log holds, for the filter."""
    codes = session.exec(select(AuditEntry.action).where(AuditEntry.org_id == org_id).distinct()).all()
    return sorted(((c, action_label(c)) for c in codes), key=lambda pair: pair[1])


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
    """Usernames, position codes and ids, memos, and the sign-offs, returns and delegations a
    page's entries name, of one organisation, as people read them."""

    def __init__(self, session: Session, org_id: int, memo_ids: set[int], data: Sequence[object] = ()) -> None:
        people = session.exec(select(Person).where(Person.organisation_id == org_id)).all()
        self.people = {p.username: p.full_name for p in people}
        self.people_by_id = {p.id: p.full_name for p in people}
        positions = session.exec(select(Position).where(Position.organisation_id == org_id)).all()
        self.by_code = {p.code: p.title for p in positions}
        self.by_id = {p.id: p.title for p in positions}
        self.memos = {
            m.id: m for m in session.exec(select(Memo).where(Memo.organisation_id == org_id, Memo.id.in_(memo_ids)))
        }
        wanted = _ids_named(data)
        mine = list(self.memos)
        # A sign-off (a return) is told by its place among the memo's ("การลงนามครั้งที่ ๖ ของบันทึก ที่ ..."),
        # never by the table's id, which counts every memo of the instance.
        self.decisions = self._nth(session, Decision, "การลงนาม", wanted["decision_id"])
        self.returns = self._nth(session, StageReturn, "การส่งคืน", wanted["stage_return_id"])
        self.orders = {
            d.id: d.order_number
            for d in session.exec(
                select(Delegation).where(
                    col(Delegation.id).in_(wanted["delegation_id"]), col(Delegation.position_id).in_(list(self.by_id))
                )
            )
        }
        routes = session.exec(select(MemoRoute).where(col(MemoRoute.memo_id).in_(mine))).all()
        self.steps = steps_by_round(list(routes))

    def _nth(self, session: Session, table, what: str, ids: set[int]) -> dict[int, str]:  # noqa: ANN001
        if not ids:
            return {}
        rows = session.exec(
            select(table.id, table.memo_id).where(col(table.memo_id).in_(list(self.memos))).order_by(table.id)
        ).all()
        told, counted = {}, dict.fromkeys(self.memos, 0)
        for row_id, memo_id in rows:
            counted[memo_id] += 1
            if row_id in ids:
                number = to_thai_digits(counted[memo_id])
                told[row_id] = f"{what}ครั้งที่ {number} ของบันทึก ที่ {self.memos[memo_id].register_number}"
        return told

    def decided(self, memo_id: int | None, data: dict) -> str:
        """A sign-off's kind in the words of models.decision_words (อนุมัติ at the route's last step)."""
        step, round_ = data.get("step"), data.get("round")
        if memo_id is None or not isinstance(step, int) or not isinstance(round_, int):
            return VALUE_LABELS.get(str(data["kind"]), str(data["kind"]))
        memo = self.memos.get(memo_id)
        last = step == steps_at(self.steps, memo_id, round_) - 1
        return decision_word(
            data["kind"], last_step=last, acknowledges=memo is not None and acknowledges(memo.document_kind)
        )

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
        if subject == "audit":
            return "ห่วงโซ่บันทึกการตรวจสอบ", None
        if kind == "person" and key.isdigit():
            return f"ผู้ใช้ {self.people_by_id.get(int(key), key)}", None
        return subject, None


def _ids_named(data: Sequence[object]) -> dict[str, set[int]]:
    keys = ("decision_id", "stage_return_id", "delegation_id")
    found: dict[str, set[int]] = {key: set() for key in keys}
    for item in data:
        if isinstance(item, dict):
            for key in keys:
                if isinstance(item.get(key), int):
                    found[key].add(item[key])
    return found


def _row(entry: AuditEntry, names: _Names, number: int = 0) -> AuditRow:
    subject, memo_id = names.subject(entry.subject)
    data = json.loads(entry.data_json or "{}")
    details = (
        [
            Detail(KEY_LABELS.get(k, k), _detail(k, v, data, memo_id, entry.action, names))
            for k, v in data.items()
            if k not in HIDDEN_KEYS
        ]
        if isinstance(data, dict)
        else []
    )
    return AuditRow(
        number,
        entry.seq,
        entry.at,
        names.person(entry.actor),
        action_label(entry.action),
        entry.action,
        subject,
        memo_id,
        details,
    )


def _detail(key: str, value: object, data: dict, memo_id: int | None, action: str, names: _Names) -> str:
    """One detail of an entry; what an id names is written out."""
    if key == "kind" and action.startswith("signoff.") and value in VALUE_LABELS:
        return names.decided(memo_id, data)
    if key == "decision_id" and isinstance(value, int):
        return names.decisions.get(value, "-")
    if key == "stage_return_id" and isinstance(value, int):
        return names.returns.get(value, "-")
    if key == "delegation_id" and isinstance(value, int):
        return names.orders.get(value, "-")
    return _value(key, value, names)


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
