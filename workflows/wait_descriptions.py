"""The Markdown the Prefect UI shows above a resume form: what the memo waits for."""

from sqlmodel import select

from models import ChainStep, Memo, Position
from models.db import session_scope
from models.waits import Wait


def describe_wait(memo_id: int, wait: Wait) -> str:
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        header = f"### บันทึกที่ {memo.register_number}\n**เรื่อง** {memo.subject}\n\n"
        if wait.step is None:
            return header + _non_signoff(wait)
        step = session.exec(select(ChainStep).where(ChainStep.chain_id == memo.chain_id,
                                                    ChainStep.step_index == wait.step)).one()
        title = session.get(Position, step.position_id).title
    return header + (
        f"รอการพิจารณาขั้นที่ {wait.step + 1}: **{title}** (รอบที่ {wait.round})\n\n"
        "กรอกชื่อผู้ใช้และรหัส PIN ของผู้ลงนาม ระบบจะตรวจสิทธิ์ก่อนบันทึก "
        "(enter the signer's username and PIN; Saraban checks who may sign before recording)."
    )


def _non_signoff(wait: Wait) -> str:
    what = f"ขั้นตอน {wait.stage.value}" if wait.stage is not None else "ฉบับแก้ไขจากผู้ร่าง"
    return (f"รอ{what} ซึ่งบันทึกผ่าน `saraban` หรือเว็บ "
            f"(waiting for {what}, recorded through the CLI or the web app; do not resume by hand).")
