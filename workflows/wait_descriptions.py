"""The Markdown the Prefect UI shows above a suspended memo run's resume form."""

import re

from documents.thai_format import thai_number
from models import Memo, Position
from models.approvals import route_step
from models.db import read_scope
from models.enums import MemoStatus

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")
WHERE = {
    MemoStatus.PREPARING: "อยู่ระหว่างพิมพ์ ทาน ตรวจ (being typeset, proofread and checked)",
    MemoStatus.RETURNED: "ส่งคืนผู้ร่างเพื่อแก้ไข (returned to the drafter for revision)",
}


def escape_markdown(text: str) -> str:
    """Text shown as itself: a subject cannot add links, images or headings to the page."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


SIGN_HERE = (
    "ลงนามที่นี่ได้: กรอกชื่อผู้ใช้ รหัสผ่าน รหัส PIN การพิจารณา และข้อความเกษียน ระบบตรวจสิทธิ์ก่อนบันทึก "
    "และบันทึกเป็นขั้นปัจจุบันของบันทึก (to sign here, enter username, password, PIN, decision and minute: "
    "Saraban checks who may sign the memo's current step before recording)."
)
SIGNING_OFF = (
    "**ลงนามผ่านหน้านี้ถูกปิด** กรุณาลงนามใน Saraban ผู้ดูแลระบบของหน่วยงานเปิดได้ที่หน้าผู้ดูแลระบบ "
    "(signing on this page is off: sign in Saraban; the organisation's administrator can turn it on). "
    "ช่อง signal\\_ref ใช้ภายในระบบเท่านั้น (signal\\_ref is for Saraban's own use)."
)


def describe_wait(memo_id: int, *, signing: bool) -> str:
    with read_scope() as session:
        memo = session.get(Memo, memo_id)
        where = WHERE.get(memo.status) or _step_line(session, memo)
        subject, number = escape_markdown(memo.subject), escape_markdown(memo.register_number)
    waits_for = (
        "ฉบับแก้ไขจากผู้ร่าง (the drafter's revision)"
        if memo.status == MemoStatus.RETURNED
        else "การอนุมัติขั้นสุดท้าย แล้วจะเผยแพร่ประกาศ (the last approval; then it publishes)"
    )
    return (
        f"### บันทึกที่ {number}\n**เรื่อง** {subject}\n\n"
        f"ขณะพักรอ (when the run suspended): {where}\n\n"
        f"การทำงานนี้รอ (this run waits for): {waits_for}. สถานะล่าสุดดูที่ Saraban (current state: Saraban).\n\n"
        + (SIGN_HERE if signing else SIGNING_OFF)
    )


def _step_line(session, memo: Memo) -> str:  # noqa: ANN001
    step = route_step(session, memo, memo.step)
    title = session.get(Position, step.position_id).title if step else "-"
    return (
        f"รอการพิจารณาขั้นที่ {thai_number(memo.step + 1)} จาก {thai_number(memo.steps_total)}: "
        f"{escape_markdown(title)} (sign-off step {memo.step + 1} of {memo.steps_total})"
    )
