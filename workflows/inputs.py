"""What a person or Saraban hands a suspended memo run when resuming it.

The Prefect UI shows these as forms. It has no notion of users, so the sign-off form asks
for the signer's username and PIN, and the run passes them to the same domain function as
every other path; nothing typed here is trusted by itself.
"""

from typing import Literal

from prefect.input import RunInput
from pydantic import Field


class SignOffForm(RunInput):
    username: str = Field(description="ชื่อผู้ใช้ของผู้ลงนาม (the signer's username)")
    pin: str = Field(description="รหัส PIN สำหรับลงนาม (signing PIN)")
    decision: Literal["approve", "return"] = Field(description="อนุมัติ/เห็นชอบ (approve) หรือ ส่งคืนแก้ไข (return)")
    minute: str = Field(description="ข้อความเกษียน เช่น 'โปรดพิจารณา' หรือเหตุผลที่ส่งคืน (the minute)")
    # Set by Saraban when the decision was already recorded through the CLI or the web app.
    decision_ref: int | None = Field(default=None, description="ระบบใช้ภายใน เว้นว่าง (internal: leave empty)")


class RecordedAction(RunInput):
    """Resumes a wait for a stage or a revision, which are recorded through the CLI or web."""

    action_ref: int = Field(description="เลขอ้างอิงรายการที่บันทึกแล้ว (internal reference to the recorded action)")
