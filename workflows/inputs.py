"""What a person or Saraban hands a suspended memo run when resuming it.

The Prefect UI shows this as the resume form. It has no notion of users, so signing there
asks for the signer's username and PIN, and the run passes them to the same domain function
as every other path; nothing typed here is trusted by itself. Saraban's deliverer resumes the
run with only `signal_ref`: a wake-up, after which the run reads the database.
"""

from typing import Literal

from prefect.input import RunInput
from pydantic import Field


class ResumeForm(RunInput):
    username: str = Field(default="", description="ชื่อผู้ใช้ของผู้ลงนาม (the signer's username)")
    pin: str = Field(default="", description="รหัส PIN สำหรับลงนาม (signing PIN)")
    # No default decision: an empty form must never approve anything.
    decision: Literal["approve", "return"] | None = Field(
        default=None, description="อนุมัติ/เห็นชอบ (approve) หรือ ส่งคืนแก้ไข (return)")
    minute: str = Field(default="", description="ข้อความเกษียน เช่น 'โปรดพิจารณา' หรือเหตุผลที่ส่งคืน (the minute)")
    signal_ref: int | None = Field(default=None, description="ระบบใช้ภายใน เว้นว่าง (internal: leave empty)")

    def is_sign_off(self) -> bool:
        return self.signal_ref is None
