"""What a person or Saraban hands a suspended memo run when resuming it.

The Prefect UI shows one of these as the resume form. Saraban's deliverer resumes a run with
only `signal_ref`: a wake-up, after which the run reads the database. Signing in the Prefect
UI is off unless the organisation's administrator turns it on (`prefect_ui_signing`): the run
then suspends with `WakeUp`, whose schema admits nothing else (Prefect's run inputs refuse
unknown fields), so the server itself refuses a PIN or a password typed there. When it is on,
`SignForm` asks for the signer's username, password and PIN, and the run passes them to the
same checks as every other path; nothing typed here is trusted by itself.
"""

from typing import Literal

from prefect.input import RunInput
from pydantic import Field, SecretStr

SIGNAL_REF = Field(default=None, description="ระบบใช้ภายใน เว้นว่าง (internal: leave empty)")


class WakeUp(RunInput):
    signal_ref: int | None = SIGNAL_REF


class SignForm(RunInput):
    username: str = Field(default="", description="ชื่อผู้ใช้ของผู้ลงนาม (the signer's username)")
    password: SecretStr = Field(default=SecretStr(""), description="รหัสผ่านของผู้ลงนาม (the signer's password)")
    pin: SecretStr = Field(default=SecretStr(""), description="รหัส PIN สำหรับลงนาม (signing PIN)")
    # No default decision: an empty form must never approve anything.
    decision: Literal["approve", "return"] | None = Field(
        default=None, description="อนุมัติ/เห็นชอบ (approve) หรือ ส่งคืนแก้ไข (return)"
    )
    minute: str = Field(default="", description="ข้อความเกษียน เช่น 'โปรดพิจารณา' หรือเหตุผลที่ส่งคืน (the minute)")
    signal_ref: int | None = SIGNAL_REF

    def is_sign_off(self) -> bool:
        return self.signal_ref is None
